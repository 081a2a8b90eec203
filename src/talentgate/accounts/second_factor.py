"""A second factor for programme staff (django-otp): TOTP enrolment, backup codes, checking a code, and reset.

Who needs one is :func:`is_required_for`; the portal asks for the code after the password and the
API refuses an unverified staff session (bearer tokens are not affected). Devices are django-otp's
own models: one confirmed ``TOTPDevice`` (an authenticator app) and one ``StaticDevice`` holding
single-use backup codes. Enrolling, new backup codes, a backup code used and a reset are audited on
the person's chain; codes and secrets never enter the audit trail.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from django_otp import devices_for_user, match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentgate.accounts.roles import SECOND_FACTOR_ROLES, Role
from talentgate.common import audit
from talentgate.common.access import has_role
from talentgate.common.errors import DomainError, PermissionRefused, ValidationFailed

#: How many single-use backup codes a person holds at a time.
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"
TOKEN_FIELD = "otp_token"


def applies_to(user: Any) -> bool:
    """True for the people a second factor is for: programme-side roles and anyone who may open the admin site."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in SECOND_FACTOR_ROLES or user.is_staff or user.is_superuser


def is_required_for(user: Any) -> bool:
    """True when ``user`` must present a second factor before using the portal or the API by session."""
    return bool(getattr(settings, "STAFF_MFA_REQUIRED", True)) and applies_to(user)


def is_verified(user: Any) -> bool:
    """True when this request's session passed the second step (django-otp's middleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_authenticator(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made on first call, the same secret until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The device's key in base32, as an authenticator app asks for it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads (issuer: settings.OTP_TOTP_ISSUER)."""
    return str(device.config_url)


def qr_code_data_uri(uri: str) -> str:
    """``uri`` as a QR code in an SVG ``data:`` URI (allowed by the policy's img-src; no inline markup)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=4))


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (the demo prints it; nothing else needs it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def _normalised(token: str) -> str:
    return "".join((token or "").split())


def _wrong_code() -> DomainError:
    return ValidationFailed.single(
        TOKEN_FIELD,
        "invalid",
        gettext("The code is not valid: enter the current 6-digit code from your authenticator, or a backup code."),
    )


def _new_backup_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_authenticator(user: Any, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; returns it and a fresh set of backup codes.

    A wrong code changes nothing (``otp_token`` named). Any older authenticator is removed, so a
    person has exactly one.
    """
    if not applies_to(user):
        raise PermissionRefused(gettext("A second factor is for programme staff."), rule="role")
    with transaction.atomic():
        device = pending_authenticator(user)
        if not device.verify_token(_normalised(token)):
            raise _wrong_code()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        audit.record(user, "second_factor.enrolled", user, chain=audit.chain_for_person(user.pk))
    return device, codes


def verify_code(user: Any, token: str) -> Any:
    """The confirmed device ``token`` belongs to (an authenticator code, or a backup code, used up); else refused.

    Each device throttles wrong codes itself (django-otp): after a failure it refuses for a growing
    delay, so codes cannot be guessed at speed.
    """
    device = match_token(user, _normalised(token))
    if device is None:
        raise _wrong_code()
    if isinstance(device, StaticDevice):
        audit.record(user, "second_factor.backup_code_used", user, chain=audit.chain_for_person(user.pk))
    return device


def remaining_backup_codes(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def regenerate_backup_codes(user: Any) -> list[str]:
    """A new set of backup codes for an enrolled person; the old ones stop working."""
    if not has_authenticator(user):
        raise PermissionRefused(gettext("Set up your authenticator first."), rule="second_factor")
    with transaction.atomic():
        codes = _new_backup_codes(user)
        audit.record(user, "second_factor.backup_codes_renewed", user, chain=audit.chain_for_person(user.pk))
    return codes


def reset_second_factor(actor: Any, user: Any) -> int:
    """An administrator removes every device of ``user`` (lost phone): they enrol again at their next sign-in.

    Returns how many devices were removed.
    """
    if not (has_role(actor, Role.ADMINISTRATOR) or getattr(actor, "is_superuser", False)):
        raise PermissionRefused(gettext("Only an administrator may reset a second factor."), rule="role")
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit.record(actor, "second_factor.reset", user, chain=audit.chain_for_person(user.pk))
    return len(devices)
