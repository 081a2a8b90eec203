"""Every page each role can reach, rendered: a strict Content-Security-Policy, nothing inline, nothing external.

The pages come from the permission matrix (every portal GET, as every actor allowed to see it) plus the
pages for people who are not signed in. The checks themselves are in ``permission_matrix.page_audit``.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from permission_matrix import entries
from permission_matrix.harness import Endpoint, send
from permission_matrix.page_audit import page_problems, parse_policy, policy_problems

pytestmark = pytest.mark.django_db

PAGES = [
    endpoint
    for module in entries.load()
    for endpoint in module.ENDPOINTS
    if endpoint.method == "GET" and not endpoint.is_api and endpoint.allowed
]

#: Pages for people who are not signed in (exempt from the matrix: they hold no one's data).
PUBLIC_PAGES = [
    "portal:login",
    "portal:account:sign_up",
    "portal:account:sign_up_done",
    "portal:account:password_reset",
    "portal:account:password_reset_done",
    "portal:account:resend_verification",
    "portal:host:sign_up",
    "portal:host:sign_up_done",
    "api:openapi-view",
]


def audit(response) -> list[str]:
    problems = policy_problems(response.get("Content-Security-Policy"))
    if response.get("Content-Type", "").startswith("text/html"):
        problems += page_problems(response.content.decode())
    return problems


@pytest.mark.parametrize("endpoint", PAGES, ids=[e.id for e in PAGES])
def test_every_page_of_every_role_keeps_the_policy(matrix_world, endpoint: Endpoint):
    found = {}
    for actor in sorted(endpoint.allowed):
        response = send(matrix_world.client_for(actor), endpoint, matrix_world)
        assert response.status_code < 400, f"{endpoint.id} as {actor}: {response.status_code}"
        if problems := audit(response):
            found[actor] = problems
    assert found == {}


@pytest.mark.parametrize("url_name", PUBLIC_PAGES)
def test_public_pages_keep_the_policy(url_name):
    response = Client().get(reverse(url_name))
    assert response.status_code == 200
    assert audit(response) == []


def test_the_policy_is_strict():
    policy = parse_policy(Client().get(reverse("portal:login"))["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce is added only on a page that asks for one
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>", "an inline <script>: 'alert(1)'"),
        ('<p style="color:red">x</p>', '<p style="color:red"> (inline style attribute)'),
        ("<style>p{}</style>", "a <style> element (inline style)"),
        ('<button onclick="go()">x</button>', "<button onclick=...> (inline event handler)"),
        ('<a href="javascript:go()">x</a>', "<a href='javascript:go()'> (javascript: URL)"),
        ('<img src="https://cdn.example.com/a.png">', "<img src='https://cdn.example.com/a.png'> (external URL)"),
        ('<link href="//fonts.example.com/f.css">', "<link href='//fonts.example.com/f.css'> (external URL)"),
        ('<form action="http://evil.example/steal">', "<form action='http://evil.example/steal'> (external URL)"),
    ],
)
def test_the_page_audit_finds_what_the_policy_forbids(html, expected):
    assert page_problems(html) == [expected]


def test_the_page_audit_passes_local_urls_scripts_by_source_and_data_blocks():
    html = (
        '<script src="/static/a.js" defer></script><script type="application/json">{"a": 1}</script>'
        '<a href="/cases/">x</a><a href="http://testserver/x">y</a><a href="mailto:a@b.c">z</a>'
    )
    assert page_problems(html) == []


def test_the_policy_audit_refuses_unsafe_inline_and_other_hosts():
    weak = "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.com; object-src 'none'"
    assert policy_problems(weak) == [
        "frame-ancestors is None, expected [\"'none'\"]",
        "form-action is None, expected [\"'self'\"]",
        "base-uri is None, expected [\"'self'\"]",
        "script-src allows 'unsafe-inline'",
        "script-src allows another host (https://cdn.example.com)",
    ]
    assert policy_problems(None) == ["no Content-Security-Policy header"]
