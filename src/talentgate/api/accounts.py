"""API routes of the accounts domain: who am I, and the caller's own API tokens."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.accounts import selectors, services
from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str = Field(description="The role's code, e.g. 'candidate' or 'officer'.")
    role_label: str = Field(description="The role's name in the response language.")
    language: str = Field(description="The language responses are in now.")
    preferred_language: str = Field(description="The language the person chose; empty: follow the browser.")
    is_staff: bool = Field(description="May open the admin site.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The key's first characters, to recognise it; the key itself is never shown again.")
    created: datetime
    last_used: datetime | None
    revoked: datetime | None


class TokenIn(Schema):
    name: str = Field(description="What the token is for, e.g. 'nightly export'.", max_length=100)


class IssuedTokenOut(TokenOut):
    key: str = Field(description="The raw key. Shown only in this response: store it now.")


def _token_out(token: object) -> dict[str, object]:
    return {name: getattr(token, name) for name in TokenOut.model_fields}


@router.get("/me", response={200: MeOut, **error_responses(401)}, summary="Who am I")
def get_me(request: HttpRequest) -> dict[str, object]:
    """The signed-in person: role, language and whether they may use the admin site."""
    user = actor_of(request)
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "language": get_language() or "",
        "preferred_language": user.preferred_language,
        "is_staff": user.is_staff,
    }


@router.get("/me/tokens", response={200: list[TokenOut], **error_responses(401, 422)}, summary="List my API tokens")
@paginate(LimitOffsetPage)
def list_tokens(request: HttpRequest) -> object:
    """The caller's tokens, newest first, revoked ones included (with the time they were revoked)."""
    return selectors.api_tokens_visible_to(actor_of(request)).order_by("-created", "-id")


@router.post(
    "/me/tokens",
    response={201: IssuedTokenOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Create an API token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """Issue a token for the caller. The response carries the raw key once; only its hash is kept."""
    actor = actor_of(request)
    issued = services.create_api_token(actor, user=actor, name=payload.name)
    return Status(201, {**_token_out(issued.token), "key": issued.key})


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Revoke an API token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    """Revoke one of the caller's tokens for good; someone else's token is answered 404."""
    actor = actor_of(request)
    services.revoke_api_token(actor, selectors.get_api_token_for(actor, token_id))
    return Status(204, None)
