"""Matrix entries of the accounts API: /api/me and the caller's own API tokens.

World objects: ``candidate_token`` (an active API token of ``candidate``).
"""

from __future__ import annotations

from permission_matrix.harness import ALL_SIGNED_IN, Endpoint, World
from talentgate.accounts.services import create_api_token


def build(world: World) -> None:
    candidate = world.users["candidate"]
    world.objects["candidate_token"] = create_api_token(candidate, user=candidate, name="matrix").token


def _candidate_token(world: World) -> dict[str, int]:
    return {"token_id": world.obj("candidate_token").pk}


ENDPOINTS = [
    # Everyone signed in has a "me" and a token list of their own; only anonymous is refused.
    Endpoint("api:accounts_get_me", ALL_SIGNED_IN),
    Endpoint("api:accounts_list_tokens", ALL_SIGNED_IN),
    Endpoint("api:accounts_create_token", ALL_SIGNED_IN, method="POST", body=lambda w: {"name": "matrix-new"}),
    # Someone else's token: only its owner may revoke it, administrators included are refused here.
    Endpoint("api:accounts_revoke_token", frozenset({"candidate"}), method="DELETE", kwargs=_candidate_token),
]
