"""Every error the API answers with is the envelope {"errors": [{"field", "rule", "message"}]}, whatever raised it."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.testing import TestClient

from talentgate.accounts.roles import Role
from talentgate.api.errors import DECLARABLE_STATUSES, ErrorEnvelope, error_responses, install_error_handlers
from talentgate.api.main import TalentgateAPI
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


class ThingIn(Schema):
    name: str
    size: int


def _client_for_raising_api() -> TestClient:
    """An API without auth whose operations raise each kind of error the handlers must translate."""
    router = Router()

    @router.get("/validation")
    def raise_validation(request):
        raise ValidationFailed.single("name", "required", "Give a name.")

    @router.get("/permission")
    def raise_permission(request):
        raise PermissionRefused("Officers only.", rule="role")

    @router.get("/missing")
    def raise_not_found(request):
        raise NotFound("profile")

    @router.get("/conflict")
    def raise_conflict(request):
        raise Conflict("status", "already_submitted", "The application is already submitted.")

    @router.get("/transition")
    def raise_transition(request):
        raise TransitionRefused("submit", "documents_verified", "Verify the passport first.")

    @router.get("/http404")
    def raise_http404(request):
        raise Http404("gone")

    @router.get("/model-validation")
    def raise_model_validation(request):
        raise DjangoValidationError({"email": [DjangoValidationError("Bad address.", code="invalid")]})

    @router.get("/crash")
    def crash(request):
        raise RuntimeError("bug")

    @router.post("/things")
    def create_thing(request, payload: ThingIn):
        return {"ok": True}

    api = TalentgateAPI(urls_namespace="errors-test", auth=None)
    install_error_handlers(api)
    api.add_router("", router)
    return TestClient(api)


@pytest.fixture(scope="module")
def raising_client():
    return _client_for_raising_api()


@pytest.mark.parametrize(
    ("path", "status", "field", "rule"),
    [
        ("/validation", 400, "name", "required"),
        ("/permission", 403, "", "role"),
        ("/missing", 404, "", "not_found"),
        ("/conflict", 409, "status", "already_submitted"),
        ("/transition", 409, "status", "documents_verified"),
        ("/http404", 404, "", "not_found"),
        ("/model-validation", 400, "email", "invalid"),
        ("/crash", 500, "", "internal"),
    ],
)
def test_each_raised_error_becomes_the_envelope_with_its_status(raising_client, path, status, field, rule):
    response = raising_client.get(path)
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["errors"]
    assert [(e["field"], e["rule"]) for e in body["errors"]] == [(field, rule)]
    assert all(e["message"] for e in body["errors"])
    ErrorEnvelope.model_validate(body)


def test_unexpected_exception_is_logged_and_hides_its_text(raising_client, caplog):
    response = raising_client.get("/crash")
    assert response.status_code == 500
    assert "bug" not in response.json()["errors"][0]["message"]
    assert any(record.exc_info and "bug" in str(record.exc_info[1]) for record in caplog.records)


def test_422_names_each_bad_body_field_without_the_parameter_name(raising_client):
    response = raising_client.post("/things", json={"size": "big"})
    assert response.status_code == 422
    assert sorted((e["field"], e["rule"]) for e in response.json()["errors"]) == [
        ("name", "missing"),
        ("size", "int_parsing"),
    ]


def test_unparseable_body_is_a_400_envelope(raising_client):
    response = raising_client.post("/things", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "bad_request"


def test_error_responses_maps_each_status_to_the_envelope():
    assert error_responses(404, 400, 404) == {400: ErrorEnvelope, 404: ErrorEnvelope}
    assert set(error_responses(*DECLARABLE_STATUSES)) == {400, 401, 403, 404, 409, 422}


@pytest.mark.parametrize("statuses", [(418,), (500,), ()])
def test_error_responses_refuses_undeclarable_statuses(statuses):
    with pytest.raises(ValueError, match="error_responses"):
        error_responses(*statuses)


# --- the same envelope through the real URLs and middleware -------------------------------------


def test_real_endpoint_400_from_a_domain_error(client, make_user):
    client.force_login(make_user())
    response = client.post("/api/me/tokens", {"name": "   "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "name", "rule": "required", "message": "Give the token a name that says what it is for."}]
    }


def test_real_endpoint_401_for_anonymous(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_real_endpoint_403_when_the_session_request_lacks_csrf(make_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user())
    response = csrf_client.post("/api/me/tokens", {"name": "ci"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "csrf"


def test_real_endpoint_404_for_someone_elses_object(client, make_user):
    from talentgate.accounts.services import create_api_token

    owner = make_user()
    issued = create_api_token(owner, user=owner, name="mine")
    client.force_login(make_user(Role.OFFICER))
    response = client.delete(f"/api/me/tokens/{issued.token.pk}")
    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "", "rule": "not_found", "message": "No such API token."}]


def test_real_endpoint_409_for_a_duplicate_name(client, make_user):
    client.force_login(make_user())
    assert client.post("/api/me/tokens", {"name": "ci"}, content_type="application/json").status_code == 201
    response = client.post("/api/me/tokens", {"name": "ci"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["errors"][0] | {"message": ""} == {"field": "name", "rule": "unique", "message": ""}


def test_real_endpoint_422_names_the_field(client, make_user):
    client.force_login(make_user())
    response = client.post("/api/me/tokens", {"title": "ci"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": "name", "rule": "missing", "message": "Field required"}]}


def test_unknown_api_path_is_a_404_envelope(client):
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["rule"] == "not_found"


def test_method_not_allowed_is_a_405_envelope_with_allow(client, make_user):
    client.force_login(make_user())
    response = client.put("/api/me")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["errors"][0]["rule"] == "method"


def test_exception_outside_an_operation_is_a_500_envelope_not_html(rf):
    from django.http import HttpResponseServerError

    from talentgate.api.middleware import ApiErrorEnvelopeMiddleware

    # What Django hands back up the chain when a later middleware raises: its HTML error page.
    middleware = ApiErrorEnvelopeMiddleware(lambda request: HttpResponseServerError("<h1>Server Error (500)</h1>"))
    response = middleware(rf.get("/api/me"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["errors"][0]["rule"] == "internal"
    assert middleware(rf.get("/admin/"))["Content-Type"].startswith("text/html")


def test_exception_in_a_non_ninja_view_under_api_is_logged_and_enveloped(rf, caplog):
    from talentgate.api.middleware import ApiErrorEnvelopeMiddleware

    middleware = ApiErrorEnvelopeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(rf.get("/api/me"), RuntimeError("view bug"))
    assert response is not None
    assert response.status_code == 500
    assert json.loads(response.content)["errors"][0]["rule"] == "internal"
    assert "view bug" in caplog.text
    assert middleware.process_exception(rf.get("/admin/"), RuntimeError("x")) is None


@pytest.mark.parametrize("body", ["[null, null]", "7", '"name"', "null"])
def test_a_json_body_that_is_not_an_object_is_a_400_and_changes_nothing(client, make_user, body):
    """Found by the fuzz run: ``[null, null]`` was read as ``{}`` by an all-optional schema and answered 200."""
    from talentgate.accounts.models import ApiToken

    client.force_login(make_user())
    response = client.post("/api/me/tokens", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "bad_request"
    assert not ApiToken.objects.exists()


def test_a_multipart_upload_without_its_boundary_is_a_400_not_a_crash(client, make_user):
    """Found by the fuzz run: Django's multipart parser raised, and the API answered 500."""
    client.force_login(make_user())
    response = client.post("/api/candidates/me/documents", b"--x--", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "",
                "rule": "bad_request",
                "message": "The multipart form could not be read; send it as multipart/form-data with its boundary.",
            }
        ]
    }
