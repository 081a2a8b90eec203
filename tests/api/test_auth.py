"""Bearer tokens and sessions: who may call the API."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from talentgate.accounts.models import ApiToken
from talentgate.accounts.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(make_user):
    user = make_user()
    return create_api_token(user, user=user, name="script")


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_authenticates_without_a_session(issued):
    response = Client().get("/api/me", **_bearer(issued.key))
    assert response.status_code == 200
    assert response.json()["email"] == issued.token.user.email


def test_token_post_needs_no_csrf(issued):
    response = Client(enforce_csrf_checks=True).post(
        "/api/me/tokens", {"name": "second"}, content_type="application/json", **_bearer(issued.key)
    )
    assert response.status_code == 201


def test_only_the_hash_of_the_key_is_stored(issued):
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key.startswith(token.prefix)
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values_list().get()]
    assert issued.key not in stored


def test_revoked_token_is_refused(issued):
    revoke_api_token(issued.token.user, issued.token)
    response = Client().get("/api/me", **_bearer(issued.key))
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_token_of_a_deactivated_user_is_refused(issued):
    user = issued.token.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get("/api/me", **_bearer(issued.key)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer tg_wrong", "Bearer ", "Token abc", "Bearer not-our-format"])
def test_wrong_or_malformed_tokens_are_refused(issued, header):
    assert Client().get("/api/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_use_is_recorded_in_last_used(issued):
    assert ApiToken.objects.get(pk=issued.token.pk).last_used is None
    Client().get("/api/me", **_bearer(issued.key))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used is not None


def test_session_post_with_csrf_token_is_accepted(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    client.get("/api/docs")  # any page rendering {% csrf_token %} sets the cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/me/tokens", {"name": "ui"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_anonymous_post_is_401_not_a_csrf_403():
    response = Client(enforce_csrf_checks=True).post("/api/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
