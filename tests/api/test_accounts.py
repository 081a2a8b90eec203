"""/api/me and the caller's own API tokens: happy paths, pagination, bad input, someone else's token."""

from __future__ import annotations

import pytest

from talentgate.accounts.models import ApiToken
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_api_token
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_me_tells_role_and_language(client, make_user):
    user = make_user(Role.OFFICER)
    client.force_login(user)
    body = client.get("/api/me").json()
    assert body["email"] == user.email
    assert body["role"] == "officer"
    assert body["role_label"] == "Programme officer"
    assert body["language"] == "en"
    assert body["preferred_language"] == ""
    assert body["is_staff"] is False


def test_me_role_label_follows_accept_language(client, make_user):
    client.force_login(make_user(Role.OFFICER))
    body = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["language"] == "ru"
    assert body["role_label"] == "Сотрудник программы"


def test_create_returns_the_key_once_and_audits(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post("/api/me/tokens", {"name": "export"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith(body["prefix"])
    listed = client.get("/api/me/tokens").json()
    assert [t["name"] for t in listed["items"]] == ["export"]
    assert "key" not in listed["items"][0]
    assert AuditEntry.objects.filter(action="api_token.created", chain=f"person:{user.pk}").count() == 1


def test_list_is_paginated_and_shows_only_own_tokens(client, make_user):
    user, other = make_user(), make_user()
    for n in range(5):
        create_api_token(user, user=user, name=f"t{n}")
    create_api_token(other, user=other, name="not yours")
    client.force_login(user)
    page = client.get("/api/me/tokens", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5
    assert (page["limit"], page["offset"]) == (2, 1)
    assert [t["name"] for t in page["items"]] == ["t3", "t2"]


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ({"limit": 201}, "limit", "less_than_equal"),
        ({"limit": 0}, "limit", "greater_than_equal"),
        ({"offset": -1}, "offset", "greater_than_equal"),
        # Found by the fuzz run: an offset past 64 bits overflowed the database integer (a 500).
        ({"offset": 9223372036854775809}, "offset", "less_than_equal"),
        ({"offset": 2**31}, "offset", "less_than_equal"),
        ({"limit": "many"}, "limit", "int_parsing"),
    ],
)
def test_bad_pagination_is_refused_with_the_parameter_named(client, make_user, query, field, rule):
    client.force_login(make_user())
    response = client.get("/api/me/tokens", query)
    assert response.status_code == 422
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [(field, rule)]


def test_bad_name_changes_nothing(client, make_user):
    client.force_login(make_user())
    response = client.post("/api/me/tokens", {"name": "x" * 101}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert ApiToken.objects.count() == 0
    assert AuditEntry.objects.filter(action="api_token.created").count() == 0


def test_revoke_own_token(client, make_user):
    user = make_user()
    issued = create_api_token(user, user=user, name="old")
    client.force_login(user)
    assert client.delete(f"/api/me/tokens/{issued.token.pk}").status_code == 204
    assert ApiToken.objects.get(pk=issued.token.pk).revoked is not None
    again = client.delete(f"/api/me/tokens/{issued.token.pk}")
    assert again.status_code == 409
    assert again.json()["errors"][0]["rule"] == "already_revoked"


def test_someone_elses_token_is_404_and_stays_active(client, make_user):
    owner = make_user()
    issued = create_api_token(owner, user=owner, name="owner's")
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert client.delete(f"/api/me/tokens/{issued.token.pk}").status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked is None
