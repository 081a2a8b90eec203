"""The cooperation registry API: every role reads it, anonymous callers get 401, writes are for administrators
(everyone else 403 with nothing changed), a bad field is named with nothing changed, and memberships as of a day."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from talentgate.accounts.roles import Role
from talentgate.common.models import AuditEntry
from talentgate.cooperation.models import Agreement, BlocMembership, ExchangeQuota, Source

pytestmark = pytest.mark.django_db

API = "/api/cooperation"
READS = [
    "/countries?bloc=brics",
    "/countries/EG",
    "/regions",
    "/blocs",
    "/blocs/brics",
    "/blocs/brics/memberships",
    "/organisations",
    "/organisations/jinr",
    "/organisations/jinr/memberships",
    "/agreements",
    "/facilities",
    "/facilities/nica",
    "/exchange-programmes",
    "/exchange-programmes/demo-partner-mobility",
    "/exchange-programmes/demo-partner-mobility/quotas",
    "/sources",
    "/science-areas",
    "/check",
]
MEMBERSHIP = {"country": "DZ", "kind": "partner", "start": "2026-03", "sources": ["brics-india-chair-2026"]}


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, path, body):
    return getattr(client, method)(f"{API}{path}", json.dumps(body), content_type="application/json")


def state() -> tuple[int, ...]:
    return (
        BlocMembership.objects.count(),
        Source.objects.count(),
        Agreement.objects.count(),
        ExchangeQuota.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_registry(make_user, role):
    client = client_for(make_user(role))
    for path in READS:
        response = client.get(f"{API}{path}")
        assert response.status_code == 200, (path, response.content)


def test_anonymous_callers_are_refused():
    for path in READS:
        response = Client().get(f"{API}{path}")
        assert response.status_code == 401, path
        assert response.json()["errors"][0]["rule"] == "authentication"


def test_memberships_as_of_a_day(make_user):
    client = client_for(make_user(Role.ANALYST))
    before = client.get(f"{API}/blocs/brics/memberships", {"on": "2023-12-31", "kind": "member"}).json()
    after = client.get(f"{API}/blocs/brics/memberships", {"on": "2024-01-01", "kind": "member"}).json()
    assert sorted(m["country"] for m in before["items"]) == ["BR", "CN", "IN", "RU", "ZA"]
    assert {"EG", "ET", "IR", "AE"} <= {m["country"] for m in after["items"]}
    egypt = next(m for m in after["items"] if m["country"] == "EG")
    assert (egypt["start"], egypt["start_precision"], egypt["sources"]) == (
        "2024-01-01",
        "day",
        ["brics-india-chair-2026"],
    )
    countries = client.get(f"{API}/countries", {"bloc": "brics", "on": "2023-12-31"}).json()
    assert countries["count"] == 5
    south_africa = next(m for m in before["items"] if m["country"] == "ZA")
    assert (south_africa["start"], south_africa["start_precision"]) == ("2010", "year")


def test_quotas_report_use_only_where_tracked(make_user):
    client = client_for(make_user(Role.CANDIDATE))
    quotas = client.get(
        f"{API}/exchange-programmes/demo-partner-mobility/quotas", {"year": 2026, "country": "IN"}
    ).json()
    assert [(q["places"], q["used"], q["remaining"]) for q in quotas["items"]] == [(40, 0, 40)]
    assert client.get(f"{API}/check").json() == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_writes_are_refused_for_everyone_but_administrators_and_change_nothing(make_user, role):
    client = client_for(make_user(role))
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    before = state()
    writes = [
        ("post", "/blocs/brics/memberships", MEMBERSHIP),
        ("patch", f"/memberships/{egypt.pk}", {"end": "2030"}),
        ("post", "/sources", {"key": "new-source", "citation": "A ministry statement"}),
        ("put", "/exchange-programmes/demo-partner-mobility/quotas", {"country": "IN", "year": 2026, "places": 1}),
        ("post", "/agreements", {"title_en": "X", "parties": [{"country": "EG"}], "sources": ["jinr-1"]}),
    ]
    for method, path, body in writes:
        response = send(client, method, path, body)
        assert response.status_code == 403, (path, response.content)
        assert response.json()["errors"][0]["rule"] == "role"
    assert state() == before


def test_an_administrator_writes_and_is_audited(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    client = client_for(admin)
    created = send(client, "post", "/blocs/brics/memberships", MEMBERSHIP)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["country"], body["kind"], body["start"], body["locally_edited"]) == ("DZ", "partner", "2026-03", True)
    changed = send(client, "patch", f"/memberships/{body['id']}", {"end": "2027-01-01", "notes": "Accepted."})
    assert (changed.status_code, changed.json()["end"], changed.json()["notes"]) == (200, "2027-01-01", "Accepted.")
    quota = send(
        client,
        "put",
        "/exchange-programmes/demo-partner-mobility/quotas",
        {"country": "MN", "year": 2026, "places": 4, "tracks_use": True},
    )
    assert (quota.status_code, quota.json()["remaining"]) == (200, 4)
    source = send(
        client,
        "post",
        "/sources",
        {"key": "mfa-2026", "citation": "Ministry statement, 2026-03-01", "as_of": "2026-03-01"},
    )
    assert source.status_code == 201
    agreement = send(
        client,
        "post",
        "/agreements",
        {
            "title_en": "Memorandum",
            "signed": "2026-04",
            "parties": [{"country": "EG"}, {"organisation": "jinr"}],
            "areas": ["1.3"],
            "sources": ["mfa-2026"],
        },
    )
    assert agreement.status_code == 201, agreement.content
    assert [p["name"] for p in agreement.json()["parties"]] == ["Egypt", "JINR"]
    actions = set(AuditEntry.objects.filter(actor_id=admin.pk).values_list("action", flat=True))
    assert actions == {
        "bloc_membership.created",
        "bloc_membership.updated",
        "exchange_quota.created",
        "source.created",
        "agreement.created",
    }


def test_a_bad_field_is_named_and_nothing_changes(make_user):
    client = client_for(make_user(Role.ADMINISTRATOR))
    before = state()
    response = send(client, "post", "/blocs/brics/memberships", {**MEMBERSHIP, "start": "2026-13"})
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("start", "date_format")]
    response = send(
        client,
        "put",
        "/exchange-programmes/demo-partner-mobility/quotas",
        {"country": "IN", "year": 2026, "places": -1},
    )
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "places")
    response = send(
        client, "post", "/agreements", {"title_en": "X", "parties": [{"country": "QQ"}], "sources": ["jinr-1"]}
    )
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "parties.0.country")
    assert state() == before


def test_unknown_objects_are_not_found(make_user):
    client = client_for(make_user(Role.CANDIDATE))
    for path in (
        "/blocs/nato",
        "/countries/QQ",
        "/organisations/none",
        "/facilities/none",
        "/exchange-programmes/none",
        "/agreements/999999",
    ):
        response = client.get(f"{API}{path}")
        assert (response.status_code, response.json()["errors"][0]["rule"]) == (404, "not_found"), path


@pytest.mark.parametrize("path", ["/countries?on=0", "/countries/IN?on=0", "/agreements?on=1795523914"])
def test_a_number_given_for_a_day_is_refused_not_read_as_1970(make_user, path):
    """Found by the fuzz run: pydantic read ``on=0`` as seconds since 1970 and answered as of 1 January 1970."""
    response = client_for(make_user(Role.ANALYST)).get(f"{API}{path}")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "on", "rule": "date_format", "message": "Give a date as YYYY-MM-DD (for example 2026-03-31)."}
    ]
