"""Personal-data pages: the candidate downloads their own data and asks to be erased; staff export (audited),
see what keeps a record, place holds (a blank reason is shown next to the field) and erase."""

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
        "id": f"pg-{user.pk}",
        "identity": {"given_names_latin": name, "date_of_birth": "1990-04-12", "sex": "female"},
    }
    profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
    return user, profile


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_candidate_page_renders_in_english_and_russian(make_user):
    user, _ = _candidate(make_user)
    assert _as(user).get("/privacy/").status_code == 200
    russian = _as(user).get("/privacy/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 200


def test_candidate_downloads_own_data_only(make_user):
    user, _ = _candidate(make_user)
    _, other = _candidate(make_user, "Lin")
    own = _as(user).get("/privacy/export.json")
    assert own.status_code == 200
    assert b"Amara" in own.content
    assert b"Lin" not in own.content
    assert _as(user).get("/privacy/export.pdf").content.startswith(b"%PDF")
    assert _as(user).get(f"/privacy/people/{other.pk}/export.json").status_code == 404


def test_candidate_asks_to_be_erased(make_user):
    user, profile = _candidate(make_user)
    response = _as(user).post("/privacy/erasure/")
    assert response.status_code == 302
    assert ErasureRequest.objects.get().profile == profile


def test_staff_export_is_audited(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    assert _as(officer).get(f"/privacy/people/{profile.pk}/export.json").status_code == 200
    assert AuditEntry.objects.filter(action="personal_data.exported", actor_id=officer.pk).exists()


def test_blank_hold_reason_is_shown_next_to_the_field(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    response = _as(officer).post(f"/privacy/people/{profile.pk}/holds/", {"reason": ""})
    assert response.status_code == 400
    assert 'id="reason-error"' in response.content.decode()
    assert not LegalHold.objects.exists()


def test_erase_refused_under_hold_shows_reason_then_succeeds_after_release(make_user):
    _, profile = _candidate(make_user)
    officer = make_user(Role.OFFICER)
    _as(officer).post(f"/privacy/people/{profile.pk}/holds/", {"reason": "Court order 5"})
    refused = _as(officer).post(f"/privacy/people/{profile.pk}/erase/")
    assert refused.status_code == 400
    assert "Court order 5" in refused.content.decode()
    assert not ErasureReceipt.objects.exists()
    hold = LegalHold.objects.get()
    _as(officer).post(f"/privacy/holds/{hold.pk}/release/")
    assert _as(officer).post(f"/privacy/people/{profile.pk}/erase/").status_code == 302
    assert ErasureReceipt.objects.count() == 1
