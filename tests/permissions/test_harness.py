"""The matrix's own checks can fail: a leak, a wrong refusal shape and a write are each caught."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from permission_matrix.harness import (
    ACTORS,
    NOBODY,
    Endpoint,
    Exempt,
    admission_problem,
    changed_models,
    database_fingerprint,
    project_routes,
    refusal_problem,
    send,
)

from talentgate.accounts.roles import Role

API = Endpoint("api:accounts_get_me", NOBODY)
PAGE = Endpoint("portal:home", NOBODY)
ENVELOPE = {"errors": [{"field": "", "rule": "not_found", "message": "No such thing."}]}


def _json(status: int, body: object) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def test_api_refusal_must_be_401_403_or_404_in_the_envelope():
    assert refusal_problem(API, _json(404, ENVELOPE)) is None
    assert refusal_problem(API, _json(401, ENVELOPE)) is None
    assert "got 200" in refusal_problem(API, _json(200, {"id": 1}))
    assert "got 400" in refusal_problem(API, _json(400, ENVELOPE))
    assert "envelope" in refusal_problem(API, JsonResponse({"detail": "Forbidden"}, status=403))


def test_page_refusal_must_be_403_404_or_a_redirect_to_sign_in():
    assert refusal_problem(PAGE, HttpResponse(status=403)) is None
    assert refusal_problem(PAGE, HttpResponseRedirect("/login/?next=/")) is None
    assert refusal_problem(PAGE, HttpResponseRedirect("/admin/login/?next=/admin/")) is None
    assert "got 200" in refusal_problem(PAGE, HttpResponse("secret"))
    assert "got 302 /elsewhere/" in refusal_problem(PAGE, HttpResponseRedirect("/elsewhere/"))


def test_admission_refuses_errors_and_sign_in_redirects():
    assert admission_problem(PAGE, HttpResponse("ok")) is None
    assert admission_problem(API, _json(204, None)) is None
    assert "403" in admission_problem(PAGE, HttpResponse(status=403))
    assert "sign-in" in admission_problem(PAGE, HttpResponseRedirect("/login/?next=/"))


@pytest.mark.django_db
def test_fingerprint_sees_an_insert_and_a_one_field_update(make_user):
    before = database_fingerprint()
    user = make_user(Role.CANDIDATE)
    after_insert = database_fingerprint()
    assert "accounts.User" in changed_models(before, after_insert)
    user.first_name = "Ada"
    user.save(update_fields=["first_name"])
    assert changed_models(after_insert, database_fingerprint()) == ["accounts.User"]


@pytest.mark.django_db
def test_fingerprint_ignores_the_sign_in_session_only(client, make_user):
    user = make_user()
    before = database_fingerprint()
    client.force_login(user)
    # Signing in writes a session row (ignored) and last_login (not ignored).
    assert changed_models(before, database_fingerprint()) == ["accounts.User"]


@pytest.mark.django_db
def test_a_page_open_to_everyone_is_caught_as_a_leak(matrix_world):
    # The sign-in page sends a signed-in visitor home: not a refusal, so a matrix entry saying
    # "nobody may use this" must fail for it.
    leaky = Endpoint("portal:login", NOBODY)
    response = send(matrix_world.client_for("candidate"), leaky, matrix_world)
    assert refusal_problem(leaky, response) == "expected 403/404 or a redirect to a sign-in page, got 302 /"


def test_route_walk_names_namespaced_and_unnamed_patterns():
    keys = {route.key for route in project_routes()}
    assert {"api:accounts_get_me", "portal:home", "admin:index", "set_language"} <= keys
    assert any(key.startswith("admin/") for key in keys), "the admin's unnamed catch-all routes are listed by route"


def test_exemption_matches_by_regex():
    exempt = Exempt(r"^portal:login$", "reason")
    assert exempt.matches("portal:login")
    assert not exempt.matches("portal:login_extra")


def test_actors_cover_anonymous_and_every_role():
    from permission_matrix.world import ACTOR_ROLES

    assert "anonymous" in ACTORS
    assert set(ACTOR_ROLES.values()) == set(Role)
