"""The one list of matrix entry modules, in the order their ``build(world)`` runs (later ones may use earlier objects)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Add ``"<domain>"`` here after writing ``entries/<domain>.py``.
MODULES = [
    "accounts",
    "portal",
    "admin",
    "candidates",
    "hosts",
    "programmes",
    "candidate_portal",
    "host_portal",
    "officer_portal",
    "assessment",
    "matching",
    "cooperation",
    "cases",
    "authority",
    "notifications",
    "analytics",
    "ops",
    "competitions",
    "privacy",
    "identity",
    "second_factor",
]


def load() -> list[Any]:
    return [import_module(f"permission_matrix.entries.{name}") for name in MODULES]
