"""Signing in as staff with the second factor on: password, then the code; enrolment; the API by session."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from talentgate.accounts import second_factor
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_api_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("second_factor_on")]

PASSWORD = "pw-Test-12345"


@pytest.fixture
def second_factor_on():
    with override_settings(STAFF_MFA_REQUIRED=True):
        yield


def sign_in(client: Client, user, next_url: str = "") -> object:
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("portal:login"), data)


def enrol(user) -> list[str]:
    device = second_factor.pending_authenticator(user)
    _device, codes = second_factor.confirm_authenticator(user, second_factor.current_code(device))
    return codes


def fresh_code(user) -> str:
    """The current code, usable again (enrolment spent this time step's code)."""
    device = user.totpdevice_set.get(confirmed=True)
    device.last_t = -1
    device.save()
    return second_factor.current_code(device)


def test_staff_password_leads_to_the_code_step_and_nothing_else_opens_before_it(make_user):
    officer = make_user(Role.OFFICER)
    enrol(officer)
    client = Client()
    response = sign_in(client, officer, next_url="/cases/")
    verify = reverse("portal:account:second_factor_verify")
    assert response.status_code == 302
    assert response["Location"] == f"{verify}?next=%2Fcases%2F"
    assert client.get("/cases/")["Location"] == f"{verify}?next=%2Fcases%2F"
    assert client.get("/admin/")["Location"].startswith(verify)
    page = client.get(verify)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="otp_token"' in html
    assert re.search(r'<label for="id_otp_token"[^>]*>Code', html)


def test_a_wrong_code_is_refused_naming_the_field_and_the_session_stays_unverified(make_user):
    officer = make_user(Role.OFFICER)
    enrol(officer)
    client = Client()
    sign_in(client, officer)
    response = client.post(reverse("portal:account:second_factor_verify"), {"otp_token": "12345x", "next": "/"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["otp_token"] == [
        "The code is not valid: enter the current 6-digit code from your authenticator, or a backup code."
    ]
    assert 'aria-describedby="id_otp_token_helptext id_otp_token_error"' in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_right_code_opens_the_portal_and_goes_on_to_next(make_user):
    officer = make_user(Role.OFFICER)
    enrol(officer)
    client = Client()
    sign_in(client, officer)
    response = client.post(
        reverse("portal:account:second_factor_verify"), {"otp_token": fresh_code(officer), "next": "/cases/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get("/").status_code == 200


def test_a_backup_code_opens_the_portal_once(make_user):
    officer = make_user(Role.SUPERVISOR)
    codes = enrol(officer)
    client = Client()
    sign_in(client, officer)
    assert client.post(reverse("portal:account:second_factor_verify"), {"otp_token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    again = Client()
    sign_in(again, officer)
    assert again.post(reverse("portal:account:second_factor_verify"), {"otp_token": codes[0]}).status_code == 400


def test_staff_without_an_authenticator_are_sent_to_set_one_up_and_then_get_backup_codes(make_user):
    analyst = make_user(Role.ANALYST)
    client = Client()
    response = sign_in(client, analyst)
    enrol_url = reverse("portal:account:second_factor_enrol")
    assert response["Location"].startswith(enrol_url)
    page = client.get(enrol_url)
    html = page.content.decode()
    device = second_factor.pending_authenticator(analyst)
    assert second_factor.secret_of(device) in html
    assert "otpauth://totp/" in html
    assert 'src="data:image/svg+xml' in html
    done = client.post(enrol_url, {"otp_token": second_factor.current_code(device), "next": "/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get("/").status_code == 200  # the set-up code counts as this sign-in's second step


def test_the_set_up_page_refuses_a_wrong_code_and_stays_off(make_user):
    analyst = make_user(Role.ANALYST)
    client = Client()
    sign_in(client, analyst)
    response = client.post(reverse("portal:account:second_factor_enrol"), {"otp_token": ""})
    assert response.status_code == 400
    assert "otp_token" in response.context["form"].errors
    assert not second_factor.has_authenticator(analyst)


def test_an_enrolled_unverified_session_cannot_replace_the_authenticator(make_user):
    officer = make_user(Role.OFFICER)
    enrol(officer)
    client = Client()
    sign_in(client, officer)
    page = client.get(reverse("portal:account:second_factor_enrol"))
    assert page.status_code == 200
    assert "otpauth://" not in page.content.decode()
    assert client.post(reverse("portal:account:second_factor_backup_codes")).status_code == 302
    assert second_factor.remaining_backup_codes(officer) == 10


def test_candidates_and_hosts_sign_in_with_a_password_only(make_user):
    for role in (Role.CANDIDATE, Role.HOST_ADMIN):
        user = make_user(role)
        client = Client()
        assert sign_in(client, user)["Location"] == reverse("portal:home")
        assert client.get("/").status_code == 200
        assert client.get(reverse("portal:account:second_factor_enrol")).status_code == 403


def test_the_api_refuses_an_unverified_staff_session_but_not_a_bearer_token(make_user):
    officer = make_user(Role.OFFICER)
    enrol(officer)
    client = Client()
    sign_in(client, officer)
    refused = client.get("/api/me")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["rule"] == "second_factor"
    issued = create_api_token(officer, user=officer, name="script")
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {issued.key}").status_code == 200
    client.post(reverse("portal:account:second_factor_verify"), {"otp_token": fresh_code(officer)})
    assert client.get("/api/me").status_code == 200


def test_staff_sessions_end_sooner_than_candidates(make_user, settings):
    settings.STAFF_SESSION_AGE_SECONDS = 3600
    officer, candidate = make_user(Role.OFFICER), make_user(Role.CANDIDATE)
    staff_client, candidate_client = Client(), Client()
    sign_in(staff_client, officer)
    sign_in(candidate_client, candidate)
    assert staff_client.session.get_expiry_age() == 3600
    assert candidate_client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_people_a_second_factor_is_not_for_cannot_post_to_its_pages_and_nothing_is_made(make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for role in (Role.CANDIDATE, Role.HOST_STAFF):
        client = Client()
        client.force_login(make_user(role))
        for name in ("second_factor_enrol", "second_factor_verify", "second_factor_backup_codes"):
            assert client.post(reverse(f"portal:account:{name}"), {"otp_token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.exists()
