"""Fixtures of the analytics page tests: the analytics tests' known world (tests/analytics/world.py) and users."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from talentgate.accounts.roles import Role


def load_world_module() -> ModuleType:
    """tests/analytics/world.py, loaded by path (test folders are not packages)."""
    name = "analytics_test_world"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[2] / "analytics" / "world.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def world(db):
    return load_world_module().build_world()


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    return client
