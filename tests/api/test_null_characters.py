"""A NUL character anywhere in a request's text is refused naming where it is, and nothing changes: 422 in
the path or query string, 400 in a JSON body (it may sit under a key the operation ignores).

Found by the fuzz run on PostgreSQL, whose text columns cannot hold U+0000: the value reached the query
and the API answered 500 (SQLite stored it).
"""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from talentgate.accounts.models import ApiToken
from talentgate.accounts.roles import Role
from talentgate.api.null_characters import field_with_null_character

pytestmark = pytest.mark.django_db

MESSAGE = "Remove the NUL character (U+0000): text sent to the API may not contain it."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "ok"}, None),
        ({"name": "a\x00b"}, "name"),
        ({"terms": [{"amount": "1", "note": "\x00"}]}, "terms.0.note"),
        ({"ok": {"ke\x00y": 1}}, None),
    ],
)
def test_the_first_nul_in_a_json_body_is_named_by_its_path(body, field):
    request = RequestFactory().post("/api/me/tokens", json.dumps(body), content_type="application/json")
    assert field_with_null_character(request) == field


def test_a_nul_in_the_query_string_names_the_parameter_and_one_in_the_path_names_none():
    factory = RequestFactory()
    assert field_with_null_character(factory.get("/api/cooperation/countries", {"search": "I\x00N"})) == "search"
    assert field_with_null_character(factory.get("/api/cooperation/countries/I\x00N")) == ""
    assert field_with_null_character(factory.get("/api/cooperation/countries", {"search": "IN"})) is None


def test_a_token_name_with_a_nul_is_refused_and_no_token_is_made(client, make_user):
    client.force_login(make_user())
    response = client.post("/api/me/tokens", json.dumps({"name": "ci\x00"}), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "name", "rule": "null_character", "message": MESSAGE}]}
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("path", "field"), [("/api/cooperation/countries?search=%00", "search"), ("/api/cooperation/countries/I%00N", "")]
)
def test_a_nul_in_a_query_or_path_is_refused(client, make_user, path, field):
    client.force_login(make_user(Role.ANALYST))
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "rule": "null_character", "message": MESSAGE}]


def test_a_nul_under_a_key_the_operation_ignores_is_a_bad_body_not_a_field_error(client, make_user):
    client.force_login(make_user())
    body = {"name": "ci", "ignored": {"deep": ["x\x00"]}}
    response = client.post("/api/me/tokens", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "ignored.deep.0", "rule": "null_character", "message": MESSAGE}]
    assert not ApiToken.objects.exists()
