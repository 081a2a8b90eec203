"""Matrix entries of the operations kit: the health endpoint (open to everyone) and the single sign-on flow."""

from __future__ import annotations

from permission_matrix.harness import ACTORS, Endpoint, Exempt

ENDPOINTS = [
    Endpoint("health", frozenset(ACTORS)),
]

EXEMPT = [
    Exempt(r"^oidc_authentication_init$", "starts a staff sign-in at the identity provider; 404 while SSO is off"),
    Exempt(r"^oidc_authentication_callback$", "the provider's answer to a sign-in the same session started"),
]
