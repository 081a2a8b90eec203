"""``GET /api/analytics/dashboard``: the same tables as the page, for analysts, supervisors and administrators only;
a bad filter names its field."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.test import Client

from talentgate.accounts.roles import Role
from talentgate.cases.models import RelocationCase

pytestmark = pytest.mark.django_db

URL = "/api/analytics/dashboard"


@pytest.fixture
def world(db):
    name = "analytics_test_world"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "analytics" / "world.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].build_world()


def _client(make_user, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def test_an_analyst_gets_every_table_with_sql_equal_figures(make_user, world):
    response = _client(make_user, Role.ANALYST).get(URL, {"period": "2026", "sector": "space"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["filters"] == {"start": "2026-01-01", "end": "2026-12-31", "sector": "space", "bloc": "", "host": None}
    tables = {table["key"]: table for table in body["tables"]}
    outcomes = dict(tables["outcomes"]["rows"])
    expected = RelocationCase.objects.filter(arrived_on__year=2026, sector__code="space").count()
    assert outcomes["arrivals"] == expected == 2
    assert tables["arrivals_by_sector"]["rows"] == [["Space industry", 2, 10, 20.0]]


def test_anonymous_gets_401(world):
    response = Client().get(URL)
    assert response.status_code == 401
    assert list(response.json()) == ["errors"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CANDIDATE, Role.HOST_STAFF])
def test_other_roles_get_403(make_user, world, role):
    response = _client(make_user, role).get(URL)
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "role"


def test_a_bad_filter_names_its_field(make_user, world):
    response = _client(make_user, Role.SUPERVISOR).get(URL, {"period": "2026-Q5", "bloc": "atlantis"})
    assert response.status_code == 400
    fields = {(error["field"], error["rule"]) for error in response.json()["errors"]}
    assert fields == {("period", "format"), ("bloc", "unknown")}


def test_a_non_numeric_host_is_a_422_naming_host(make_user, world):
    response = _client(make_user, Role.ADMINISTRATOR).get(URL, {"host": "abc"})
    assert response.status_code == 422
    assert "host" in response.json()["errors"][0]["field"]
