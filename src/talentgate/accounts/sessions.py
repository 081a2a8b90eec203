"""Shorter sessions for programme staff: signing in sets their session to end after STAFF_SESSION_AGE_SECONDS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from talentgate.accounts import second_factor


@receiver(user_logged_in, dispatch_uid="talentgate.accounts.staff_session_age")
def limit_staff_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Staff sessions expire sooner than the SESSION_COOKIE_AGE a candidate gets."""
    session = getattr(request, "session", None)
    if session is not None and second_factor.applies_to(user):
        session.set_expiry(min(settings.STAFF_SESSION_AGE_SECONDS, settings.SESSION_COOKIE_AGE))
