"""Sign-in throttling (django-axes): locked after N wrong passwords per e-mail address and IP address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.accounts.throttling import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-12345"


def attempt(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("portal:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_wrong_password_names_the_rule_and_counts(make_user):
    user = make_user(Role.CANDIDATE)
    response = attempt(Client(), user.email, "wrong")
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 1


def test_the_limit_locks_that_address_from_that_ip_with_a_clear_page_even_with_the_right_password(make_user, settings):
    user = make_user(Role.CANDIDATE, email="ada@example.test")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "ADA@example.test ", "wrong").status_code == 200  # same address, any case
    locked = attempt(client, user.email, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page
    assert f"wrongly {settings.AXES_FAILURE_LIMIT} times" in page
    assert "ada@example.test" in page
    assert "Try again in 15 minutes." in page
    refused = attempt(client, user.email, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address from the same IP, and the same address from another IP, are not locked.
    other = make_user(Role.CANDIDATE)
    assert attempt(Client(), other.email, PASSWORD).status_code == 302
    assert attempt(Client(), user.email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_an_administrator_lifts_the_lock(make_user, settings):
    user = make_user(Role.CANDIDATE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), user.email, "wrong")
    assert attempt(Client(), user.email, PASSWORD).status_code == 429
    call_command("axes_reset_username", user.email)
    assert attempt(Client(), user.email, PASSWORD).status_code == 302


def test_the_admin_lists_attempts_for_an_administrator_to_delete(make_user, settings):
    user = make_user(Role.CANDIDATE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), user.email, "wrong")
    admin = make_user(Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    record = AccessAttempt.objects.get(username=user.email)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert user.email in page.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[record.pk]), {"post": "yes"})
    assert attempt(Client(), user.email, PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_count(make_user, settings):
    user = make_user(Role.CANDIDATE)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(Client(), user.email, "wrong")
    assert attempt(Client(), user.email, PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(Client(), user.email, "wrong").status_code == 200


def test_the_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.9.9.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what the client wrote itself (6.6.6.6) is not believed
