"""The portal skeleton's pages: home greets by role, sign-in with e-mail, sign-out by POST only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next=/"


@pytest.mark.parametrize("role", list(Role))
def test_home_greets_every_role(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    html = client.get(reverse("portal:home")).content.decode()
    assert f"Welcome, {user.email}" in html
    assert f"You are signed in as: {role.label}." in html


def test_home_links_the_admin_for_staff_only(client, make_user):
    officer = make_user(Role.OFFICER)
    client.force_login(officer)
    assert reverse("admin:index") not in client.get("/").content.decode()
    officer.is_staff = True
    officer.save()
    assert reverse("admin:index") in client.get("/").content.decode()


def test_page_has_landmarks_skip_link_and_header(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert 'action="/logout/"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "Analyst" in html


def test_sign_in_with_e_mail_in_any_case(client, make_user):
    user = make_user(email="ada@example.test")
    response = client.post(reverse("portal:login"), {"username": "Ada@Example.TEST", "password": "pw-Test-12345"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get("/").context["user"] == user


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user(email="ada@example.test")
    response = client.post(reverse("portal:login"), {"username": "ada@example.test", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_follows_next(client, make_user):
    make_user(email="ada@example.test")
    response = client.post(
        reverse("portal:login"), {"username": "ada@example.test", "password": "pw-Test-12345", "next": "/api/docs"}
    )
    assert response["Location"] == "/api/docs"


def test_signed_in_visitor_of_login_goes_home(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("portal:login"))["Location"] == reverse("portal:home")


def test_sign_out_is_post_only_and_ends_the_session(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("portal:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("portal:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:login")
    assert "You have signed out." in response.content.decode()
    assert "_auth_user_id" not in client.session
