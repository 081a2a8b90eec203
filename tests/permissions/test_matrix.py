"""Runs the permission matrix: every endpoint x every actor, plus the check that every URL is in it or exempted."""

from __future__ import annotations

import pytest
from permission_matrix import entries
from permission_matrix.harness import (
    ACTORS,
    admission_problem,
    changed_models,
    database_fingerprint,
    project_routes,
    refusal_problem,
    send,
)

pytestmark = pytest.mark.django_db

MODULES = entries.load()
ENDPOINTS = [endpoint for module in MODULES for endpoint in module.ENDPOINTS]
EXEMPTIONS = [exempt for module in MODULES for exempt in getattr(module, "EXEMPT", [])]
CASES = [(endpoint, actor) for endpoint in ENDPOINTS for actor in ACTORS]


@pytest.mark.parametrize(("endpoint", "actor"), CASES, ids=[f"{e.id} as {a}" for e, a in CASES])
def test_endpoint_admits_only_the_allowed_and_refusals_change_nothing(matrix_world, endpoint, actor):
    client = matrix_world.client_for(actor)
    before = database_fingerprint()
    response = send(client, endpoint, matrix_world)
    if actor in endpoint.allowed:
        assert admission_problem(endpoint, response) is None, admission_problem(endpoint, response)
        return
    assert refusal_problem(endpoint, response) is None, refusal_problem(endpoint, response)
    assert changed_models(before, database_fingerprint()) == []


def test_every_url_pattern_is_in_the_matrix_or_exempted_with_a_reason():
    covered = {endpoint.url_name for endpoint in ENDPOINTS}
    missing = [
        f"{route.key}  ({route.route})"
        for route in project_routes()
        if route.key not in covered and not any(exempt.matches(route.key) for exempt in EXEMPTIONS)
    ]
    assert missing == [], (
        "Add these URL patterns to tests/permissions/permission_matrix/entries/<domain>.py "
        "(ENDPOINTS, or EXEMPT with a reason):\n" + "\n".join(missing)
    )


def test_every_matrix_entry_names_a_real_url_pattern():
    names = {route.key for route in project_routes()}
    assert sorted(e.url_name for e in ENDPOINTS if e.url_name not in names) == []


def test_every_exemption_has_a_reason_and_is_used():
    keys = [route.key for route in project_routes()]
    assert all(exempt.reason.strip() for exempt in EXEMPTIONS)
    assert [e.pattern for e in EXEMPTIONS if not any(e.matches(k) for k in keys)] == []


def test_allowed_actors_are_known_actors():
    unknown = {(e.id, a) for e in ENDPOINTS for a in e.allowed if a not in ACTORS}
    assert unknown == set()
