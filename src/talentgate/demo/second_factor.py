"""The demo's staff authenticators: each demo staff login gets a confirmed TOTP device (demo only).

``make demo`` prints each key with the logins (add it to an authenticator app), and
``talentgate demo otp EMAIL`` prints the code of the moment, so the demo stays usable with
STAFF_MFA_REQUIRED on. A real deployment's staff set up their own authenticator at first sign-in.
"""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentgate.accounts import second_factor
from talentgate.accounts.models import User
from talentgate.demo.catalogue import DEMO_LOGINS

DEMO_DEVICE_NAME = "demo authenticator"


def _demo_logins() -> list[User]:
    users = User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).order_by("email")
    return [user for user in users if second_factor.applies_to(user)]


@transaction.atomic
def ensure_demo_authenticators() -> dict[str, str]:
    """``{e-mail: base32 key}`` of every demo staff login, giving a confirmed authenticator to any without one."""
    keys = {}
    for user in _demo_logins():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
        keys[user.email] = second_factor.secret_of(device)
    return keys


def demo_code(login: str) -> str:
    """The current code of a demo staff login, named by e-mail address or by role (``officer``)."""
    wanted = login.strip().lower()
    for spec in DEMO_LOGINS:
        if wanted in (spec.email, spec.role):
            device = TOTPDevice.objects.filter(user__email=spec.email, confirmed=True).order_by("pk").first()
            if device is None:
                break
            return second_factor.current_code(device)
    staff = ", ".join(user.email for user in _demo_logins())
    raise LookupError(
        f"{login!r} is not a demo staff login with an authenticator (demo staff: {staff or 'none loaded'})"
    )
