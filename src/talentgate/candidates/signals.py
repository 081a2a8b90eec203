"""Signals the candidates app sends so that other apps can react to profile writes without it knowing them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the write's transaction after profiles were created or updated by a service
#: (``save_profile``, ``import_profiles``), with ``profile_ids`` (list of ints) and ``actor``.
profiles_saved = Signal()
