"""API routes of the accounts domain: who am I, the caller's own API tokens, sign-up, verification and password reset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
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


# --- self-service sign-up, e-mail verification and password reset ------------------------------
# These work without signing in (auth=None). The links in the e-mails open the portal's pages,
# where a person confirms in the browser; the API routes below do the same for other clients.


class SignUpIn(Schema):
    email: str = Field(description="The address to sign in with; the verification link is sent to it.")
    password: str = Field(description="Checked by the platform's password rules.")
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class SignUpOut(Schema):
    id: int
    email: str
    is_active: bool = Field(description="False until the address is verified with the e-mailed link.")


class VerifyEmailIn(Schema):
    token: str = Field(description="The token from the verification link (the last part of its path).")


class VerifiedOut(Schema):
    email: str
    is_active: bool


class EmailIn(Schema):
    email: str


class AcceptedOut(Schema):
    detail: str


class PasswordResetConfirmIn(Schema):
    uid: str = Field(description="The uid part of the reset link.")
    token: str = Field(description="The token part of the reset link.")
    new_password: str


def verification_link_for(request: HttpRequest) -> Callable[[str], str]:
    """Builds absolute links to the portal's verification page for the e-mails sent during ``request``."""
    return lambda token: request.build_absolute_uri(reverse("portal:account:verify_email", kwargs={"token": token}))


def reset_link_for(request: HttpRequest) -> Callable[[str, str], str]:
    """Builds absolute links to the portal's choose-a-new-password page."""
    return lambda uidb64, token: request.build_absolute_uri(
        reverse("portal:account:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    )


@router.post(
    "/accounts/signup",
    auth=None,
    response={201: SignUpOut, **error_responses(400, 422)},
    summary="Sign up as a candidate",
)
def sign_up(request: HttpRequest, payload: SignUpIn) -> Status:
    """Create a candidate account, inactive until the e-mailed verification link is followed."""
    user = services.sign_up_candidate(
        email=payload.email,
        password=payload.password,
        first_name=payload.first_name,
        last_name=payload.last_name,
        verification_link=verification_link_for(request),
    )
    return Status(201, {"id": user.pk, "email": user.email, "is_active": user.is_active})


@router.post(
    "/accounts/verify",
    auth=None,
    response={200: VerifiedOut, **error_responses(400, 409, 422)},
    summary="Verify an e-mail address",
)
def verify_email(request: HttpRequest, payload: VerifyEmailIn) -> dict[str, object]:
    """Activate the account the token was sent to; 400 for an expired or invalid token, 409 if already verified."""
    user = services.verify_email(payload.token)
    return {"email": user.email, "is_active": user.is_active}


@router.post(
    "/accounts/verify/resend",
    auth=None,
    response={202: AcceptedOut, **error_responses(400, 422)},
    summary="Send the verification e-mail again",
)
def resend_verification(request: HttpRequest, payload: EmailIn) -> Status:
    """Send a new link if this address signed up and is not verified yet; the answer is the same either way."""
    services.resend_verification_email(payload.email, verification_link_for(request))
    return Status(202, {"detail": "If this address has an unverified account, a new link is on its way."})


@router.post(
    "/accounts/password-reset",
    auth=None,
    response={202: AcceptedOut, **error_responses(400, 422)},
    summary="Ask for a password-reset link",
)
def request_password_reset(request: HttpRequest, payload: EmailIn) -> Status:
    """E-mail a reset link if an active account has this address; the answer is the same either way."""
    services.request_password_reset(payload.email, reset_link_for(request))
    return Status(202, {"detail": "If an active account has this address, a reset link is on its way."})


@router.post(
    "/accounts/password-reset/confirm",
    auth=None,
    response={200: AcceptedOut, **error_responses(400, 422)},
    summary="Choose a new password with a reset link",
)
def confirm_password_reset(request: HttpRequest, payload: PasswordResetConfirmIn) -> dict[str, str]:
    """Set a new password; 400 naming ``token`` for an invalid, expired or used link, ``new_password`` for a weak one."""
    services.reset_password(uidb64=payload.uid, token=payload.token, new_password=payload.new_password)
    return {"detail": "Your password has been changed; sign in with it."}
