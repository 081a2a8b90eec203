"""/api/candidates/me/consents and /me/data: consent per purpose given and withdrawn with history; the export."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.consent_texts import CONSENT_TEXTS
from talentgate.candidates.models import Consent
from talentgate.candidates.services import save_own_profile
from talentgate.canonical import ConsentPurpose

pytestmark = pytest.mark.django_db

URL = "/api/candidates/me/consents"
VERSION = CONSENT_TEXTS[ConsentPurpose.AUTHORITY_HANDOFF].version


@pytest.fixture
def candidate_client(client, make_user):
    user = make_user(Role.CANDIDATE)
    save_own_profile(user, {"identity": {"given_names_latin": "Ana", "date_of_birth": "1990-01-01", "sex": "female"}})
    client.force_login(user)
    return client


def _give(client, purpose="authority_handoff", version=VERSION):
    return client.post(URL, {"purpose": purpose, "version": version}, content_type="application/json")


def test_give_withdraw_and_see_the_history(candidate_client):
    assert _give(candidate_client).status_code == 201
    state = candidate_client.get(URL).json()
    handoff = next(p for p in state["purposes"] if p["purpose"] == "authority_handoff")
    assert handoff["current_version"] == VERSION
    assert handoff["active"]["version"] == VERSION
    assert handoff["text"].startswith("When my application is approved")
    withdrawn = candidate_client.delete(f"{URL}/authority_handoff")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"] is not None
    assert _give(candidate_client).status_code == 201
    history = candidate_client.get(URL).json()["history"]
    assert [(h["purpose"], h["withdrawn_at"] is None) for h in history] == [
        ("authority_handoff", False),
        ("authority_handoff", True),
    ]


def test_giving_twice_is_409(candidate_client):
    _give(candidate_client)
    response = _give(candidate_client)
    assert response.status_code == 409
    assert response.json()["errors"][0]["rule"] == "already_given"
    assert Consent.objects.count() == 1


def test_an_old_version_is_refused_naming_the_field(candidate_client):
    response = _give(candidate_client, version="2019-01")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "version"
    assert not Consent.objects.exists()


def test_an_unknown_purpose_is_422(candidate_client):
    response = _give(candidate_client, purpose="marketing")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "purpose"


def test_withdrawing_what_was_not_given_is_409(candidate_client):
    assert candidate_client.delete(f"{URL}/matched_hosts").status_code == 409


def test_without_a_profile_consent_is_404(client, make_user):
    client.force_login(make_user(Role.CANDIDATE))
    assert _give(client).status_code == 404


def test_anonymous_and_other_roles_are_refused(client, make_user):
    assert _give(client).status_code == 401
    client.force_login(make_user(Role.ANALYST))
    assert _give(client).status_code == 403
    assert client.get("/api/candidates/me/data").status_code == 403
    assert not Consent.objects.exists()


def test_the_export_holds_account_profile_consents(candidate_client):
    _give(candidate_client)
    data = candidate_client.get("/api/candidates/me/data").json()
    assert data["profile"]["identity"]["given_names_latin"] == "Ana"
    assert data["consents"][0]["purpose"] == "authority_handoff"
    assert {"exported_at", "account", "documents", "applications", "offers"} <= set(data)
