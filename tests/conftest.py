"""Shared fixtures: users of every role created through services, so test data obeys the rules."""

from __future__ import annotations

import pytest

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role


@pytest.fixture
def make_user(db):
    """Factory: ``make_user(Role.OFFICER)`` -> a saved, active user with that role."""
    counter = iter(range(1, 10_000))

    def _make(role: Role = Role.CANDIDATE, email: str | None = None, password: str = "pw-Test-12345") -> User:
        address = email or f"{role.value}{next(counter)}@example.test"
        return User.objects.create_user(address, password, role=role)

    return _make
