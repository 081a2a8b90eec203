"""Matrix entries of the portal skeleton, and the portal and API URLs that have no owner by nature."""

from __future__ import annotations

from permission_matrix.harness import ALL_SIGNED_IN, Endpoint, Exempt

ENDPOINTS = [
    Endpoint("portal:home", ALL_SIGNED_IN),
]

EXEMPT = [
    Exempt(r"^portal:login$", "the sign-in form is for people who are not signed in yet"),
    Exempt(r"^portal:logout$", "signs out only the session that sends it; holds no one's data"),
    Exempt(r"^set_language$", "sets only the sender's language cookie and their own preference"),
    Exempt(r"^api:openapi-json$", "the API's published description; holds no one's data"),
    Exempt(r"^api:openapi-view$", "the API docs page; holds no one's data"),
    Exempt(r"^api:api-root$", "ninja's root placeholder; holds no one's data"),
    Exempt(r"^api-unknown-path$", "answers 404 for paths under /api/ that match no operation"),
]
