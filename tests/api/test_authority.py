"""The authority's pull API: who may list, fetch and acknowledge submissions, and what the package shows."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "authority"))

from authority_kit import make_case

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_api_token
from talentgate.authority import services
from talentgate.authority.models import Submission
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = "/api/authority/submissions"


@pytest.fixture(autouse=True)
def no_push(settings):
    settings.AUTHORITY_PUSH_URL = ""


@pytest.fixture
def submission(db):
    return services.create_submission(None, make_case())


_TOKENS = itertools.count(1)


def _bearer(user):
    key = create_api_token(user, user=user, name=f"authority pull {next(_TOKENS)}").key
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_authority_pulls_pending_submissions_with_an_api_token(client, make_user, submission):
    authority = make_user(Role.AUTHORITY)
    decided = services.create_submission(None, make_case())
    Submission.objects.filter(pk=decided.pk).update(decision="granted", decided_at=decided.created_at)
    response = client.get(LIST, {"pending": "true"}, **_bearer(authority))
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 1
    item = page["items"][0]
    assert item["idempotency_key"] == submission.idempotency_key
    assert (item["case_stage"], item["delivery"], item["decision"]) == ("submitted", "pending", "")
    assert client.get(LIST, **_bearer(authority)).json()["count"] == 2


def test_the_authority_fetches_the_package_in_full_and_the_reading_is_audited(client, make_user, submission):
    authority = make_user(Role.AUTHORITY)
    response = client.get(f"{LIST}/{submission.idempotency_key}", **_bearer(authority))
    assert response.status_code == 200
    body = response.json()
    candidate = body["package"]["case"]["candidate"]
    assert candidate["identity_documents"][0]["number"] == "AB1234567"
    assert candidate["family_name_latin"] == "Lovelace"
    assert "email" not in candidate
    assert "phone" not in candidate
    assert body["delivery_attempts"] == []
    fetched = AuditEntry.objects.filter(action="authority.package_fetched").get()
    assert (fetched.actor_id, fetched.chain) == (authority.pk, f"case:{submission.case_id}")


def test_programme_staff_follow_the_hand_off_with_numbers_masked(client, make_user, submission):
    client.force_login(make_user(Role.OFFICER))
    response = client.get(f"{LIST}/{submission.idempotency_key}")
    assert response.status_code == 200
    number = response.json()["package"]["case"]["candidate"]["identity_documents"][0]["number"]
    assert number == "•••••••67"
    assert not AuditEntry.objects.filter(action="authority.package_fetched").exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.HOST_STAFF, Role.REVIEWER, Role.ANALYST])
def test_other_roles_see_no_submission(client, make_user, submission, role):
    client.force_login(make_user(role))
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}/{submission.idempotency_key}").status_code == 403


def test_anonymous_callers_are_asked_to_sign_in(client, submission):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_an_unknown_key_is_404(client, make_user):
    response = client.get(f"{LIST}/{'f' * 32}", **_bearer(make_user(Role.AUTHORITY)))
    assert response.status_code == 404


def test_acknowledging_a_pulled_submission_delivers_it_once(client, make_user, submission):
    authority = make_user(Role.AUTHORITY)
    url = f"{LIST}/{submission.idempotency_key}/acknowledge"
    response = client.post(url, {"reference": "MVD-1"}, content_type="application/json", **_bearer(authority))
    assert response.status_code == 200
    assert (response.json()["delivery"], response.json()["delivered_via"]) == ("delivered", "pull")
    again = client.post(url, {"reference": "MVD-1"}, content_type="application/json", **_bearer(authority))
    assert again.status_code == 200
    conflict = client.post(url, {"reference": "MVD-2"}, content_type="application/json", **_bearer(authority))
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["rule"] == "reference_mismatch"
    assert AuditEntry.objects.filter(action="authority.pull_acknowledged").count() == 1
    assert client.get(LIST, {"pending": "true"}, **_bearer(authority)).json()["count"] == 1  # still awaiting a decision


def test_a_reference_too_long_is_refused_naming_the_field(client, make_user, submission):
    url = f"{LIST}/{submission.idempotency_key}/acknowledge"
    response = client.post(
        url, {"reference": "x" * 65}, content_type="application/json", **_bearer(make_user(Role.AUTHORITY))
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reference"
    assert Submission.objects.get().delivery == "pending"


def test_only_the_authority_acknowledges_and_only_staff_resend(client, make_user, submission, settings):
    officer = make_user(Role.OFFICER)
    url = f"{LIST}/{submission.idempotency_key}"
    assert client.post(f"{url}/acknowledge", {}, content_type="application/json", **_bearer(officer)).status_code == 403
    authority = make_user(Role.AUTHORITY)
    assert client.post(f"{url}/retry", **_bearer(authority)).status_code == 403
    # No push address configured: the submission stays pending for the authority's pull.
    resent = client.post(f"{url}/retry", **_bearer(officer))
    assert resent.status_code == 200
    assert (resent.json()["delivery"], resent.json()["next_attempt_at"]) == ("pending", None)
    client.post(f"{url}/acknowledge", {}, content_type="application/json", **_bearer(authority))
    refused = client.post(f"{url}/retry", **_bearer(officer))
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "already_delivered"


def test_the_callback_route_is_documented_with_its_body_and_errors(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/authority/callbacks/decision"]["post"]
    assert operation["operationId"] == "authority_receive_decision"
    assert "security" not in operation or operation["security"] == []
    assert {"400", "401", "404", "409"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"idempotency_key", "decision", "permit"} <= set(body["properties"])
    assert "$defs" not in str(body)
