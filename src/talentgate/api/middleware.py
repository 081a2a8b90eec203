"""A safety net under /api/: text with a NUL character is refused up front, and whatever answers with an
error that is not JSON gets the envelope.

Operations' errors are handled by the API's exception handlers (``talentgate.api.errors``); this
catches what happens outside an operation, such as a method the path does not offer (405) or an
exception raised by other middleware (Django would otherwise render its HTML error page).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from talentgate.api.null_characters import find_null_character

logger = logging.getLogger("talentgate.api")

API_PREFIX = "/api/"

_RULES = {401: "authentication", 403: "permission", 404: "not_found", 405: "method", 429: "throttled"}


def _envelope_response(status: int, message: str) -> HttpResponse:
    rule = _RULES.get(status, "internal" if status >= 500 else "bad_request")
    body = {"errors": [{"field": "", "rule": rule, "message": message}]}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


class ApiErrorEnvelopeMiddleware:
    """Turns non-JSON error responses and uncaught exceptions under /api/ into the error envelope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            found = find_null_character(request)
            if found is not None:
                message = gettext("Remove the NUL character (U+0000): text sent to the API may not contain it.")
                body = {"errors": [{"field": found.field, "rule": "null_character", "message": message}]}
                return HttpResponse(
                    json.dumps(body), status=found.status, content_type="application/json; charset=utf-8"
                )
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 405:
            message = f"This path does not accept {request.method}; it accepts: {response.get('Allow', '')}."
        elif response.status_code >= 500:
            message = "Something went wrong on our side; it has been logged."
        else:
            message = HTTPStatus(response.status_code).phrase + "."
        converted = _envelope_response(response.status_code, message)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                converted[header] = response[header]
        return converted

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exception)
        return _envelope_response(500, "Something went wrong on our side; it has been logged.")
