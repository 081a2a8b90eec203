"""Sign-in throttling (django-axes): the backend that refuses locked-out sign-ins, and how a sign-in is keyed.

Failures are counted per (e-mail address, client IP address); settings.AXES_* say how many and for how long.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class WebSignInThrottle(AxesStandaloneBackend):
    """Axes's throttle for sign-ins over the web; a sign-in without a request is not throttled.

    Every web sign-in (the portal's form, the admin's) passes the request to ``authenticate``. Code
    that checks a password with no request at all (the Django shell, a management command, the test
    client's ``login``) has no client address to throttle by, so this backend lets it through to the
    password check instead of refusing it the way Axes's own backend does.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address tried, lower-cased and trimmed as accounts store it (so ``Ada@X`` and ``ada@x`` count together)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(value).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or the address the outermost of TRUSTED_PROXY_COUNT proxies saw."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
