"""How a service's refusals become HTTP answers on portal pages, shared by every area.

A ``NotFound`` from a selector or service becomes 404 and a ``PermissionRefused`` 403, so
pages refuse exactly what the services refuse (another person's objects are "not found").
Other domain errors are the view's to show next to their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from talentgate.common.errors import NotFound, PermissionRefused

View = Callable[..., HttpResponse]


def refusals_as_http(view: View) -> View:
    """Turn ``NotFound`` into 404 and ``PermissionRefused`` into 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionRefused as refused:
            raise PermissionDenied(str(refused)) from None

    return wrapped


def signed_in(view: View) -> View:
    """Signed-in people only (others go to the sign-in page), with refusals as HTTP answers."""
    return login_required(refusals_as_http(view))
