"""Writes on accounts: every one audited on the person's chain."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from talentgate.accounts.models import ApiToken, User
from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.access import has_role
from talentgate.common.errors import Conflict, FieldError, PermissionRefused, ValidationFailed


def create_user(
    actor: Any,
    *,
    email: str,
    password: str | None,
    role: Role = Role.CANDIDATE,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an account; refuses a malformed or taken e-mail and a weak password."""
    errors: list[FieldError] = []
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", "format", "Enter a valid e-mail address."))
    else:
        if User.objects.filter(email=email).exists():
            errors.append(FieldError("email", "unique", "An account with this e-mail address already exists."))
    if password is not None:
        try:
            validate_password(password, User(email=email, first_name=first_name, last_name=last_name))
        except ValidationError as exc:
            errors.extend(FieldError("password", "strength", message) for message in exc.messages)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = User.objects.create_user(email, password, role=role, first_name=first_name, last_name=last_name)
        audit.record(actor, "user.created", user, chain=audit.chain_for_person(user.pk), fields=["email", "role"])
    return user


# --- API tokens and the language preference (the API and portal skeletons) ---------------

API_KEY_PREFIX = "tg_"
# The shown prefix: "tg_" plus 8 random characters, enough to tell a person's tokens apart.
API_KEY_DISPLAY_LENGTH = 11
MAX_ACTIVE_API_TOKENS = 20


def hash_api_key(raw_key: str) -> str:
    """The SHA-256 hex digest stored for a key (the raw key itself is never stored)."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedApiToken:
    """A new token and its raw key; the key exists only here and is never shown again."""

    token: ApiToken
    key: str


def _may_manage_tokens_of(actor: Any, user: User) -> bool:
    """People manage their own tokens; administrators (and admin-site users with the permission) anyone's."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.pk == user.pk or has_role(actor, Role.ADMINISTRATOR) or actor.has_perm("accounts.add_apitoken")


def create_api_token(actor: Any, *, user: User, name: str) -> IssuedApiToken:
    """Issue a bearer token for ``user``; returns the raw key once.

    Refuses a blank or over-long name, a name already used by one of the user's active
    tokens (409), more than ``MAX_ACTIVE_API_TOKENS`` active tokens, and an inactive user.
    """
    if not _may_manage_tokens_of(actor, user):
        raise PermissionRefused("You may only create API tokens for yourself.", rule="owner")
    name = (name or "").strip()
    max_length = ApiToken._meta.get_field("name").max_length or 100
    if not name:
        raise ValidationFailed.single("name", "required", "Give the token a name that says what it is for.")
    if len(name) > max_length:
        raise ValidationFailed.single("name", "max_length", f"Use at most {max_length} characters.")
    if not user.is_active:
        raise ValidationFailed.single("user", "active", "Tokens can only be issued to active accounts.")
    with transaction.atomic():
        # Lock the user's row so two concurrent requests cannot both pass the checks below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked__isnull=True)
        if active.filter(name=name).exists():
            raise Conflict("name", "unique", "You already have an active token with this name; choose another name.")
        if active.count() >= MAX_ACTIVE_API_TOKENS:
            raise Conflict(
                "",
                "limit",
                f"You already have {MAX_ACTIVE_API_TOKENS} active tokens; revoke one before adding another.",
            )
        raw_key = API_KEY_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_api_key(raw_key), prefix=raw_key[:API_KEY_DISPLAY_LENGTH]
        )
        audit.record(actor, "api_token.created", token, chain=audit.chain_for_person(user.pk), fields=["name"])
    return IssuedApiToken(token=token, key=raw_key)


def revoke_api_token(actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token for good; refuses (409) a token that is already revoked."""
    if not _may_manage_tokens_of(actor, token.user):
        raise PermissionRefused("You may only revoke your own API tokens.", rule="owner")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked is not None:
            raise Conflict("revoked", "already_revoked", "This token is already revoked.")
        locked.revoked = timezone.now()
        locked.save(update_fields=["revoked"])
        audit.record(
            actor, "api_token.revoked", locked, chain=audit.chain_for_person(locked.user_id), fields=["revoked"]
        )
    return locked


def set_preferred_language(actor: Any, user: User, language: str) -> User:
    """Remember the language ``user`` chose (``""``: follow the browser again); a no-op when unchanged."""
    if not getattr(actor, "is_authenticated", False) or (
        actor.pk != user.pk and not has_role(actor, Role.ADMINISTRATOR)
    ):
        raise PermissionRefused("You may only change your own language.", rule="owner")
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise ValidationFailed.single(
            "preferred_language", "choice", f"Choose one of: {', '.join(codes)} (or leave it empty)."
        )
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit.record(
            actor, "user.language_set", user, chain=audit.chain_for_person(user.pk), fields=["preferred_language"]
        )
    return user
