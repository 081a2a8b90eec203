"""Fixtures of the analytics tests: the known world of ``world.py`` and an analyst."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role

from .world import World, build_world


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def world(db) -> World:
    return build_world()
