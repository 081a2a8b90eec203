"""The account pages: sign up, verify by following the e-mailed link, resend, and reset a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from talentgate.accounts.models import User

pytestmark = pytest.mark.django_db

STRONG = "Orbital-Relay-2031"


def _sign_up(client, **overrides):
    data = {
        "email": "nadia@example.test",
        "first_name": "Nadia",
        "last_name": "Rahman",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return client.post(reverse("portal:account:sign_up"), data)


def _link_path(pattern: str) -> str:
    match = re.search(r"http://testserver(" + pattern + r")", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_sign_up_page_renders_with_labels_tied_to_inputs(client):
    html = client.get(reverse("portal:account:sign_up")).content.decode()
    assert '<label for="id_email">' in html
    assert 'id="id_password1"' in html


def test_sign_up_then_verify_then_sign_in(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account:sign_up_done")
    path = _link_path(r"/account/verify/[^/\s]+/")
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert not User.objects.get().is_active  # a GET (e.g. a mail scanner) activates nothing
    done = client.post(path)
    assert done["Location"] == reverse("portal:login")
    assert User.objects.get().is_active
    assert client.login(username="nadia@example.test", password=STRONG)


def test_an_invalid_link_says_so_and_offers_a_new_one(client):
    _sign_up(client)
    response = client.post(reverse("portal:account:verify_email", kwargs={"token": "nonsense"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This verification link is not valid" in html
    assert reverse("portal:account:resend_verification") in html


def test_mismatched_passwords_are_shown_next_to_the_second_field(client):
    response = _sign_up(client, password2="Something-else-99")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password2_error"' in html
    assert "The two passwords differ" in html
    assert not User.objects.exists()


def test_service_errors_land_next_to_their_fields(client, make_user):
    make_user(email="nadia@example.test")
    html = _sign_up(client, password1="12345678", password2="12345678").content.decode()
    assert 'id="id_email_error"' in html
    assert "already exists" in html
    assert 'id="id_password1_error"' in html
    assert User.objects.count() == 1


def test_resend_page_sends_a_new_link(client):
    _sign_up(client)
    response = client.post(reverse("portal:account:resend_verification"), {"email": "nadia@example.test"})
    assert response["Location"] == reverse("portal:login")
    assert len(mail.outbox) == 2


def test_password_reset_through_the_pages(client, make_user):
    make_user(email="ada@example.test")
    response = client.post(reverse("portal:account:password_reset"), {"email": "ada@example.test"})
    assert response["Location"] == reverse("portal:account:password_reset_done")
    path = _link_path(r"/account/password-reset/[^/\s]+/[^/\s]+/")
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done["Location"] == reverse("portal:account:password_reset_complete")
    assert client.login(username="ada@example.test", password=STRONG)


def test_a_bad_reset_link_says_so(client):
    html = client.get(
        reverse("portal:account:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    ).content.decode()
    assert "invalid, expired or already used" in html


def test_login_page_links_sign_up_and_reset(client):
    html = client.get(reverse("portal:login")).content.decode()
    assert reverse("portal:account:sign_up") in html
    assert reverse("portal:account:password_reset") in html


@pytest.mark.parametrize(
    "name", ["sign_up", "sign_up_done", "resend_verification", "password_reset", "password_reset_done"]
)
def test_pages_render_in_russian(client, name):
    response = client.get(reverse(f"portal:account:{name}"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
