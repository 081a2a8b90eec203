"""CSRF everywhere: every unsafe request a browser session can make needs the token.

Portal views rely on Django's CsrfViewMiddleware; a view may opt out only with a reason listed
here. The API (django-ninja marks its views exempt from the middleware) checks the token itself in
``api.auth.SessionAuth`` for every operation a session may call; the few operations without any
authentication are listed with the reason no session credential is involved.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from talentgate.accounts.roles import Role
from talentgate.api.main import api

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")

#: Portal views exempt from the CSRF middleware, each with its reason.
EXEMPT_VIEWS = {
    "talentgate.portal.notifications.views.unsubscribe": (
        "RFC 8058 one-click unsubscribe from a mail client, which sends no CSRF token; the signed token in the "
        "URL is the credential and can only turn off one kind of e-mail"
    ),
}

#: Unsafe API operations with no authentication: no session or cookie is used, so there is nothing to forge.
PUBLIC_OPERATIONS = {
    ("post", "/api/accounts/signup"): "creates an inactive account for the e-mail address given",
    ("post", "/api/accounts/verify"): "the e-mailed token is the credential",
    ("post", "/api/accounts/verify/resend"): "sends a link to the address given, never says if it exists",
    ("post", "/api/accounts/password-reset"): "sends a link to the address given, never says if it exists",
    ("post", "/api/accounts/password-reset/confirm"): "the e-mailed token is the credential",
    ("post", "/api/hosts/organisations/signup"): "creates the caller's own organisation and account",
    ("post", "/api/hosts/invitations/join"): "the invitation token is the credential",
    ("post", "/api/authority/callbacks/decision"): (
        "called by the authority's server, not a browser: the HMAC-SHA256 signature over the body is the credential"
    ),
}


def _unsafe_operations() -> list[tuple[str, str, object]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, operation.get("security"))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in UNSAFE
    ]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_portal_view_is_exempt_from_csrf_without_a_listed_reason():
    exempt = {
        f"{callback.__module__}.{callback.__name__}"
        for route, callback in _walk(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False) and not route.startswith("api/")
    }
    assert exempt == set(EXEMPT_VIEWS)


def test_every_unsafe_api_operation_takes_a_session_only_with_its_csrf_token_or_is_listed_as_public():
    operations = _unsafe_operations()
    public = {(method, path) for method, path, security in operations if not security}
    assert public == set(PUBLIC_OPERATIONS)
    assert all(security == [{"ApiTokenAuth": []}, {"SessionAuth": []}] for _m, _p, security in operations if security)


@pytest.fixture
def signed_in(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.CANDIDATE))
    return client


def test_a_session_request_without_the_token_is_refused_by_every_unsafe_api_operation(signed_in):
    refused = {}
    for method, path, security in _unsafe_operations():
        if not security:
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = getattr(signed_in, method)(url, "{}", content_type="application/json")
        errors = (
            response.json().get("errors", [{}])
            if response.get("Content-Type", "").startswith("application/json")
            else [{}]
        )
        if response.status_code != 403 or errors[0].get("rule") != "csrf":
            refused[f"{method.upper()} {path}"] = (response.status_code, errors[0].get("rule"))
    assert refused == {}


def test_the_same_request_with_the_token_gets_past_the_check(signed_in):
    signed_in.get("/")  # sets the CSRF cookie
    token = signed_in.cookies["csrftoken"].value
    response = signed_in.post(
        "/api/me/tokens", {"name": "script"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_a_portal_form_without_the_token_is_refused(signed_in):
    response = signed_in.post("/logout/")
    assert response.status_code == 403
