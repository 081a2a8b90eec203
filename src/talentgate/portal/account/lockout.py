"""The page a locked-out sign-in gets (django-axes calls :func:`locked_out` through AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentgate.accounts.throttling import username_of


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """429 with what happened (too many failed passwords for this address), how long it lasts and who can lift it."""
    cool_off = get_cool_off(request)
    context = {
        "email": username_of(request, credentials),
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "portal/locked_out.html", context, status=429)
