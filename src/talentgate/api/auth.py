"""How the API knows who is calling: the browser session (with CSRF and, for staff, a second factor) or a bearer token.

Token auth is tried first: a script sends ``Authorization: Bearer tg_...`` and no cookies,
so it never meets the CSRF check. A browser sends its session cookie; every unsafe request
it makes must carry the CSRF token (``X-CSRFToken``), exactly as for the portal's forms.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from talentgate.accounts import second_factor
from talentgate.accounts.selectors import user_for_api_key
from talentgate.common.errors import PermissionRefused


class SessionAuth(APIKeyCookie):
    """The Django session, with Django's CSRF check on unsafe methods.

    Unlike ninja's ``django_auth``, the CSRF check runs only once a session user is
    found, so an anonymous POST is answered 401 (sign in) rather than 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the CSRF token in the X-CSRFToken header.")
        if second_factor.is_required_for(user) and not second_factor.is_verified(user):
            # A staff password alone opens nothing: the session must pass the portal's second step first.
            raise PermissionRefused(
                "Confirm this sign-in with your second factor in the portal first (or use an API token).",
                rule="second_factor",
            )
        return user


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a key issued by ``accounts.services.create_api_token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token.strip())
        if user is not None:
            # Services and selectors take the actor from request.user, whichever way it signed in.
            request.user = user
        return user


session_auth = SessionAuth()
token_auth = ApiTokenAuth()
#: The API's default: bearer token first (no CSRF), then the session (CSRF on unsafe methods).
DEFAULT_AUTH = [token_auth, session_auth]


def actor_of(request: HttpRequest) -> Any:
    """The authenticated user of an API request (what services and selectors take as ``actor``)."""
    return getattr(request, "auth", None) or request.user
