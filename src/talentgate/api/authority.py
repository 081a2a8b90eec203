"""API routes of the immigration-authority hand-off.

The authority pulls: it lists the submissions waiting for it, fetches one (the case package, with
identity numbers in full, audited) and acknowledges it under its own reference; with a personal API
token of an authority user it needs no browser. Programme staff follow the hand-off (package masked)
and send a given-up push again. Decisions come back to ``POST /api/authority/callbacks/decision``,
which signs in nobody: the request's HMAC signature (``X-Authority-Signature``) is its credential.
"""

# No ``from __future__ import annotations``: ninja reads the filter types from the paginated signature.
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from talentgate.accounts.roles import Role
from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage
from talentgate.authority import protocol, selectors, services
from talentgate.authority.models import Submission
from talentgate.common.access import has_role

router = Router(tags=["authority"])


class AttemptOut(Schema):
    number: int
    started_at: datetime
    duration_ms: int
    outcome: str = Field(description="delivered or failed.")
    http_status: int | None
    error: str
    retry_at: datetime | None = Field(description="When the next attempt is due; empty: none follows.")


class AuthoritySubmissionOut(Schema):
    idempotency_key: str = Field(description="Sent as the Idempotency-Key header of every push of it.")
    case_id: int
    case_stage: str = Field(alias="case.stage")
    delivery: str = Field(description="pending, delivered or failed (a failed push may still be pulled).")
    delivered_via: str = Field(description="push, pull or callback; empty until delivered.")
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str
    authority_reference: str
    decision: str = Field(description="granted or refused; empty while pending.")
    decided_at: datetime | None
    created_at: datetime


class SubmissionDetailOut(AuthoritySubmissionOut):
    package: dict[str, Any] = Field(
        description="The case data for the authority; identity numbers in full for the authority, masked for staff."
    )
    delivery_attempts: list[AttemptOut]


class SubmissionFilters(Schema):
    pending: bool | None = Field(None, description="True: only those waiting for a decision (the pull queue).")
    case_id: int | None = None


class AcknowledgeIn(Schema):
    reference: str = Field("", max_length=64, description="The authority's own reference for the submission.")


class PermitCallbackIn(Schema):
    number: str = Field(max_length=40)
    kind: str = Field(description="The permit type, e.g. work_permit or highly_qualified.")
    valid_from: str = Field(description="YYYY-MM-DD")
    valid_until: str = Field(description="YYYY-MM-DD, after valid_from.")


class DecisionCallbackIn(Schema):
    """The body of a decision callback (documented here; read only after the signature holds)."""

    idempotency_key: str = Field(description="The submission decided, as pushed or pulled.")
    decision: str = Field(description="grant or refuse.")
    authority_reference: str = ""
    decided_at: datetime | None = None
    permit: PermitCallbackIn | None = Field(None, description="Required with a grant.")
    reasons: str = Field("", description="Required with a refusal.")
    legal_ground: str = ""


class CallbackOut(Schema):
    outcome: str = Field(description="applied, or duplicate (the same decision was already taken; nothing changed).")
    idempotency_key: str
    case_id: int
    case_stage: str


def _inline_schema(model: type[Schema]) -> dict[str, Any]:
    """The model's JSON schema with its nested definitions inlined (the OpenAPI document has no ``$defs``)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return dict(resolve(schema))


def _detail(request: HttpRequest, submission: Submission) -> Submission:
    actor = actor_of(request)
    # The authority needs identity numbers in full (and reading them is audited); staff see them masked.
    reveal = has_role(actor, Role.AUTHORITY)
    if reveal:
        services.record_package_fetched(actor, submission)
    # SubmissionDetailOut reads the package from the instance, next to its columns.
    setattr(submission, "package", services.build_package(submission, reveal=reveal))  # noqa: B010
    return submission


@router.get(
    "/submissions",
    response={200: list[AuthoritySubmissionOut], **error_responses(401, 403, 422)},
    summary="List submissions to the authority (pending=true: the pull queue)",
)
@paginate(LimitOffsetPage)
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilters]) -> Any:
    return selectors.list_submissions_for(actor_of(request), pending=filters.pending, case_id=filters.case_id)


@router.get(
    "/submissions/{idempotency_key}",
    response={200: SubmissionDetailOut, **error_responses(401, 403, 404, 422)},
    summary="One submission with its case package and push attempts",
)
def get_submission(request: HttpRequest, idempotency_key: str) -> Any:
    return _detail(request, selectors.get_submission_for(actor_of(request), idempotency_key))


@router.post(
    "/submissions/{idempotency_key}/acknowledge",
    response={200: AuthoritySubmissionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="The authority confirms it has a pulled submission",
)
def acknowledge_submission(request: HttpRequest, idempotency_key: str, payload: AcknowledgeIn) -> Any:
    return services.acknowledge_submission(actor_of(request), idempotency_key, reference=payload.reference)


@router.post(
    "/submissions/{idempotency_key}/retry",
    response={200: AuthoritySubmissionOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Send a pending or given-up push again now (same idempotency key)",
)
def retry_submission(request: HttpRequest, idempotency_key: str) -> Any:
    return services.retry_submission(actor_of(request), idempotency_key)


# No session auth, so no CSRF token (ninja exempts its views from Django's CSRF middleware and checks the
# token only in SessionAuth): the caller is the authority's server, not a browser, and the HMAC signature
# over the body, with its timestamp and single-use nonce, is the credential. tests/api/test_csrf.py lists it.
@router.post(
    "/callbacks/decision",
    auth=None,
    response={200: CallbackOut, **error_responses(400, 401, 404, 409, 422)},
    summary="The authority's signed decision on a submission (grant with the permit, or refuse with reasons)",
    description=(
        f"Sign with HMAC-SHA256 over 'METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\n' followed by the raw body, keyed by the "
        f"shared secret, and send '{protocol.SIGNATURE_HEADER}: t=<unix seconds>,nonce=<16-64 URL-safe characters>,"
        "v1=<hex>'. A bad or stale signature is answered 401 and a nonce used before 409, changing nothing; the same "
        "decision sent again under a new nonce is acknowledged with outcome 'duplicate'."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_schema(DecisionCallbackIn)}},
        }
    },
)
def receive_decision(request: HttpRequest) -> Any:
    result = services.receive_decision(
        request.method or "POST", request.path, request.headers.get(protocol.SIGNATURE_HEADER), request.body
    )
    return {
        "outcome": result.outcome,
        "idempotency_key": result.submission.idempotency_key,
        "case_id": result.submission.case_id,
        "case_stage": result.case_stage,
    }
