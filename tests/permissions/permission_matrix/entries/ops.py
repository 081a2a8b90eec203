"""Matrix entries of the operations kit: the health endpoint, open to everyone (it holds no one's data)."""

from __future__ import annotations

from permission_matrix.harness import ACTORS, Endpoint

ENDPOINTS = [
    Endpoint("health", frozenset(ACTORS)),
]
