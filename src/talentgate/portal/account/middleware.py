"""Holds a signed-in staff member at the second step until their second factor is verified.

Until then every portal and admin page sends them to enter a code (or to set up an authenticator
if they have none), keeping where they were going in ``next``. Open to them meanwhile: those two
pages, signing out, choosing a language and static files. The API refuses such a session itself
(``api.auth.SessionAuth``), so bearer tokens never meet this step.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from talentgate.accounts import second_factor

#: URL names an unverified staff member may still open.
OPEN_URL_NAMES = (
    "portal:account:second_factor_verify",
    "portal:account:second_factor_enrol",
    "portal:logout",
    "set_language",
)


def second_step_url(user: object, next_url: str) -> str:
    """Where an unverified staff member goes: enter a code, or set up an authenticator first."""
    name = "second_factor_verify" if second_factor.has_authenticator(user) else "second_factor_enrol"
    url = reverse(f"portal:account:{name}")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _is_open(self, path: str) -> bool:
        prefixes = ("/api/", "/" + settings.STATIC_URL.lstrip("/"), "/health")
        return path.startswith(prefixes) or path in {reverse(name) for name in OPEN_URL_NAMES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            second_factor.is_required_for(user)
            and not second_factor.is_verified(user)
            and not self._is_open(request.path)
        ):
            return HttpResponseRedirect(second_step_url(user, request.get_full_path()))
        return self.get_response(request)
