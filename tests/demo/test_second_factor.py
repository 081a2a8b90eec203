"""The demo's staff authenticators: keys printed with the logins, `talentgate demo otp` gives a code that signs in."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from typer.testing import CliRunner

from talentgate.accounts.models import User
from talentgate.cli import app
from talentgate.demo.catalogue import DEMO_LOGINS, DEMO_PASSWORD
from talentgate.demo.second_factor import demo_code, ensure_demo_authenticators

pytestmark = pytest.mark.django_db

STAFF_ROLES = {"officer", "supervisor", "reviewer", "authority", "analyst", "administrator"}


@pytest.fixture
def demo_logins():
    for login in DEMO_LOGINS:
        User.objects.create_user(
            login.email, DEMO_PASSWORD, role=login.role, is_staff=login.is_staff, is_superuser=login.is_superuser
        )


def test_every_demo_staff_login_and_only_those_get_one_stable_key(demo_logins):
    keys = ensure_demo_authenticators()
    assert set(keys) == {login.email for login in DEMO_LOGINS if login.role in STAFF_ROLES}
    assert ensure_demo_authenticators() == keys  # the second call (every `make demo`) keeps them


def test_demo_otp_prints_a_code_that_passes_the_second_step(demo_logins):
    ensure_demo_authenticators()
    result = CliRunner().invoke(app, ["demo", "otp", "officer@demo.talentgate.test"])
    assert result.exit_code == 0, result.output
    code = result.stdout.strip()
    assert len(code) == 6
    assert code.isdigit()
    assert demo_code("officer") == code  # by role too
    with override_settings(STAFF_MFA_REQUIRED=True):
        client = Client()
        client.post(reverse("portal:login"), {"username": "officer@demo.talentgate.test", "password": DEMO_PASSWORD})
        response = client.post(reverse("portal:account:second_factor_verify"), {"otp_token": code, "next": "/"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_demo_otp_refuses_a_candidate_naming_the_staff_logins(demo_logins):
    result = CliRunner().invoke(app, ["demo", "otp", "candidate@demo.talentgate.test"])
    assert result.exit_code == 1
    assert "not a demo staff login" in result.output
    assert "officer@demo.talentgate.test" in result.output
