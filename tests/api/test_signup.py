"""Sign-up, e-mail verification and password reset through the API (no sign-in needed)."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing

from talentgate.accounts import services
from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Orbital-Relay-2031"


def _sign_up(client, **overrides):
    body = {"email": "nadia@example.test", "password": STRONG, "first_name": "Nadia", "last_name": "Rahman"}
    body.update(overrides)
    return client.post("/api/accounts/signup", body, content_type="application/json")


def _token_from_outbox() -> str:
    match = re.search(r"/account/verify/([^/\s]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_sign_up_creates_an_inactive_candidate_and_mails_the_link(client):
    response = _sign_up(client)
    assert response.status_code == 201
    assert response.json()["is_active"] is False
    user = User.objects.get(email="nadia@example.test")
    assert (user.role, user.is_active, user.first_name) == (Role.CANDIDATE, False, "Nadia")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.test"]
    assert "http://testserver/account/verify/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="user.signed_up", object_id=str(user.pk)).exists()


def test_an_unverified_account_cannot_sign_in(client):
    _sign_up(client)
    assert not client.login(username="nadia@example.test", password=STRONG)


def test_verify_activates_once(client):
    _sign_up(client)
    token = _token_from_outbox()
    response = client.post("/api/accounts/verify", {"token": token}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"email": "nadia@example.test", "is_active": True}
    assert client.login(username="nadia@example.test", password=STRONG)
    again = client.post("/api/accounts/verify", {"token": token}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["rule"] == "already_verified"


def test_a_tampered_token_is_refused_naming_the_field(client):
    _sign_up(client)
    response = client.post(
        "/api/accounts/verify", {"token": _token_from_outbox() + "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("token", "invalid")]
    assert not User.objects.get().is_active


def test_an_expired_token_is_refused(client, settings):
    _sign_up(client)
    token = _token_from_outbox()
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.post("/api/accounts/verify", {"token": token}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "expired"
    assert not User.objects.get().is_active


def test_a_token_signed_with_another_salt_is_refused(client):
    _sign_up(client)
    user = User.objects.get()
    forged = signing.dumps({"u": user.pk, "s": "x"}, salt="another")
    response = client.post("/api/accounts/verify", {"token": forged}, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"email": "not-an-address"}, "email", "format"),
        ({"password": "12345678"}, "password", "strength"),
        ({"password": ""}, "password", "required"),
    ],
)
def test_bad_sign_up_names_the_field_and_creates_nothing(client, overrides, field, rule):
    response = _sign_up(client, **overrides)
    assert response.status_code == 400
    assert (field, rule) in [(e["field"], e["rule"]) for e in response.json()["errors"]]
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_taken_address_is_refused(client, make_user):
    make_user(email="nadia@example.test")
    response = _sign_up(client)
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "email",
        "rule": "unique",
        "message": "An account with this e-mail address already exists.",
    }


def test_missing_body_field_is_422_naming_it(client):
    response = client.post("/api/accounts/signup", {"email": "a@b.test"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


def test_resend_sends_only_to_unverified_accounts_and_answers_the_same(client, make_user):
    _sign_up(client)
    make_user(email="active@example.test")
    for address in ("nadia@example.test", "active@example.test", "nobody@example.test"):
        response = client.post("/api/accounts/verify/resend", {"email": address}, content_type="application/json")
        assert response.status_code == 202
    assert [m.to for m in mail.outbox] == [["nadia@example.test"], ["nadia@example.test"]]


def _reset_parts() -> tuple[str, str]:
    match = re.search(r"/account/password-reset/([^/\s]+)/([^/\s]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1), match.group(2)


def test_password_reset_round_trip(client, make_user):
    user = make_user(email="ada@example.test")
    response = client.post(
        "/api/accounts/password-reset", {"email": "ADA@example.test"}, content_type="application/json"
    )
    assert response.status_code == 202
    uid, token = _reset_parts()
    done = client.post(
        "/api/accounts/password-reset/confirm",
        {"uid": uid, "token": token, "new_password": STRONG},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert client.login(username="ada@example.test", password=STRONG)
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(user.pk)).exists()
    reused = client.post(
        "/api/accounts/password-reset/confirm",
        {"uid": uid, "token": token, "new_password": "Another-Orbit-2032"},
        content_type="application/json",
    )
    assert reused.status_code == 400
    assert reused.json()["errors"][0]["field"] == "token"


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(
        "/api/accounts/password-reset", {"email": "nobody@example.test"}, content_type="application/json"
    )
    assert response.status_code == 202
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(client, make_user):
    make_user(email="ada@example.test")
    client.post("/api/accounts/password-reset", {"email": "ada@example.test"}, content_type="application/json")
    uid, token = _reset_parts()
    response = client.post(
        "/api/accounts/password-reset/confirm",
        {"uid": uid, "token": token, "new_password": "123"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"new_password"}
    assert client.login(username="ada@example.test", password="pw-Test-12345")


def test_verification_token_stops_working_after_the_password_changes(client):
    _sign_up(client)
    user = User.objects.get()
    token = services.email_verification_token(user)
    user.set_password("Changed-Orbit-2040")
    user.save()
    with pytest.raises(services.ValidationFailed):
        services.verify_email(token)
