"""Applies and remembers the language a signed-in person chose.

Until someone picks a language, Django's LocaleMiddleware follows the browser's
Accept-Language. Picking one goes through Django's ``set_language`` view, which sets the
language cookie; for a signed-in person this middleware also saves the choice in
``User.preferred_language`` and, on later requests (any device), applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from talentgate.accounts.services import set_preferred_language


def _language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


class PreferredLanguageMiddleware:
    """Goes after AuthenticationMiddleware (it needs ``request.user``) and after LocaleMiddleware (it overrides it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        preferred = getattr(user, "preferred_language", "") if signed_in else ""
        if preferred in _language_codes():
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        response = self.get_response(request)
        if signed_in and request.method == "POST" and request.path == reverse("set_language"):
            chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen is not None and chosen.value in _language_codes():
                set_preferred_language(user, user, chosen.value)
        return response
