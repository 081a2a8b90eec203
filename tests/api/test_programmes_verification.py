"""The organisation verification API: the programme's queue of host organisations, verified or rejected with a reason."""

from __future__ import annotations

import json

import pytest

from talentgate.accounts.roles import Role
from talentgate.hosts.models import Organisation
from talentgate.hosts.services import register_organisation

pytestmark = pytest.mark.django_db

API = "/api/programmes/organisation-verifications"


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def pending(make_user):
    admin = make_user(Role.HOST_ADMIN, email="admin@orbital.example")
    organisation = register_organisation(
        admin, name="Orbital Works", kind="private_company", country="RU", website="https://orbital.example"
    )
    return organisation, admin


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _errors(response):
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


def _verification(organisation):
    row = Organisation.objects.get(pk=organisation.pk)
    return row.verification, row.verification_reason


def test_the_queue_lists_pending_organisations_with_their_admins(client, officer, pending):
    organisation, _admin = pending
    client.force_login(officer)
    body = client.get(API).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert (item["id"], item["name"], item["country"], item["verification"], item["admin_emails"]) == (
        organisation.pk,
        "Orbital Works",
        "RU",
        "pending",
        ["admin@orbital.example"],
    )
    assert client.get(API, {"verification": "verified"}).json()["count"] == 0
    bad = client.get(API, {"verification": "maybe"})
    assert bad.status_code == 422
    assert {f for f, _r in _errors(bad)} == {"verification"}


def test_an_officer_verifies_then_withdraws_the_verification(client, officer, pending):
    organisation, _ = pending
    client.force_login(officer)
    verified = _post(client, f"{API}/{organisation.pk}/verify", {"note": "Registry checked"})
    assert verified.status_code == 200
    assert (verified.json()["verification"], verified.json()["verified_by_id"]) == ("verified", officer.pk)
    again = _post(client, f"{API}/{organisation.pk}/verify")
    assert again.status_code == 409
    assert _errors(again) == {("verification", "unchanged")}
    rejected = _post(client, f"{API}/{organisation.pk}/reject", {"reason": "Licence revoked"})
    assert (rejected.json()["verification"], rejected.json()["verification_reason"]) == ("rejected", "Licence revoked")


def test_a_rejection_needs_a_reason_and_changes_nothing_without(client, officer, pending):
    organisation, _ = pending
    client.force_login(officer)
    blank = _post(client, f"{API}/{organisation.pk}/reject", {"reason": "  "})
    assert blank.status_code == 400
    assert _errors(blank) == {("reason", "required")}
    missing = _post(client, f"{API}/{organisation.pk}/reject", {})
    assert missing.status_code == 422
    assert {f for f, _r in _errors(missing)} == {"reason"}
    assert _verification(organisation) == ("pending", "")


def test_anonymous_callers_get_401(client, pending):
    organisation, _ = pending
    assert client.get(API).status_code == 401
    assert _post(client, f"{API}/{organisation.pk}/verify").status_code == 401
    assert _verification(organisation) == ("pending", "")


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.HOST_STAFF, Role.ANALYST])
def test_candidates_and_hosts_are_refused_even_their_own_organisation(client, make_user, pending, role):
    organisation, admin = pending
    client.force_login(admin if role == Role.HOST_ADMIN else make_user(role))
    listed = client.get(API)
    assert listed.status_code == 403
    assert _errors(listed) == {("", "role")}
    verify = _post(client, f"{API}/{organisation.pk}/verify")
    assert verify.status_code == 403
    assert _verification(organisation) == ("pending", "")


def test_an_unknown_organisation_is_404(client, officer):
    client.force_login(officer)
    assert _post(client, f"{API}/987654/verify").status_code == 404
