"""Makes the ``permission_matrix`` package importable and builds its world once per test module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world, built once and rolled back after the module; each test runs in its own savepoint on top."""
    from django.db import transaction
    from permission_matrix import entries
    from permission_matrix.world import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(entries.load())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
