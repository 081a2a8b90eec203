"""Staff single sign-on (OpenID Connect) against a stub identity provider served over real HTTP on localhost."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db
CLIENT_ID, CLIENT_SECRET = "talentgate", "stub-provider-client-secret-of-32-bytes-or-more"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token(claims: dict[str, Any], secret: str) -> str:
    """A compact JWS (HS256) as a provider signs it with the client secret."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


class StubProvider:
    """Token and userinfo endpoints of an OpenID provider; ``register`` plays the person signing in there."""

    def __init__(self) -> None:
        self.grants: dict[str, dict[str, Any]] = {}
        self.signing_secret = CLIENT_SECRET
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                grant = provider.grants.get(form.get("code", [""])[0])
                if self.path != "/token" or grant is None or form.get("client_secret") != [CLIENT_SECRET]:
                    self._json(400, {"error": "invalid_grant"})
                    return
                now = int(time.time())
                token_claims = {
                    "iss": provider.url,
                    "aud": CLIENT_ID,
                    "sub": grant["claims"]["sub"],
                    "iat": now,
                    "exp": now + 300,
                    "nonce": grant["nonce"],
                }
                self._json(
                    200,
                    {
                        "access_token": grant["access_token"],
                        "token_type": "Bearer",
                        "id_token": id_token(token_claims, provider.signing_secret),
                    },
                )

            def do_GET(self) -> None:
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                grant = next((g for g in provider.grants.values() if g["access_token"] == bearer), None)
                if self.path != "/userinfo" or grant is None:
                    self._json(401, {"error": "invalid_token"})
                    return
                self._json(200, grant["claims"])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def register(self, code: str, claims: dict[str, Any], nonce: str) -> None:
        self.grants[code] = {"claims": claims, "nonce": nonce, "access_token": f"at-{code}"}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    stub = StubProvider()
    yield stub
    stub.stop()


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "talentgate.ops.sso.StaffOIDCBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {
        "agency-officers": "officer",
        "agency-supervisors": "supervisor",
        "ministry-migration": "authority",
        "everyone": "candidate",  # never granted: SSO gives staff roles only
    }
    return provider


def claims_for(email: str, *groups: str, **extra: Any) -> dict[str, Any]:
    return {"sub": f"sub-{email}", "email": email, "email_verified": True, "groups": list(groups), **extra}


def sign_in(client, provider: StubProvider, claims: dict[str, Any], *, state: str | None = None):
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.url}/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    code = secrets.token_hex(6)
    provider.register(code, claims, nonce=query["nonce"][0])
    return client.get("/oidc/callback/", {"code": code, "state": state or query["state"][0]})


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_an_agency_officer_signs_in_and_gets_an_audited_officer_account(client, sso):
    response = sign_in(
        client, sso, claims_for("a.petrova@agency.example", "agency-officers", given_name="Anna", family_name="Petrova")
    )
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None
    assert (user.email, user.role, user.first_name) == ("a.petrova@agency.example", Role.OFFICER, "Anna")
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(chain=f"person:{user.pk}", action="user.created").exists()


def test_the_most_privileged_mapped_group_wins(client, sso):
    sign_in(client, sso, claims_for("lead@agency.example", "everyone", "agency-officers", "agency-supervisors"))
    assert signed_in_user(client).role == Role.SUPERVISOR


def test_a_person_without_a_staff_group_is_refused_and_no_account_is_made(client, sso):
    response = sign_in(client, sso, claims_for("someone@example.org", "everyone"))
    assert response.status_code == 302
    assert response["Location"] == "/"  # the failure URL
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="someone@example.org").exists()


def test_an_unverified_email_is_refused(client, sso):
    sign_in(client, sso, claims_for("new@agency.example", "agency-officers", email_verified=False))
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="new@agency.example").exists()


def test_a_candidate_account_is_never_turned_into_staff(client, sso, make_user):
    candidate = make_user(Role.CANDIDATE, email="dual@example.org")
    sign_in(client, sso, claims_for("dual@example.org", "agency-officers"))
    assert signed_in_user(client) is None
    candidate.refresh_from_db()
    assert candidate.role == Role.CANDIDATE


def test_a_changed_group_changes_the_staff_role_with_an_audit_entry(client, sso, make_user):
    officer = make_user(Role.OFFICER, email="promoted@agency.example")
    sign_in(client, sso, claims_for("Promoted@Agency.example", "agency-supervisors"))
    assert signed_in_user(client) == officer
    officer.refresh_from_db()
    assert officer.role == Role.SUPERVISOR
    assert AuditEntry.objects.filter(chain=f"person:{officer.pk}", action="user.role_synced_from_sso").count() == 1


def test_a_forged_state_signs_nobody_in(client, sso):
    response = sign_in(client, sso, claims_for("x@agency.example", "agency-officers"), state="forged")
    assert response.status_code in (302, 400)
    assert signed_in_user(client) is None


def test_an_id_token_not_signed_with_the_shared_secret_is_refused(client, sso):
    sso.signing_secret = "someone-else's-secret-that-is-also-32-bytes-long"
    response = sign_in(client, sso, claims_for("y@agency.example", "agency-officers"))
    assert response.status_code == 400  # Django answers a SuspiciousOperation with 400
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="y@agency.example").exists()


def test_sign_in_pages_are_404_while_sso_is_off(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "c", "state": "s"}).status_code == 404
