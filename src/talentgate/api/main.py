"""Builds the platform's one NinjaAPI: auth, the error envelope, stable operation ids, the routers."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.operation import Operation
from ninja.parser import Parser

from talentgate.api.auth import DEFAULT_AUTH
from talentgate.api.errors import install_error_handlers
from talentgate.api.routers import ROUTERS

API_NAMESPACE = "api"


class ObjectBodyParser(Parser):
    """ninja's JSON parser, refusing a body that is not a JSON object.

    Every JSON body of the API is an object. ninja's schemas read their fields by attribute from
    whatever they are given, so ``[null, null]`` sent to an operation whose fields are all optional
    was taken for ``{}`` and answered 200. The refusal becomes ninja's 400 "Cannot parse request body".
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body = super().parse_body(request)
        if not isinstance(body, dict):
            raise ValueError("the request body must be a JSON object")
        return body


#: Text the API takes may not hold U+0000 (``talentgate.api.null_characters`` refuses it); the document says so.
NO_NUL_PATTERN = "^[^\\x00]*$"
_STRING_ALREADY_SHAPED = frozenset({"pattern", "format", "enum", "const"})


def _forbid_nul_in_plain_strings(node: Any) -> None:
    """Give every free-text string schema in ``node`` the pattern that excludes U+0000."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not _STRING_ALREADY_SHAPED & node.keys():
            node["pattern"] = NO_NUL_PATTERN
        for value in node.values():
            _forbid_nul_in_plain_strings(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_nul_in_plain_strings(value)


class TalentgateAPI(NinjaAPI):
    """NinjaAPI whose operation ids and URL names are ``<module>_<function>``: stable and readable."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__.rsplit(".", 1)[-1]
        return f"{module}_{operation.view_func.__name__}"

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """As ninja's, with free-text strings declared free of U+0000 (refused by the API, see above)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _forbid_nul_in_plain_strings(schema)
        return schema

    def get_operation_url_name(self, operation: Operation, router: Router) -> str:
        return self.get_openapi_operation_id(operation)

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        """As ninja's, but a body read into one schema parameter is not named in ``loc``.

        ninja reports ``("body", "payload", "name")`` for ``def view(request, payload: TokenIn)``;
        the client sent ``{"name": ...}``, so the path it needs is ``("body", "name")``.
        """
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model: Any = context.model
            single_attr = getattr(model, "__read_from_single_attr__", None)
            reverse_map = getattr(model, "__ninja_flatten_map_reverse__", {})
            for item in context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(reverse_map.get(item["loc"], item["loc"]))
                if single_attr and loc[:1] == (single_attr,):
                    loc = loc[1:]
                error: dict[str, Any] = {k: v for k, v in item.items() if k not in ("input", "ctx")}
                error["loc"] = (model.__ninja_param_source__, *loc)
                errors.append(error)
        return ValidationError(errors)


def build_api() -> TalentgateAPI:
    """A fresh API with every router of ``ROUTERS`` mounted."""
    api = TalentgateAPI(
        title="talentgate API",
        version="1",
        description=(
            "The platform's REST API. Sign in through the portal (session cookie, with the CSRF token in "
            "X-CSRFToken for unsafe methods) or send a personal token as 'Authorization: Bearer <key>'. "
            'Every error has the body {"errors": [{"field", "rule", "message"}]}.'
        ),
        urls_namespace=API_NAMESPACE,
        auth=DEFAULT_AUTH,
        parser=ObjectBodyParser(),
        # Swagger UI's validator badge would fetch an image from validator.swagger.io: no external calls.
        docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    )
    install_error_handlers(api)
    for prefix, module_path in ROUTERS:
        module: Any = import_module(module_path)
        api.add_router(prefix, module.router)
    return api


api = build_api()
