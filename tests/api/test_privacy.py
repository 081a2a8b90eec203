"""API routes of personal data: export (own only for a candidate, audited for staff), erasure and its
refusals, legal holds; anonymous callers get 401, others' objects 404, a bad field names the field."""

from __future__ import annotations

import pytest
from django.test import Client

from talentgate.accounts.roles import Role
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.common.models import AuditEntry
from talentgate.privacy.models import ErasureReceipt, ErasureRequest, LegalHold

pytestmark = pytest.mark.django_db


def _candidate(make_user, name="Amara"):
    user = make_user(Role.CANDIDATE)
    payload = {
        "id": f"api-{user.pk}",
        "identity": {"given_names_latin": name, "date_of_birth": "1990-04-12", "sex": "female"},
    }
    profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
    return user, profile


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_candidate_exports_own_json_and_pdf(make_user):
    user, _profile = _candidate(make_user)
    response = _as(user).get("/api/privacy/me/export")
    assert response.status_code == 200
    assert response.json()["profile"]["given_names_latin"] == "Amara"
    pdf = _as(user).get("/api/privacy/me/export.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_candidate_cannot_export_another_person(make_user):
    user, _ = _candidate(make_user)
    _, other = _candidate(make_user, "Lin")
    response = _as(user).get(f"/api/privacy/people/{other.pk}/export")
    assert response.status_code == 404
    assert "Lin" not in response.content.decode()


def test_anonymous_gets_401():
    assert Client().get("/api/privacy/me/export").status_code == 401
    assert Client().post("/api/privacy/me/erasure-requests").status_code == 401


def test_officer_export_is_audited(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    response = _as(officer).get(f"/api/privacy/people/{profile.pk}/export")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action="personal_data.exported", actor_id=officer.pk, object_id=str(profile.pk)
    ).exists()


def test_request_then_officer_erases(make_user):
    user, profile = _candidate(make_user)
    created = _as(user).post("/api/privacy/me/erasure-requests")
    assert created.status_code == 201
    officer = make_user(Role.OFFICER)
    erased = _as(officer).post(
        f"/api/privacy/people/{profile.pk}/erase", {"request_id": created.json()["id"]}, content_type="application/json"
    )
    assert erased.status_code == 201, erased.content
    assert erased.json()["method"] == "fields_overwritten"
    assert ErasureRequest.objects.get().status == "done"


def test_erasure_under_hold_is_refused_naming_the_rule(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    hold = _as(officer).post(
        f"/api/privacy/people/{profile.pk}/legal-holds", {"reason": "Court order"}, content_type="application/json"
    )
    assert hold.status_code == 201
    blockers = _as(officer).get(f"/api/privacy/people/{profile.pk}/erasure-blockers").json()
    assert [b["rule"] for b in blockers] == ["legal_hold"]
    refused = _as(officer).post(f"/api/privacy/people/{profile.pk}/erase", {}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "legal_hold"
    assert not ErasureReceipt.objects.exists()
    profile.refresh_from_db()
    assert profile.given_names_latin == "Amara"


def test_hold_with_blank_reason_names_the_field(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    response = _as(officer).post(
        f"/api/privacy/people/{profile.pk}/legal-holds", {"reason": " "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    assert not LegalHold.objects.exists()
