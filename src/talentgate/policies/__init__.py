"""Shipped assessment policies: ``<policy-id>/policy-<version>.yaml`` and their hand-computed ``cases-<version>.yaml``.

Package data only; :mod:`talentgate.engines.rules.registry` loads and validates them.
"""
