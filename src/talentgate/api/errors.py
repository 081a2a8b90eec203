"""The API's one error envelope: its schema, the ``error_responses`` helper and the exception handlers.

Every error the API answers with has the same shape::

    {"errors": [{"field": "name", "rule": "required", "message": "Give the token a name ..."}]}

``field`` is a dotted path into the request (``""`` for the request or object as a whole),
``rule`` a stable machine-readable name of the rule broken, ``message`` a sentence a person
can act on. Operations declare each error status they can return with ``error_responses``
so that the OpenAPI document lists the envelope for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from talentgate.common.errors import DomainError

logger = logging.getLogger("talentgate.api")

#: The error statuses an operation may declare (500 is the undeclared last resort).
DECLARABLE_STATUSES = frozenset({400, 401, 403, 404, 409, 422})

# Rule names for errors that do not come from a domain service.
_RULE_FOR_STATUS = {
    400: "bad_request",
    401: "authentication",
    403: "permission",
    404: "not_found",
    405: "method",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}
# Where ninja found an invalid value; the envelope's ``field`` leaves the source out.
_PARAMETER_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


class ErrorItem(Schema):
    """One broken rule."""

    field: str
    rule: str
    message: str


class ErrorEnvelope(Schema):
    """Every error response of the API: one or more broken rules."""

    errors: list[ErrorItem]


def error_responses(*statuses: int) -> dict[int, type[ErrorEnvelope]]:
    """``{status: ErrorEnvelope}`` for each status, to merge into an operation's ``responses``.

    >>> sorted(error_responses(401, 404))
    [401, 404]

    Use as ``responses={200: TokenOut, **error_responses(401, 404, 422)}``. Only the
    statuses in ``DECLARABLE_STATUSES`` are accepted, so a typo fails at import time.
    """
    unknown = sorted(set(statuses) - DECLARABLE_STATUSES)
    if unknown:
        raise ValueError(f"error_responses: {unknown} not in {sorted(DECLARABLE_STATUSES)}")
    if not statuses:
        raise ValueError("error_responses: name at least one status")
    return dict.fromkeys(sorted(set(statuses)), ErrorEnvelope)


def envelope(items: Iterable[Mapping[str, str]]) -> dict[str, list[dict[str, str]]]:
    """The envelope's JSON body for ``items`` (each with field, rule and message)."""
    return {"errors": [{"field": i["field"], "rule": i["rule"], "message": i["message"]} for i in items]}


def _single(field: str, rule: str, message: str) -> dict[str, list[dict[str, str]]]:
    return envelope([{"field": field, "rule": rule, "message": message}])


def _field_path(loc: Iterable[Any]) -> str:
    """``("body", "terms", 0, "amount")`` -> ``"terms.0.amount"``: the source (body, query...) is left out."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _PARAMETER_SOURCES:
        parts = parts[1:]
    return ".".join(parts)


def _message_for_validation(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "Invalid value."))
    # pydantic prefixes custom validator messages with "Value error, "; people need only the rest.
    return message.removeprefix("Value error, ")


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error ``api`` answers with the envelope, whatever raised it."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        items = [e.as_dict() for e in exc.errors] or [
            {"field": "", "rule": _RULE_FOR_STATUS.get(exc.status, "error"), "message": str(exc) or "Refused."}
        ]
        return respond(request, envelope(items), exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = [
            {
                "field": _field_path(error.get("loc", ())),
                "rule": str(error.get("type", "invalid")),
                "message": _message_for_validation(error),
            }
            for error in exc.errors
        ]
        return respond(request, envelope(items), 422)

    @api.exception_handler(DjangoValidationError)
    def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        # A model's full_clean() reached from a service: still the caller's fault, still named fields.
        if hasattr(exc, "error_dict"):
            items = [
                {
                    "field": "" if name == "__all__" else name,
                    "rule": e.code or "invalid",
                    "message": " ".join(e.messages),
                }
                for name, errors in exc.error_dict.items()
                for e in errors
            ]
        else:
            items = [
                {"field": "", "rule": e.code or "invalid", "message": " ".join(e.messages)} for e in exc.error_list
            ]
        return respond(request, envelope(items), 400)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "Sign in, or send an API token as 'Authorization: Bearer <key>'."
        return respond(request, _single("", "authentication", message), 401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        rule = _RULE_FOR_STATUS.get(exc.status_code, "error")
        if exc.status_code == 403 and "csrf" in exc.message.lower():
            rule = "csrf"
        return respond(request, _single("", rule, exc.message), exc.status_code)

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # A form upload without a boundary, or cut short: the client's fault, not a crash.
        message = gettext("The multipart form could not be read; send it as multipart/form-data with its boundary.")
        return respond(request, _single("", "bad_request", message), 400)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, _single("", "not_found", "No such object."), 404)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, _single("", "permission", "You are not allowed to do this."), 403)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The last resort: the caller gets the envelope (never Django's HTML page) and we get the traceback.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return respond(request, _single("", "internal", "Something went wrong on our side; it has been logged."), 500)
