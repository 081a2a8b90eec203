"""API routes of relocation cases: queues with filters, the case file, transitions (one or in bulk), checklists,
documents, family, permits (masked, with an audited reveal), decisions with their letters, requests for
information, the case's message thread and reconsideration.

Every operation calls ``cases.services``/``cases.selectors`` (and the requests, letters and reconsideration
modules of the cases app) only, so the API refuses exactly what the portal refuses. Who sees what is the
selectors' rule: programme staff every case; the candidate their own; host staff their organisation's hires
(the case, not its personal parts: 403 there); the authority the cases handed to it. A case nobody lets the
caller see is answered 404, never 403.

Transitions have one route, ``POST /cases/{id}/transitions/{transition}``; ``GET /cases/{id}/transitions``
lists the ones leaving the current stage with what blocks each now. Send ``expected_version`` (the version
you last read) to be refused with 409 ``stale_version``, naming the stage the case is at now, when someone
else changed the case since.
"""

# No ``from __future__ import annotations`` here: ninja's @paginate rebuilds the view's signature from its
# annotations, and a ``Query[...]`` parameter left as a string cannot be resolved there.

import base64
import binascii
from datetime import datetime
from typing import Any, Literal

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictInt
from pydantic import ValidationError as PydanticValidationError

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.cases import letters, reconsideration, requests, selectors, services, sla
from talentgate.cases.models import CaseDocument, CaseTransition, ChecklistItem, Decision, RelocationCase
from talentgate.common.access import is_programme_staff
from talentgate.common.errors import FieldError, NotFound, ValidationFailed

router = Router(tags=["cases"])

StageName = Literal[
    "opened",
    "prepared",
    "approved",
    "submitted",
    "permit_granted",
    "permit_refused",
    "relocating",
    "arrived",
    "follow_up_6m",
    "follow_up_12m",
    "closed",
    "withdrawn",
    "rejected",
]
TransitionName = Literal[
    "prepare",
    "approve",
    "submit_to_authority",
    "grant_permit",
    "refuse_permit",
    "start_relocation",
    "record_arrival",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
    "record_departure",
    "reopen",
    "reject",
    "withdraw",
]
BulkTransitionName = Literal[
    "prepare",
    "approve",
    "submit_to_authority",
    "start_relocation",
    "record_arrival",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
    "reject",
    "withdraw",
]
SortOrder = Literal["waiting", "-waiting", "opened", "-opened", "name"]
DeadlineFilter = Literal["due_soon", "overdue"]


# --- schemas -------------------------------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    stage: str
    stage_label: str = Field(description="The stage as people read it, in the caller's language.")
    version: int = Field(description="Send it back as expected_version to act on what you read.")
    kind: str
    source: str = Field(description="offer or award.")
    programme_id: int | None
    profile_external_id: str = Field(alias="profile.external_id")
    candidate_name: str = Field(alias="profile.display_name")
    organisation_id: int | None
    organisation_name: str = ""
    sector_id: int | None
    origin_country: str = Field(description="The candidate's country of residence when the case opened.")
    destination_country: str | None = Field(None, alias="destination_country_id")
    opened_at: datetime
    stage_entered_at: datetime
    closed_at: datetime | None
    arrived_on: IsoDate | None

    @staticmethod
    def resolve_organisation_name(case: RelocationCase) -> str:
        return case.organisation.name if case.organisation is not None else ""


class CaseDetailOut(CaseOut):
    offer_id: int | None
    application_id: int | None
    end_reason: str = Field(description="Why it was withdrawn or rejected (programme staff and the candidate).")
    departed_on: IsoDate | None = None
    active_seconds_in_stage: int = Field(description="Time in the current stage with the clock running.")
    paused_seconds_in_stage: int = Field(description="Time in the current stage with the clock stopped.")
    deadline_due_at: datetime | None = Field(
        None, description="When the current stage is due (pauses move it later); empty once the case ended."
    )
    deadline_state: str = Field("", description="on_track, due_soon or overdue; empty once the case ended.")


class CaseFilters(Schema):
    stage: str | None = Field(None, description="Only these stages, comma-separated (e.g. 'opened,prepared').")
    kind: str | None = Field(None, description="Only these case kinds, comma-separated.")
    open_only: bool = Field(False, description="Only cases still under way.")
    programme_id: int | None = None
    sector_id: int | None = Field(None, description="A priority sector; its sub-sectors match too.")
    organisation_id: int | None = Field(None, description="The host.")
    country: str | None = Field(None, description="The candidate's country of residence (ISO 3166-1 alpha-2).")
    destination_country: str | None = Field(None, description="Where the host is (ISO 3166-1 alpha-2).")
    sort: SortOrder = Field("waiting", description="waiting: longest in its stage first.")
    deadline: DeadlineFilter | None = Field(
        None, description="Only cases due soon or overdue in their current stage (programme staff)."
    )

    def query(self) -> selectors.CaseQuery:
        return selectors.CaseQuery(
            stages=_split(self.stage),
            kinds=_split(self.kind),
            programme_id=self.programme_id,
            sector_id=self.sector_id,
            organisation_id=self.organisation_id,
            country=(self.country or "").strip(),
            destination_country=(self.destination_country or "").strip(),
            open_only=self.open_only,
            sort=self.sort,
        )


class CaseStageCountsOut(Schema):
    counts: dict[str, int]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


class PermitIn(Schema):
    permit_type: str = Field(description="work_permit, highly_qualified, research_permit, study_permit, ...")
    number: str
    issued_on: IsoDate
    valid_from: IsoDate
    valid_until: IsoDate
    family_member_id: int | None = Field(None, description="Empty for the candidate's own permit.")

    def to_service(self) -> services.PermitIn:
        return services.PermitIn(**self.model_dump())


class CaseTransitionIn(Schema):
    """One body for every transition; each transition reads the fields it needs (the others are ignored)."""

    expected_version: int | None = Field(
        None, description="The version you last read; refused with 409 'stale_version' if the case changed since."
    )
    reason: str = Field("", description="Required to withdraw, reject and reopen; a note for the others.")
    reasons: str = Field("", description="The decision's reasons (approve, grant_permit, refuse_permit).")
    policy_id: str = Field("", description="The decision's basis (approve, reject): a policy id...")
    policy_version: str = Field("", description="... and its version.")
    legal_ground: str = Field("", description="... or a legal ground (required to grant or refuse a permit).")
    arrived_on: IsoDate | None = Field(None, description="record_arrival: default today.")
    departed_on: IsoDate | None = Field(None, description="record_departure: required.")
    permit: PermitIn | None = Field(None, description="grant_permit: the candidate's permit (required).")
    family_permits: list[PermitIn] = Field(default_factory=list, description="grant_permit: the family's permits.")


class CaseBulkTransitionIn(Schema):
    transition: BulkTransitionName
    case_ids: list[StrictInt] = Field(description=f"At most {services.MAX_BULK_CASES} ids; repeats are ignored.")
    reason: str = Field("", description="Recorded for every case; required to reject or withdraw.")


class BulkErrorOut(Schema):
    field: str
    rule: str
    message: str


class CaseBulkResultOut(Schema):
    case_id: int
    ok: bool
    stage: str = Field(description="The stage after the move; empty when refused.")
    version: int | None = Field(description="The version after the move; empty when refused.")
    status: int = Field(description="200 when moved, else the status a single transition would have answered.")
    errors: list[BulkErrorOut] = Field(description="Why it was refused; empty when moved.")


class CaseBulkOut(Schema):
    moved: int
    refused: int
    results: list[CaseBulkResultOut]


class CaseTransitionOptionOut(Schema):
    name: str
    target: str = Field(description="The stage it leads to (empty where it depends on the case).")
    allowed: bool = Field(description="Whether the caller may run it now.")
    rule: str = Field(description="The rule that blocks it now; empty when allowed.")
    refusal: str = Field(description="What it needs; empty when allowed.")


class CaseHistoryOut(Schema):
    id: int
    version: int
    transition: str
    from_stage: str
    to_stage: str
    actor_id: int | None
    entered_at: datetime
    left_at: datetime
    active_seconds: int = Field(description="Time in the stage left, clock pauses excluded.")
    paused_seconds: int
    reason: str


class ChecklistItemOut(Schema):
    id: int
    code: str
    label: str
    category: str
    document_kind: str
    due_before: str = Field(description="The transition it must be done before.")
    required: bool
    family_member_id: int | None
    done: bool
    completed_at: datetime | None

    @staticmethod
    def resolve_label(item: ChecklistItem) -> str:
        return str(item.label)

    @staticmethod
    def resolve_done(item: ChecklistItem) -> bool:
        return item.is_done


class CaseDocumentOut(Schema):
    id: int
    kind: str
    family_member_id: int | None
    checklist_item_id: int | None
    file_name: str
    issued_on: IsoDate | None
    expires_on: IsoDate | None
    status: str
    rejection_reason: str
    uploaded_at: datetime
    verified_at: datetime | None


class CaseDocumentRejectIn(Schema):
    reason: str = Field(description="Why it is rejected (the candidate sees it); at most 500 characters.")


class FamilyMemberOut(Schema):
    id: int
    relation: str
    given_names_latin: str
    family_name_latin: str
    date_of_birth: IsoDate | None
    identity_number: str = Field(description="Masked; programme staff reveal it with POST /cases/{id}/reveal.")


class FamilyMemberIn(Schema):
    relation: Literal["spouse", "partner", "child"]
    given_names_latin: str
    family_name_latin: str = ""
    date_of_birth: IsoDate | None = Field(None, description="Required for a child.")
    identity_number: str = Field("", max_length=40, description="Stored encrypted, shown masked.")


class PermitOut(Schema):
    id: int
    family_member_id: int | None
    permit_type: str
    number: str = Field(description="Masked; programme staff reveal it with POST /cases/{id}/reveal.")
    issued_on: IsoDate
    valid_from: IsoDate
    valid_until: IsoDate
    status: str


class RevealIn(Schema):
    field: Literal["permit_number", "family_identity_number"]
    object_id: int | None = Field(
        None, description="The permit (default: the candidate's active one) or the family member."
    )


class RevealOut(Schema):
    field: str
    object_id: int | None
    value: str = Field(description="The clear value. The reveal is recorded on the case's audit chain.")


class DecisionOut(Schema):
    id: int
    kind: str
    basis: str = Field(description="The policy id and version, or the legal ground.")
    policy_id: str
    policy_version: str
    legal_ground: str
    officer_id: int | None
    decided_at: datetime
    reasons: str


#: Transitions whose service takes an optional ``note`` kept in the history.
_NOTE_TRANSITIONS = frozenset({"prepare", "record_follow_up_6m", "record_follow_up_12m", "close"})
#: Transitions whose service requires a ``reason``.
_REASON_TRANSITIONS = frozenset({"reject", "withdraw", "reopen"})


def bulk_arguments(transition: str, reason: str) -> dict[str, str]:
    """The keyword arguments a bulk action passes to each case's transition: the reason where it is required,
    as a note where one is kept, nothing otherwise. (The portal's bulk form shares this.)"""
    if transition in _REASON_TRANSITIONS:
        return {"reason": reason}
    if transition in _NOTE_TRANSITIONS and reason.strip():
        return {"note": reason}
    if transition == "approve" and reason.strip():
        return {"reasons": reason}
    return {}


# --- the cases -----------------------------------------------------------------------------------------------------


def _detail(case: RelocationCase, actor: Any) -> RelocationCase:
    """``case`` with its time in stage and, for whoever may not read the case file, no end reason."""
    case.active_seconds_in_stage, case.paused_seconds_in_stage = selectors.time_in_current_stage(case)  # type: ignore[attr-defined]
    deadline = sla.deadline_for(case)
    case.deadline_due_at = deadline.due_at if deadline else None  # type: ignore[attr-defined]
    case.deadline_state = str(deadline.state) if deadline else ""  # type: ignore[attr-defined]
    if not selectors.may_see_case_file(actor, case):
        # Host staff read the case's course, not the candidate's own words about why it ended.
        case.end_reason = ""
    return case


@router.get("", response={200: list[CaseOut], **error_responses(400, 401, 403, 422)}, summary="List relocation cases")
@paginate(LimitOffsetPage)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[RelocationCase]:
    """The cases the caller sees (programme staff: all; candidates: their own; host staff: their organisation's
    hires; the authority: those handed to it), filtered and sorted as the officers' queue."""
    actor = actor_of(request)
    cases = selectors.cases_matching(actor, filters.query())
    if filters.deadline is None:
        return cases
    queue = sla.cases_overdue(actor) if filters.deadline == "overdue" else sla.cases_due_soon(actor)
    return cases.filter(pk__in=queue.values("pk"))


@router.get(
    "/stage-counts",
    response={200: CaseStageCountsOut, **error_responses(400, 401, 403, 422)},
    summary="Count cases per stage",
)
def count_cases_by_stage(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """How many cases the caller sees at each stage, with the other filters applied (``stage`` is ignored)."""
    return {"counts": selectors.case_stage_counts(actor_of(request), filters.query())}


@router.post(
    "/bulk-transitions",
    response={200: CaseBulkOut, **error_responses(400, 401, 403, 422)},
    summary="Move many cases (staff)",
)
def bulk_transition_cases(request: HttpRequest, payload: CaseBulkTransitionIn) -> dict[str, Any]:
    """Run one transition on each case, each in its own transaction, with a result per case (moved, or refused
    with the rule and message a single transition would have given)."""
    outcomes = services.bulk_transition(
        actor_of(request), payload.case_ids, payload.transition, **bulk_arguments(payload.transition, payload.reason)
    )
    results = [
        {
            "case_id": o.case_id,
            "ok": o.ok,
            "stage": o.stage,
            "version": o.version,
            "status": o.status,
            "errors": [e.as_dict() for e in o.errors],
        }
        for o in outcomes
    ]
    moved = sum(1 for o in outcomes if o.ok)
    return {"moved": moved, "refused": len(outcomes) - moved, "results": results}


@router.get(
    "/{case_id}", response={200: CaseDetailOut, **error_responses(401, 404, 422)}, summary="Get a relocation case"
)
def get_case(request: HttpRequest, case_id: int) -> RelocationCase:
    """One case the caller sees, with its version (send it back to act) and its time in the current stage."""
    actor = actor_of(request)
    return _detail(selectors.get_case_for(actor, case_id), actor)


@router.get(
    "/{case_id}/history",
    response={200: list[CaseHistoryOut], **error_responses(401, 404, 422)},
    summary="List a case's history",
)
@paginate(LimitOffsetPage)
def list_case_history(request: HttpRequest, case_id: int) -> QuerySet[CaseTransition]:
    """Every move of the case, oldest first: who, when, from, to, why, and the time spent in the stage left."""
    return selectors.history_for(actor_of(request), case_id)


@router.get(
    "/{case_id}/transitions",
    response={200: list[CaseTransitionOptionOut], **error_responses(401, 404, 422)},
    summary="List the transitions open now",
)
def list_case_transitions(request: HttpRequest, case_id: int) -> list[selectors.CaseTransitionOption]:
    """The transitions leaving the case's stage that the caller's role may run, each with what blocks it now.
    Programme staff also see the ones another role or person must run (four-eyes), with the reason."""
    actor = actor_of(request)
    return selectors.transition_options_for(actor, selectors.get_case_for(actor, case_id))


def run_named_transition(actor: Any, case_id: int, name: str, payload: CaseTransitionIn) -> RelocationCase:
    """Call the service of transition ``name`` with the fields of ``payload`` it takes."""
    version = payload.expected_version
    if name == "approve":
        return services.approve(
            actor,
            case_id,
            expected_version=version,
            reasons=payload.reasons or payload.reason,
            policy_id=payload.policy_id,
            policy_version=payload.policy_version,
            legal_ground=payload.legal_ground,
        )
    if name == "reject":
        return services.reject(
            actor,
            case_id,
            expected_version=version,
            reason=payload.reason,
            policy_id=payload.policy_id,
            policy_version=payload.policy_version,
            legal_ground=payload.legal_ground,
        )
    if name == "grant_permit":
        if payload.permit is None:
            raise ValidationFailed.single("permit", "required", "Give the candidate's permit (type, number, dates).")
        return services.grant_permit(
            actor,
            case_id,
            expected_version=version,
            permit=payload.permit.to_service(),
            family_permits=[p.to_service() for p in payload.family_permits],
            legal_ground=payload.legal_ground,
            reasons=payload.reasons or payload.reason,
        )
    if name == "refuse_permit":
        return services.refuse_permit(
            actor,
            case_id,
            expected_version=version,
            legal_ground=payload.legal_ground,
            reasons=payload.reasons or payload.reason,
        )
    if name == "record_arrival":
        return services.record_arrival(actor, case_id, expected_version=version, arrived_on=payload.arrived_on)
    if name == "record_departure":
        if payload.departed_on is None:
            raise ValidationFailed.single("departed_on", "required", "Give the departure date.")
        return services.record_departure(
            actor, case_id, expected_version=version, departed_on=payload.departed_on, reason=payload.reason
        )
    if name in ("withdraw", "reopen"):
        return services.TRANSITIONS[name](actor, case_id, expected_version=version, reason=payload.reason)
    if name in _NOTE_TRANSITIONS:
        return services.TRANSITIONS[name](actor, case_id, expected_version=version, note=payload.reason)
    return services.TRANSITIONS[name](actor, case_id, expected_version=version)


@router.post(
    "/{case_id}/transitions/{transition}",
    response={200: CaseDetailOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Move a case",
)
def transition_case(request: HttpRequest, case_id: int, transition: TransitionName, payload: CaseTransitionIn) -> Any:
    """Run one transition; refused with the rule named: 403 (role, four-eyes), 409 (stage, a failed condition
    such as an open checklist item, or ``stale_version`` when ``expected_version`` is out of date), 400 (a
    missing reason, basis or permit field, named)."""
    actor = actor_of(request)
    selectors.get_case_for(actor, case_id)
    return _detail(run_named_transition(actor, case_id, transition, payload), actor)


# --- checklist and documents -----------------------------------------------------------------------------------------


@router.get(
    "/{case_id}/checklist",
    response={200: list[ChecklistItemOut], **error_responses(401, 403, 404, 422)},
    summary="List a case's checklist",
)
def list_case_checklist(request: HttpRequest, case_id: int) -> QuerySet[ChecklistItem]:
    """Everything to provide or arrange, the candidate's first then each family member's, done or not."""
    case = selectors.get_case_file_for(actor_of(request), case_id)
    return case.checklist.select_related("family_member").order_by("family_member_id", "pk")


@router.post(
    "/{case_id}/checklist/{item_id}/complete",
    response={200: ChecklistItemOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Tick a checklist item",
)
def complete_checklist_item(request: HttpRequest, case_id: int, item_id: int) -> ChecklistItem:
    """Tick an item that is not a document (a document item is ticked when its document is provided)."""
    return services.complete_item(actor_of(request), case_id, item_id)


@router.post(
    "/{case_id}/checklist/{item_id}/reopen",
    response={200: ChecklistItemOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Untick a checklist item (staff)",
)
def reopen_checklist_item(request: HttpRequest, case_id: int, item_id: int) -> ChecklistItem:
    """Mark a ticked item as not done again (programme staff)."""
    return services.reopen_item(actor_of(request), case_id, item_id)


@router.get(
    "/{case_id}/documents",
    response={200: list[CaseDocumentOut], **error_responses(401, 403, 404, 422)},
    summary="List a case's documents",
)
def list_case_documents(request: HttpRequest, case_id: int) -> QuerySet[CaseDocument]:
    """The documents provided for the case, oldest first, with their verification and expiry."""
    return selectors.get_case_file_for(actor_of(request), case_id).documents.order_by("pk")


class DocumentJsonIn(Schema):
    """A document sent as JSON, for clients that cannot send multipart: the file's bytes in base64."""

    kind: str
    file_name: str = Field(min_length=1, max_length=255)
    content_base64: str
    family_member_id: int | None = None
    issued_on: IsoDate | None = None
    expires_on: IsoDate | None = None


_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                        "family_member_id": {"type": "integer"},
                        "issued_on": {"type": "string", "format": "date"},
                        "expires_on": {"type": "string", "format": "date"},
                    },
                }
            },
            "application/json": {"schema": DocumentJsonIn.model_json_schema()},
        }
    }
}


def _json_document(request: HttpRequest) -> dict[str, Any]:
    try:
        body = DocumentJsonIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        raise ValidationFailed(
            [FieldError(".".join(str(p) for p in e["loc"]), e["type"], e["msg"]) for e in error.errors()]
        ) from None
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.single("content_base64", "base64", "Send the file's bytes base64-encoded.") from None
    values = body.model_dump(exclude={"content_base64"})
    values["file"] = ContentFile(content, name=body.file_name)
    return values


@router.post(
    "/{case_id}/documents",
    response={201: CaseDocumentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Provide a document",
    openapi_extra=_UPLOAD_BODY,
)
def upload_case_document(
    request: HttpRequest,
    case_id: int,
    kind: Form[str | None] = None,
    file: File[UploadedFile | None] = None,
    family_member_id: Form[int | None] = None,
    issued_on: Form[IsoDate | None] = None,
    expires_on: Form[IsoDate | None] = None,
) -> Status:
    """Upload a document for the case (multipart, or JSON with the bytes in base64; its candidate or programme
    staff). It ticks the matching checklist item and waits for an officer's verification."""
    if (request.content_type or "").startswith("application/json"):
        values = _json_document(request)
    else:
        if file is None:
            raise ValidationFailed.single("file", "required", "Attach the document's file.")
        values = {
            "kind": kind or "",
            "file": file,
            "file_name": file.name or "",
            "family_member_id": family_member_id,
            "issued_on": issued_on,
            "expires_on": expires_on,
        }
    document = services.add_document(actor_of(request), case_id, **values)
    return Status(201, document)


@router.get(
    "/{case_id}/documents/{document_id}/file",
    response={200: None, **error_responses(401, 403, 404, 422)},
    summary="Download a case document's file",
    openapi_extra={
        "responses": {"200": {"description": "The file as uploaded.", "content": {"application/octet-stream": {}}}}
    },
)
def download_case_document(request: HttpRequest, case_id: int, document_id: int) -> FileResponse:
    """The file of one document of the case."""
    document = selectors.get_case_document_for(actor_of(request), case_id, document_id)
    if not document.file:
        raise NotFound("file")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "document")


@router.post(
    "/{case_id}/documents/{document_id}/verify",
    response={200: CaseDocumentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Verify a case document (staff)",
)
def verify_case_document(request: HttpRequest, case_id: int, document_id: int) -> CaseDocument:
    """Mark the document verified (programme staff)."""
    actor = actor_of(request)
    document = selectors.get_case_document_for(actor, case_id, document_id)
    return services.verify_document(actor, document.pk)


@router.post(
    "/{case_id}/documents/{document_id}/reject",
    response={200: CaseDocumentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Reject a case document (staff)",
)
def reject_case_document(
    request: HttpRequest, case_id: int, document_id: int, payload: CaseDocumentRejectIn
) -> CaseDocument:
    """Reject the document with the reason the candidate reads; its checklist item opens again."""
    actor = actor_of(request)
    document = selectors.get_case_document_for(actor, case_id, document_id)
    return services.reject_document(actor, document.pk, reason=payload.reason)


# --- family, permits, reveal, decisions ------------------------------------------------------------------------------


@router.get(
    "/{case_id}/family",
    response={200: list[FamilyMemberOut], **error_responses(401, 403, 404, 422)},
    summary="List the accompanying family",
)
def list_case_family(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The family members relocating with the candidate, identity numbers masked."""
    return selectors.masked_family(selectors.get_case_file_for(actor_of(request), case_id))


@router.post(
    "/{case_id}/family",
    response={201: FamilyMemberOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Add a family member",
)
def add_case_family_member(request: HttpRequest, case_id: int, payload: FamilyMemberIn) -> Status:
    """Add a family member relocating with the candidate (its candidate or programme staff); their own
    checklist (passport, birth or marriage certificate...) is added to the case."""
    actor = actor_of(request)
    member = services.add_family_member(actor, case_id, **payload.model_dump())
    shown = next(m for m in selectors.masked_family(member.case) if m["id"] == member.pk)
    return Status(201, shown)


@router.get(
    "/{case_id}/permits",
    response={200: list[PermitOut], **error_responses(401, 403, 404, 422)},
    summary="List a case's permits",
)
def list_case_permits(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """The permits granted on the case (the candidate's and the family's), numbers masked."""
    return selectors.masked_permits(selectors.get_case_file_for(actor_of(request), case_id))


class FamilyPermitIn(PermitIn):
    family_member_id: int | None = Field(None, description="The family member holding it (required).")


class PermitRenewalIn(Schema):
    number: str
    issued_on: IsoDate
    valid_from: IsoDate = Field(description="Not before the renewed permit's start.")
    valid_until: IsoDate
    permit_type: str = Field("", description="Empty keeps the renewed permit's type.")


class HostChangeIn(Schema):
    new_offer_id: int = Field(description="An offer the candidate accepted from another, verified host.")
    effective_on: IsoDate
    reason: str = ""
    expected_version: int | None = Field(None, description="Refused with 409 'stale_version' if the case changed.")


class HostChangeOut(Schema):
    id: int
    case_id: int
    from_organisation_id: int | None
    to_organisation_id: int
    new_offer_id: int
    effective_on: IsoDate
    reason: str
    recorded_at: datetime


class IdentityNumberIn(Schema):
    identity_number: str = Field(max_length=40, description="Stored encrypted, shown masked.")


def _masked_permit(permit_id: int, case: RelocationCase) -> dict[str, Any]:
    return next(p for p in selectors.masked_permits(case) if p["id"] == permit_id)


@router.post(
    "/{case_id}/permits",
    response={201: PermitOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Record a family member's permit (staff, the authority)",
)
def record_family_permit(request: HttpRequest, case_id: int, payload: FamilyPermitIn) -> Status:
    """Record the permit of a family member on a case whose candidate holds one; the number is stored encrypted
    and answered masked."""
    actor = actor_of(request)
    case = selectors.get_case_for(actor, case_id)
    permit = services.record_family_permit(actor, case.pk, permit=payload.to_service())
    return Status(201, _masked_permit(permit.pk, case))


@router.post(
    "/{case_id}/permits/{permit_id}/renewal",
    response={201: PermitOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Record a permit's renewal (staff, the authority)",
)
def renew_case_permit(request: HttpRequest, case_id: int, permit_id: int, payload: PermitRenewalIn) -> Status:
    """Record the renewal of an active permit: the old one is superseded, the new one (same holder) is active."""
    actor = actor_of(request)
    case = selectors.get_case_for(actor, case_id)
    if not case.permits.filter(pk=permit_id).exists():
        raise NotFound("permit")
    permit = services.renew_permit(actor, permit_id, **payload.model_dump())
    return Status(201, _masked_permit(permit.pk, case))


@router.post(
    "/{case_id}/host-changes",
    response={201: HostChangeOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Record a change of host (staff)",
)
def change_case_host(request: HttpRequest, case_id: int, payload: HostChangeIn) -> Status:
    """Move a permit holder to a new host: needs an offer the candidate accepted from another, verified host;
    a 'permit amended' checklist item is added."""
    actor = actor_of(request)
    selectors.get_case_for(actor, case_id)
    return Status(201, services.change_host(actor, case_id, **payload.model_dump()))


@router.post(
    "/{case_id}/family/{member_id}/identity-number",
    response={200: FamilyMemberOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Record a family member's identity number (staff)",
)
def set_family_identity_number(
    request: HttpRequest, case_id: int, member_id: int, payload: IdentityNumberIn
) -> dict[str, Any]:
    """Record a family member's passport or identity number (programme staff); answered masked."""
    actor = actor_of(request)
    selectors.get_case_for(actor, case_id)
    member = services.set_family_identity_number(actor, case_id, member_id, identity_number=payload.identity_number)
    return next(m for m in selectors.masked_family(member.case) if m["id"] == member.pk)


@router.post(
    "/{case_id}/reveal",
    response={200: RevealOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Reveal one protected field (staff, audited)",
)
def reveal_case_field(request: HttpRequest, case_id: int, payload: RevealIn) -> dict[str, Any]:
    """The clear value of one encrypted field: a permit number or a family member's identity number.
    Programme staff only; every reveal is written to the case's audit chain."""
    value = services.reveal_field(actor_of(request), case_id, payload.field, object_id=payload.object_id)
    return {"field": payload.field, "object_id": payload.object_id, "value": value}


@router.get(
    "/{case_id}/decisions",
    response={200: list[DecisionOut], **error_responses(401, 403, 404, 422)},
    summary="List a case's decisions",
)
def list_case_decisions(request: HttpRequest, case_id: int) -> QuerySet[Decision]:
    """Every approval, rejection, grant and refusal on the case, oldest first, with its basis and reasons."""
    return selectors.get_case_file_for(actor_of(request), case_id).decisions.order_by("decided_at", "pk")


@router.get(
    "/{case_id}/decisions/{decision_id}/letter",
    response={200: None, **error_responses(400, 401, 404, 422)},
    summary="Download a decision letter (PDF)",
    openapi_extra={"responses": {"200": {"description": "The decision letter.", "content": {"application/pdf": {}}}}},
)
def download_decision_letter(
    request: HttpRequest, case_id: int, decision_id: int, language: str | None = None
) -> HttpResponse:
    """The letter of one decision on the case, rendered as PDF in the candidate's language (or ``language``:
    en or ru): the candidate of the case and programme staff."""
    actor = actor_of(request)
    decision = letters.get_decision_for(actor, decision_id)
    if decision.case_id != case_id:
        raise NotFound("decision")
    pdf = letters.letter_pdf(actor, decision.pk, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(decision)}"'
    return response


# --- requests for information, the thread, reconsideration ---------------------------------------------------------


class InformationRequestOut(Schema):
    id: int
    case_id: int
    addressee: str = Field(description="candidate or host.")
    question: str
    due_on: IsoDate
    status: str
    requested_at: datetime
    closed_at: datetime | None


class InformationRequestIn(Schema):
    addressee: Literal["candidate", "host"]
    question: str
    due_on: IsoDate | None = Field(description="After today; the stage clock stands still until the answer.")


class AnswerJsonIn(Schema):
    """An answer sent as JSON: a message, a file's bytes in base64 with its name, or both."""

    body: str = Field("", description="The answer; may be empty when a file is sent.")
    file_name: str | None = Field(None, min_length=1, max_length=255, description="The file's name (with a file).")
    content_base64: str | None = Field(None, description="The file's bytes, base64-encoded (PDF, PNG or JPEG).")


_ANSWER_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "body": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            },
            "application/json": {"schema": AnswerJsonIn.model_json_schema()},
        }
    }
}


def _json_answer(request: HttpRequest) -> tuple[str, ContentFile | None]:
    """The answer's text and file from a JSON body; a file needs both its name and its bytes."""
    try:
        answer = AnswerJsonIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        raise ValidationFailed(
            [FieldError(".".join(str(p) for p in e["loc"]), e["type"], e["msg"]) for e in error.errors()]
        ) from None
    if answer.content_base64 is None and answer.file_name is None:
        return answer.body, None
    if answer.content_base64 is None:
        raise ValidationFailed.single("content_base64", "required", "Send the file's bytes with its name.")
    if answer.file_name is None:
        raise ValidationFailed.single("file_name", "required", "Name the file whose bytes you send.")
    try:
        content = base64.b64decode(answer.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.single("content_base64", "base64", "Send the file's bytes base64-encoded.") from None
    return answer.body, ContentFile(content, name=answer.file_name)


class MessageOut(Schema):
    id: int
    audience: str = Field(description="Which side of the thread: candidate or host.")
    author_id: int | None
    body: str
    attachment_name: str
    information_request_id: int | None
    created_at: datetime


class MessageIn(Schema):
    body: str
    audience: Literal["candidate", "host"] | None = Field(
        None, description="Programme staff say which side they write to; ignored for others (their own side)."
    )


class ReconsiderationIn(Schema):
    grounds: str = Field(description="Why the decision should change.")


class ReconsiderationReviewIn(Schema):
    outcome: Literal["upheld", "overturned"]
    reasons: str
    legal_ground: str = ""
    expected_version: int | None = Field(None, description="Guards the reopening of an overturned decision.")


class ReconsiderationOut(Schema):
    id: int
    case_id: int
    decision_id: int
    grounds: str
    status: str
    requested_at: datetime
    reviewed_at: datetime | None
    outcome_id: int | None


@router.get(
    "/{case_id}/requests",
    response={200: list[InformationRequestOut], **error_responses(401, 404, 422)},
    summary="List a case's requests for information",
)
def list_information_requests(request: HttpRequest, case_id: int) -> Any:
    """The requests on the case the caller may see (host staff: those addressed to the host), newest first."""
    actor = actor_of(request)
    selectors.get_case_for(actor, case_id)
    return requests.information_requests_visible_to(actor, case_id)


@router.post(
    "/{case_id}/requests",
    response={201: InformationRequestOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Ask for information (officers)",
)
def ask_for_information(request: HttpRequest, case_id: int, payload: InformationRequestIn) -> Status:
    """An officer asks the candidate or the host for something by a date; the stage clock pauses until answered."""
    made = requests.request_information(
        actor_of(request), case_id, addressee=payload.addressee, question=payload.question, due_on=payload.due_on
    )
    return Status(201, made)


@router.post(
    "/{case_id}/requests/{request_id}/answer",
    response={200: MessageOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Answer a request for information",
    openapi_extra=_ANSWER_BODY,
)
def answer_information_request(
    request: HttpRequest,
    case_id: int,
    request_id: int,
    body: Form[str | None] = None,
    file: File[UploadedFile | None] = None,
) -> Any:
    """The addressee (the candidate, or the host's staff) answers an open request with a message, a file or both
    (multipart, or JSON with the file's bytes in base64); the stage clock runs again. The file is checked like
    any upload (PDF, PNG or JPEG by its content, size, name)."""
    actor = actor_of(request)
    found = requests.get_information_request_for(actor, request_id)
    if found.case_id != case_id:
        raise NotFound("information request")
    content_type: str | None = None
    upload: Any
    if (request.content_type or "").startswith("application/json"):
        text, upload = _json_answer(request)
    else:
        text, upload = body or "", file
        content_type = file.content_type if file is not None else None
    return requests.answer_information_request(actor, request_id, body=text, file=upload, content_type=content_type)


class WithdrawRequestIn(Schema):
    reason: str = Field(description="Why it is no longer needed.")


@router.post(
    "/{case_id}/requests/{request_id}/withdraw",
    response={200: InformationRequestOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Withdraw a request for information (staff)",
)
def withdraw_information_request(
    request: HttpRequest, case_id: int, request_id: int, payload: WithdrawRequestIn
) -> Any:
    """Programme staff withdraw an open request that is no longer needed, saying why; the stage clock runs again."""
    actor = actor_of(request)
    found = requests.get_information_request_for(actor, request_id)
    if found.case_id != case_id:
        raise NotFound("information request")
    return requests.withdraw_information_request(actor, request_id, reason=payload.reason)


@router.get(
    "/{case_id}/messages",
    response={200: list[MessageOut], **error_responses(401, 404, 422)},
    summary="Read a case's thread",
)
@paginate(LimitOffsetPage)
def list_case_messages(request: HttpRequest, case_id: int) -> Any:
    """The thread as the caller may read it (host staff: the host's side), oldest first."""
    return requests.messages_visible_to(actor_of(request), case_id)


@router.post(
    "/{case_id}/messages",
    response={201: MessageOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Write in a case's thread",
)
def post_case_message(request: HttpRequest, case_id: int, payload: MessageIn) -> Status:
    """A message to the other side of the thread (staff name the side), who is notified."""
    actor = actor_of(request)
    # The side is the staff member's choice; the candidate and host staff always write on their own.
    audience = payload.audience if is_programme_staff(actor) else None
    message = requests.post_message(actor, case_id, body=payload.body, audience=audience)
    return Status(201, message)


@router.post(
    "/{case_id}/decisions/{decision_id}/reconsideration",
    response={201: ReconsiderationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Ask for a decision to be reconsidered",
)
def request_reconsideration(request: HttpRequest, case_id: int, decision_id: int, payload: ReconsiderationIn) -> Status:
    """The candidate asks for a rejection or refusal of their case to be reconsidered, within the window."""
    actor = actor_of(request)
    case = selectors.get_case_for(actor, case_id)
    if not case.decisions.filter(pk=decision_id).exists():
        raise NotFound("decision")
    return Status(201, reconsideration.request_reconsideration(actor, decision_id, grounds=payload.grounds))


@router.post(
    "/{case_id}/reconsiderations/{reconsideration_id}/review",
    response={200: ReconsiderationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Review a reconsideration (a different officer)",
)
def review_reconsideration(
    request: HttpRequest, case_id: int, reconsideration_id: int, payload: ReconsiderationReviewIn
) -> Any:
    """Uphold or overturn the decision (an officer or supervisor other than the one who decided); overturning
    reopens the case."""
    actor = actor_of(request)
    found = reconsideration.get_reconsideration_for(actor, reconsideration_id)
    if found.case_id != case_id:
        raise NotFound("reconsideration")
    return reconsideration.review_reconsideration(
        actor,
        reconsideration_id,
        outcome=payload.outcome,
        reasons=payload.reasons,
        legal_ground=payload.legal_ground,
        expected_version=payload.expected_version,
    )
