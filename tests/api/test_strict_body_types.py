"""JSON bodies are read with JSON's types: a boolean is not an id and a number is not a yes/no.

Found by the fuzz run: pydantic's lax mode read ``case_ids: [false]`` as case 0 and ``tracks_use: 0``
as false, so bodies the OpenAPI document calls invalid were accepted.
"""

from __future__ import annotations

import json

import pytest

from talentgate.accounts.roles import Role
from talentgate.cooperation.models import ExchangeQuota


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/cases/bulk-transitions", {"transition": "prepare", "case_ids": [False]}, "case_ids.0"),
        ("/api/cases/bulk-transitions", {"transition": "prepare", "case_ids": ["7"]}, "case_ids.0"),
        (
            "/api/programmes/applications/bulk-transitions",
            {"transition": "reject", "application_ids": [True]},
            "application_ids.0",
        ),
    ],
)
def test_bulk_moves_refuse_ids_that_are_not_json_integers(client, make_user, path, body, field):
    client.force_login(make_user(Role.OFFICER))
    response = _post(client, path, body)
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [(field, "int_type")]


@pytest.mark.django_db
def test_a_quota_refuses_a_number_for_tracks_use_and_stores_nothing(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    before = ExchangeQuota.objects.count()
    response = client.put(
        "/api/cooperation/exchange-programmes/demo-partner-mobility/quotas",
        json.dumps({"country": "IN", "year": 2026, "places": 3, "tracks_use": 0}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("tracks_use", "bool_type")]
    assert ExchangeQuota.objects.count() == before


@pytest.mark.django_db
def test_a_quota_larger_than_its_column_is_refused_and_stores_nothing(client, make_user):
    """Found by the fuzz run on PostgreSQL: places beyond 32 bits reached the integer column (a 500)."""
    client.force_login(make_user(Role.ADMINISTRATOR))
    before = ExchangeQuota.objects.count()
    response = client.put(
        "/api/cooperation/exchange-programmes/demo-partner-mobility/quotas",
        json.dumps({"country": "IN", "year": 2026, "places": 2**31}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("places", "less_than_equal")]
    assert ExchangeQuota.objects.count() == before
