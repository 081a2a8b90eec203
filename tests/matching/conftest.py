"""Fixtures for the matching tests: the small world of ``matching_world``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from matching_world import build_world


@pytest.fixture
def world(make_user):
    return build_world(make_user)
