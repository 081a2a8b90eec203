"""Writes on accounts (every one audited on the person's chain), with the sign-up and password-reset e-mails."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext, ngettext

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
        errors.append(FieldError("email", "format", gettext("Enter a valid e-mail address.")))
    else:
        if User.objects.filter(email=email).exists():
            errors.append(FieldError("email", "unique", gettext("An account with this e-mail address already exists.")))
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
        raise PermissionRefused(gettext("You may only create API tokens for yourself."), rule="owner")
    name = (name or "").strip()
    max_length = ApiToken._meta.get_field("name").max_length or 100
    if not name:
        raise ValidationFailed.single("name", "required", gettext("Give the token a name that says what it is for."))
    if len(name) > max_length:
        raise ValidationFailed.single(
            "name",
            "max_length",
            ngettext("Use at most %(count)d character.", "Use at most %(count)d characters.", max_length)
            % {"count": max_length},
        )
    if not user.is_active:
        raise ValidationFailed.single("user", "active", gettext("Tokens can only be issued to active accounts."))
    with transaction.atomic():
        # Lock the user's row so two concurrent requests cannot both pass the checks below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked__isnull=True)
        if active.filter(name=name).exists():
            raise Conflict(
                "name", "unique", gettext("You already have an active token with this name; choose another name.")
            )
        if active.count() >= MAX_ACTIVE_API_TOKENS:
            raise Conflict(
                "",
                "limit",
                ngettext(
                    "You already have %(count)d active token; revoke it before adding another.",
                    "You already have %(count)d active tokens; revoke one before adding another.",
                    MAX_ACTIVE_API_TOKENS,
                )
                % {"count": MAX_ACTIVE_API_TOKENS},
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
        raise PermissionRefused(gettext("You may only revoke your own API tokens."), rule="owner")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked is not None:
            raise Conflict("revoked", "already_revoked", gettext("This token is already revoked."))
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
        raise PermissionRefused(gettext("You may only change your own language."), rule="owner")
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise ValidationFailed.single(
            "preferred_language",
            "choice",
            gettext("Choose one of: %(choices)s (or leave it empty).") % {"choices": ", ".join(codes)},
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


# --- self-service sign-up, e-mail verification and password reset (candidates) ----------------
#
# A candidate signs up with an e-mail address and a password; the account stays inactive (it
# cannot sign in) until the person follows the link e-mailed to them. The link carries a signed,
# expiring token (``settings.EMAIL_VERIFICATION_MAX_AGE``) bound to the account's current state,
# so it stops working once used. Password reset uses Django's token generator (expiry:
# ``settings.PASSWORD_RESET_TIMEOUT``; a link stops working once the password changes). Callers
# pass the function that turns a token into an absolute link, so this module knows no URL.

EMAIL_VERIFICATION_SALT = "talentgate.accounts.email-verification"


def _verification_state(user: User) -> str:
    # Changes when the account is activated, its address or password changes, or it signs in:
    # a verification link works once, for the account as it was when the link was made.
    material = f"{user.pk}:{user.email}:{user.is_active}:{user.password}:{user.last_login}"
    return salted_hmac(EMAIL_VERIFICATION_SALT, material).hexdigest()[:24]


def email_verification_token(user: User) -> str:
    """A signed, timestamped token that activates ``user`` when given to :func:`verify_email`."""
    return signing.dumps({"u": user.pk, "s": _verification_state(user)}, salt=EMAIL_VERIFICATION_SALT)


def send_verification_email(user: User, verification_link: Callable[[str], str]) -> None:
    """E-mail ``user`` the link (``verification_link(token)``) that verifies the address and activates the account."""
    days = max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400)
    link = verification_link(email_verification_token(user))
    subject = gettext("Verify your e-mail address for talentgate")
    body = gettext(
        "Welcome to talentgate.\n\n"
        "To verify your e-mail address and activate your account, open this link within %(days)d days:\n\n"
        "%(link)s\n\n"
        "If you did not sign up, ignore this e-mail: the account stays inactive."
    ) % {"days": days, "link": link}
    send_mail(subject, body, None, [user.email])


def sign_up_candidate(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    verification_link: Callable[[str], str],
) -> User:
    """Create an inactive candidate account and e-mail the link that activates it.

    Refuses a malformed or taken e-mail address, a missing or weak password and over-long
    names, each error naming its field. The e-mail goes out after the account is saved.
    """
    errors: list[FieldError] = []
    if not password:
        errors.append(FieldError("password", "required", gettext("Choose a password.")))
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value or "") > 150:
            errors.append(FieldError(name, "max_length", gettext("Use at most 150 characters.")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = create_user(
            None,
            email=email,
            password=password,
            role=Role.CANDIDATE,
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(None, "user.signed_up", user, chain=audit.chain_for_person(user.pk), fields=["is_active"])
    send_verification_email(user, verification_link)
    return user


def resend_verification_email(email: str, verification_link: Callable[[str], str]) -> None:
    """Send a new verification link to a candidate who signed up and never verified; silent otherwise.

    Says nothing about whether the address has an account, so it cannot be used to find out.
    """
    user = User.objects.filter(
        email=(email or "").strip().lower(), is_active=False, last_login__isnull=True, role=Role.CANDIDATE
    ).first()
    if user is not None:
        send_verification_email(user, verification_link)


def verify_email(token: str) -> User:
    """Activate the account a verification token was made for.

    Refuses (field ``token``) an expired token, one that is not ours or was already used
    (the account changed since), and answers 409 when the account is already active.
    """
    try:
        data = signing.loads(token or "", salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationFailed.single(
            "token", "expired", gettext("This verification link has expired; ask for a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationFailed.single(
            "token", "invalid", gettext("This verification link is not valid; copy the whole link from the e-mail.")
        ) from None
    with transaction.atomic():
        user_id = data.get("u") if isinstance(data, dict) else None
        user = User.objects.select_for_update().filter(pk=user_id).first() if isinstance(user_id, int) else None
        if user is None:
            raise ValidationFailed.single("token", "invalid", gettext("This verification link is not valid."))
        if user.is_active:
            raise Conflict("token", "already_verified", gettext("This e-mail address is already verified; sign in."))
        if not constant_time_compare(str(data.get("s", "")), _verification_state(user)):
            raise ValidationFailed.single(
                "token", "invalid", gettext("This verification link is no longer valid; ask for a new one.")
            )
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.record(None, "user.email_verified", user, chain=audit.chain_for_person(user.pk), fields=["is_active"])
    return user


def request_password_reset(email: str, reset_link: Callable[[str, str], str]) -> None:
    """E-mail a password-reset link (``reset_link(uidb64, token)``) if an active account has this address.

    Silent when none has, so it cannot be used to find out who has an account.
    """
    user = User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    link = reset_link(uidb64, default_token_generator.make_token(user))
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    subject = gettext("Reset your talentgate password")
    body = gettext(
        "Someone asked to reset the password of the talentgate account for this e-mail address.\n\n"
        "To choose a new password, open this link within %(hours)d hours:\n\n"
        "%(link)s\n\n"
        "If it was not you, ignore this e-mail: your password stays as it is."
    ) % {"hours": hours, "link": link}
    send_mail(subject, body, None, [user.email])
    audit.record(None, "user.password_reset_requested", user, chain=audit.chain_for_person(user.pk))


def user_for_password_reset(uidb64: str, token: str) -> User | None:
    """The active account a reset link (uid and token) is valid for, or ``None``."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64 or "").decode())
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def set_new_password(user: User, new_password: str) -> User:
    """Give ``user`` a new password (after a valid reset link); refuses a weak one, naming ``new_password``."""
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        raise ValidationFailed([FieldError("new_password", "strength", m) for m in exc.messages]) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(None, "user.password_reset", user, chain=audit.chain_for_person(user.pk), fields=["password"])
    return user


def reset_password(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password with a reset link's uid and token; refuses an invalid, expired or used link."""
    user = user_for_password_reset(uidb64, token)
    if user is None:
        raise ValidationFailed.single(
            "token",
            "invalid",
            gettext("This password-reset link is invalid, expired or already used; ask for a new one."),
        )
    return set_new_password(user, new_password)
