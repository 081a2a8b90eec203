"""Host sign-up, registration and the dashboard: the account waits for the e-mailed link, the organisation
for an officer, and the page says why it cannot publish yet."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.hosts.models import Membership, Organisation

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "Lead@Orbital.example",
    "first_name": "Ada",
    "last_name": "Byron",
    "password1": "pw-Orbital-2026!",
    "password2": "pw-Orbital-2026!",
    "name": "Orbital Works",
    "kind": "private_company",
    "country": "RU",
    "region": "Moscow Oblast",
    "website": "orbital.example",
}


def test_sign_up_page_renders_with_labelled_fields_and_live_validation(client):
    html = client.get(reverse("portal:host:sign_up")).content.decode()
    assert '<label for="id_email"' in html
    assert 'hx-post="/host/validate-public/sign_up/"' in html
    assert 'id="group-name"' in html
    assert "<legend>Your organisation</legend>" in html


def test_sign_up_creates_an_inactive_admin_and_a_pending_organisation_and_mails_the_link(client):
    response = client.post(reverse("portal:host:sign_up"), SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:host:sign_up_done")
    user = User.objects.get(email="lead@orbital.example")
    assert (user.role, user.is_active) == (Role.HOST_ADMIN, False)
    organisation = Organisation.objects.get(name="Orbital Works")
    assert (organisation.verification, organisation.website) == ("pending", "https://orbital.example")
    assert Membership.objects.get(user=user).role == "admin"
    (message,) = mail.outbox
    assert message.to == ["lead@orbital.example"]
    link = re.search(r"http://testserver(/account/verify/\S+/)", message.body).group(1)
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_sign_up_with_a_bad_field_shows_the_error_next_to_it_and_saves_nothing(client, make_user):
    make_user(Role.CANDIDATE, email="taken@example.test")
    response = client.post(reverse("portal:host:sign_up"), {**SIGN_UP, "email": "taken@example.test", "country": "XX"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_country_error"' in html
    assert 'aria-describedby="id_country_error"' in html or "id_country_error" in html
    assert not Organisation.objects.exists()
    assert mail.outbox == []


def test_sign_up_reports_a_taken_address_from_the_service_next_to_the_e_mail_field(client, make_user):
    make_user(Role.CANDIDATE, email="taken@example.test")
    response = client.post(reverse("portal:host:sign_up"), {**SIGN_UP, "email": "taken@example.test"})
    assert response.context["form"].errors["email"] == ["An account with this e-mail address already exists."]
    assert not Organisation.objects.exists()
    assert User.objects.filter(role=Role.HOST_ADMIN).count() == 0


def test_live_validation_returns_only_the_field_group_with_its_error(client):
    response = client.post(
        reverse("portal:host:validate_public", kwargs={"form_name": "sign_up"}), {"_field": "email", "email": "nope"}
    )
    html = response.content.decode()
    assert html.strip().startswith('<div class="field" id="group-email">')
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert (
        client.post(reverse("portal:host:validate_public", kwargs={"form_name": "other"}), {"_field": "x"}).status_code
        == 404
    )


def test_the_sign_up_page_renders_in_russian(client):
    html = client.get(reverse("portal:host:sign_up"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html


def test_dashboard_of_a_pending_organisation_says_why_it_cannot_publish(client, make_org):
    org, admin, _staff = make_org(verified=False)
    client.force_login(admin)
    html = client.get(reverse("portal:host:dashboard")).content.decode()
    assert org.name in html
    assert "has not verified your organisation yet" in html


def test_a_host_admin_without_an_organisation_registers_one(client, make_user):
    admin = make_user(Role.HOST_ADMIN)
    client.force_login(admin)
    assert client.get(reverse("portal:host:dashboard"))["Location"] == reverse("portal:host:register")
    bad = client.post(reverse("portal:host:register"), {"name": "", "kind": "university", "country": "RU"})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode()
    response = client.post(reverse("portal:host:register"), {"name": "Space U", "kind": "university", "country": "KZ"})
    assert response["Location"] == reverse("portal:host:dashboard")
    assert Membership.objects.get(user=admin).organisation.name == "Space U"


def test_host_pages_refuse_candidates_and_programme_staff(client, make_user):
    for role in (Role.CANDIDATE, Role.OFFICER):
        client.force_login(make_user(role))
        assert client.get(reverse("portal:host:dashboard")).status_code == 403
