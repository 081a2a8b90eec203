"""Fixtures of the analytics page tests: the analytics tests' known world (tests/analytics/world.py) and users."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role


@pytest.fixture
def world(db, build_analytics_world):
    return build_analytics_world()


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    return client
