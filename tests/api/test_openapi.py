"""The OpenAPI document: stable operation ids and the envelope declared for every error an operation can return.

These rules hold for every router registered in ``talentgate.api.routers``, so a new domain's
operations are checked as soon as they are mounted.
"""

from __future__ import annotations

import re

import pytest

UNSAFE = {"post", "put", "patch", "delete"}
ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"


@pytest.fixture(scope="module")
def schema():
    from talentgate.api.main import api

    return api.get_openapi_schema(path_prefix="/api/")


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_served_at_api_openapi_json(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/me" in document["paths"]


def test_the_account_operations_have_their_stable_ids(schema):
    ids = {(path, method): op["operationId"] for path, method, op in _operations(schema)}
    assert ids[("/api/me", "get")] == "accounts_get_me"
    assert ids[("/api/me/tokens", "get")] == "accounts_list_tokens"
    assert ids[("/api/me/tokens", "post")] == "accounts_create_token"
    assert ids[("/api/me/tokens/{token_id}", "delete")] == "accounts_revoke_token"


def test_operation_ids_are_unique_module_prefixed_names(schema):
    ids = [op["operationId"] for _, _, op in _operations(schema)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*_[a-z][a-z0-9_]*", i) for i in ids), ids


def test_every_declared_error_is_the_envelope(schema):
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == ENVELOPE_REF, (path, method, status)
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["errors"]
    item = schema["components"]["schemas"]["ErrorItem"]
    assert set(item["properties"]) == {"field", "rule", "message"}


def test_every_operation_declares_the_errors_it_can_return(schema):
    """401 where auth is required, 422 where it takes input, 400 where it reads a body, 403 for CSRF."""
    problems = []
    for path, method, operation in _operations(schema):
        declared = {int(s) for s in operation["responses"]}
        needs = set()
        if operation.get("security"):
            needs.add(401)
        if operation.get("parameters") or operation.get("requestBody"):
            needs.add(422)
        if operation.get("requestBody"):
            needs.add(400)  # a body that is not JSON, not a JSON object, or a malformed multipart form
        if method in UNSAFE and operation.get("security"):
            needs.add(403)
        if "{" in path:
            needs.add(404)
        missing = needs - declared
        if missing:
            problems.append(f"{method.upper()} {path} ({operation['operationId']}): declare {sorted(missing)}")
    assert problems == [], "Add these to error_responses(...):\n" + "\n".join(problems)


def test_security_schemes_are_bearer_and_session(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_paginated_lists_document_items_count_limit_offset(schema):
    page = schema["components"]["schemas"]["PagedTokenOut"]
    assert set(page["required"]) == {"items", "count", "limit", "offset"}
    params = {p["name"]: p for p in schema["paths"]["/api/me/tokens"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 200
    assert params["offset"]["schema"]["minimum"] == 0
    assert params["offset"]["schema"]["maximum"] == 2**31 - 1


def test_no_two_schema_classes_share_a_component_name():
    """ninja names components after classes: a second ``DocumentOut`` would silently replace the first."""
    from talentgate.api.main import api
    from talentgate.api.schema_names import schema_classes_sharing_a_name

    assert schema_classes_sharing_a_name(api) == {}


def test_schema_classes_sharing_a_name_are_found_in_bodies_responses_and_nested_fields():
    from ninja import Router, Schema

    from talentgate.api.main import TalentgateAPI
    from talentgate.api.schema_names import schema_classes_sharing_a_name

    def document_class(field: str) -> type[Schema]:
        return type("DocumentOut", (Schema,), {"__annotations__": {field: str}, "__module__": f"docs_{field}"})

    first, second = document_class("kind"), document_class("stage")
    wrapper = type("CaseOut", (Schema,), {"__annotations__": {"documents": list[second]}})  # type: ignore[valid-type]
    router = Router()

    @router.get("/profile-document", response=first)
    def profile_document(request):
        return {}

    def case(request, payload):
        return {}

    # Set after the fact: this module's annotations are strings, which ninja cannot resolve to a local class.
    case.__annotations__["payload"] = wrapper
    router.post("/case")(case)

    api = TalentgateAPI(urls_namespace="schema-names-test", auth=None)
    api.add_router("", router)
    assert schema_classes_sharing_a_name(api) == {"DocumentOut": ["docs_kind.DocumentOut", "docs_stage.DocumentOut"]}


def test_free_text_strings_are_declared_free_of_nul(schema):
    """The API refuses U+0000 in any text; the document says so, so a fuzzer's NUL is invalid input, not valid."""
    token_name = schema["components"]["schemas"]["TokenIn"]["properties"]["name"]
    assert token_name["pattern"] == "^[^\\x00]*$"
    dates = [
        p["schema"] for p in schema["paths"]["/api/cooperation/countries"]["get"]["parameters"] if p["name"] == "on"
    ]
    assert all("pattern" not in s for d in dates for s in d.get("anyOf", [d]) if s.get("format") == "date")
