"""Shared fixtures: users of every role created through services, so test data obeys the rules."""

from __future__ import annotations

import pytest

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role

# A relocation case opened the real way (tests/offer_case_fixtures.py): the case pages and the case API share it;
# a directory's own fixture of the same name (tests/cases/conftest.py) takes precedence there.
pytest_plugins = ["offer_case_fixtures"]


@pytest.fixture
def make_user(db):
    """Factory: ``make_user(Role.OFFICER)`` -> a saved, active user with that role."""
    counter = iter(range(1, 10_000))

    def _make(role: Role = Role.CANDIDATE, email: str | None = None, password: str = "pw-Test-12345") -> User:
        address = email or f"{role.value}{next(counter)}@example.test"
        return User.objects.create_user(address, password, role=role)

    return _make


@pytest.fixture(autouse=True)
def _fresh_log_context():
    """Each test starts with no request id bound to the logs.

    The request-id middleware unbinds when the response is closed, as a WSGI server always does;
    tests that download a streamed file (letters, exports) through the test client and never close
    it would otherwise leave their request's id bound for the tests that follow.
    """
    import structlog

    structlog.contextvars.clear_contextvars()
    yield
    structlog.contextvars.clear_contextvars()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Each test ends with the site's default language active again.

    The locale middleware activates the request's language in the test's own thread; a test that asks
    for a Russian page would otherwise leave Russian active for the next test's messages and errors.
    """
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def build_analytics_world():
    """``build_analytics_world()`` -> the analytics tests' world (tests/analytics/world.py, loaded by path
    once: test folders are not packages), for every suite that reads the dashboard's figures."""
    import importlib.util
    import sys
    from pathlib import Path

    name = "analytics_test_world"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent / "analytics" / "world.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].build_world
