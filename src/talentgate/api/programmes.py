"""API routes of the programmes domain: applications for candidates and programme staff, and the officers' work.

Candidates start, submit and withdraw their own applications and list only their own.
Programme staff list every application with the queues' filters, move applications one at
a time or in bulk, decide the applicants' documents and verify host organisations. Every
operation calls ``programmes.selectors``/``services`` (and the candidates' and hosts'
document and verification services), so the API refuses exactly what the portal refuses.

Staff transitions have one route, ``POST /applications/{id}/transitions/{transition}``,
with ``transition`` one of ``start_screening``, ``mark_assessed``, ``invite``,
``mark_matched``, ``reject`` (a path parameter rather than one route per transition, so a
client walks the lifecycle with one call, and ``GET /applications/{id}/transitions`` lists
the ones open now with what would block each). Send ``expected_status`` (the status you
last read) to be refused with 409 ``concurrent_transition`` if someone else moved the
application since. The candidate's own moves, submit and withdraw, have their own routes.

Bulk transitions (``POST /applications/bulk-transitions`` with the transition in the body) answer 200 with one result per application (moved, or refused with the
rule and message of the refusal); only a malformed request as a whole is refused.

Organisation verification lives here too (``/organisation-verifications``): it is the
programme body's queue, worked by officers, while ``/api/hosts`` is the hosts' own side.
"""

# No ``from __future__ import annotations`` here: ninja's @paginate rebuilds the view's signature
# from its annotations, and a ``Query[...]`` parameter left as a string cannot be resolved there
# ("QueryParams is not fully defined"), so the paginated, filtered lists need real annotations.

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictInt

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.candidates import services as candidate_services
from talentgate.candidates.models import Document
from talentgate.hosts import services as host_services
from talentgate.hosts.models import Organisation
from talentgate.programmes import selectors, services
from talentgate.programmes.models import Application, ApplicationTransition

router = Router(tags=["programmes"])

StatusName = Literal["draft", "submitted", "screening", "assessed", "invited", "matched", "withdrawn", "rejected"]
StaffTransition = Literal["start_screening", "mark_assessed", "invite", "mark_matched", "reject"]
BulkTransition = Literal["start_screening", "mark_assessed", "invite", "reject"]
SortOrder = Literal["submitted", "-submitted", "name", "-name", "country", "-country"]
VerificationState = Literal["pending", "verified", "rejected"]


# --- schemas -------------------------------------------------------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    programme_id: int
    programme_code: str = Field(alias="programme.code")
    profile_external_id: str = Field(alias="profile.external_id")
    candidate_name: str = Field(alias="profile.display_name", description="Given names and family name, Latin script.")
    residence_country: str = Field(alias="profile.residence_country", description="ISO 3166-1 alpha-2, or empty.")
    sector_preference_id: int | None
    status: str
    created_at: datetime
    submitted_at: datetime | None
    status_changed_at: datetime


class ApplicationFilters(Schema):
    status: str | None = Field(
        None, description="Only these statuses, comma-separated (e.g. 'submitted,screening'); empty: every status."
    )
    programme_id: int | None = None
    sector_id: int | None = Field(None, description="A priority sector; its sub-sectors match too.")
    residence_country: str | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. 'IN'.")
    submitted_from: IsoDate | None = Field(None, description="Submitted on or after this day (UTC).")
    submitted_to: IsoDate | None = Field(None, description="Submitted on or before this day (UTC).")
    sort: SortOrder = Field("submitted", description="Sort order; '-' reverses it. Ties are broken by id.")
    name: str | None = Field(
        None,
        description="Candidate name words in any script, case-insensitive ('Ivanov' finds 'Иванов'); "
        "each word must start one of the candidate's name words.",
    )

    def query(self) -> selectors.ApplicationQuery:
        return selectors.ApplicationQuery(
            stages=tuple(part.strip() for part in (self.status or "").split(",") if part.strip()),
            programme_id=self.programme_id,
            sector_id=self.sector_id,
            residence_country=(self.residence_country or "").strip().upper(),
            submitted_from=self.submitted_from,
            submitted_to=self.submitted_to,
            sort=self.sort,
            name=self.name or "",
        )


class StageCountsOut(Schema):
    counts: dict[str, int] = Field(description="Applications per status (every status present), other filters applied.")


class ApplicationIn(Schema):
    programme_id: int
    sector_preference_id: int | None = Field(None, description="The priority sector the candidate prefers.")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000, description="Why (optional; kept in the history).")


class TransitionIn(Schema):
    reason: str = Field("", description="Kept in the history; required to reject (the candidate sees it).")
    expected_status: StatusName | None = Field(
        None, description="The status you last read; refused with 409 if the application has moved since."
    )


class BulkTransitionIn(Schema):
    transition: BulkTransition = Field(description="The transition to run on each application.")
    application_ids: list[StrictInt] = Field(
        description=f"At most {services.MAX_BULK_APPLICATIONS} ids; repeats are ignored."
    )
    reason: str = Field("", description="Recorded for every application; required to reject.")


class BulkResultOut(Schema):
    application_id: int
    moved: bool
    from_state: str = Field(description="The status before (empty when the application is not visible).")
    to_state: str = Field(description="The status after; empty when refused.")
    rule: str = Field(description="The rule that refused it; empty when moved.")
    message: str = Field(description="Why it was refused; empty when moved.")


class BulkOut(Schema):
    moved: int
    refused: int
    results: list[BulkResultOut]


class TransitionOptionOut(Schema):
    name: str
    target: str
    allowed: bool = Field(description="Whether the caller may run it now.")
    rule: str = Field(description="The rule that blocks it now; empty when allowed.")
    refusal: str = Field(description="What it needs; empty when allowed.")


class HistoryOut(Schema):
    id: int
    transition: str
    from_state: str
    to_state: str
    actor_id: int | None
    at: datetime
    reason: str


class DocumentOut(Schema):
    id: int
    kind: str
    file_name: str
    issued_on: IsoDate | None
    expires_on: IsoDate | None
    status: str
    rejection_reason: str
    uploaded_at: datetime
    verified_by_id: int | None
    verified_at: datetime | None


class DocumentRejectIn(Schema):
    rejection_reason: str = Field(description="Why it is rejected (the candidate sees it); at most 500 characters.")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    sector_id: int | None
    country: str = Field(alias="country_id")
    region: str
    website: str
    verification: str
    verified_by_id: int | None
    verified_at: datetime | None
    verification_reason: str
    created_at: datetime
    admin_emails: list[str] = Field(description="The organisation's active admins, to contact.")

    @staticmethod
    def resolve_admin_emails(organisation: Organisation) -> list[str]:
        return [m.user.email for m in getattr(organisation, "admin_memberships", [])]


class OrganisationFilters(Schema):
    verification: VerificationState = Field("pending", description="Which verification state to list.")


class VerifyOrganisationIn(Schema):
    note: str = Field("", max_length=1000, description="A note on the check made (optional).")


class RejectOrganisationIn(Schema):
    reason: str = Field(
        max_length=1000, description="Why the organisation is rejected (or its verification withdrawn)."
    )


# --- applications --------------------------------------------------------------------------------------------------------


@router.get(
    "/applications",
    response={200: list[ApplicationOut], **error_responses(400, 401, 403, 422)},
    summary="List applications",
)
@paginate(LimitOffsetPage)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]) -> QuerySet[Application]:
    """A candidate's own applications, or (programme staff) every application, filtered and sorted as the queues."""
    return selectors.applications_matching(actor_of(request), filters.query())


# Fixed paths under /applications/ come before "/applications/{application_id}", which would match them too.
@router.get(
    "/applications/stage-counts",
    response={200: StageCountsOut, **error_responses(400, 401, 403, 422)},
    summary="Count applications per stage",
)
def count_applications_by_stage(request: HttpRequest, filters: Query[ApplicationFilters]) -> dict[str, object]:
    """How many applications the caller sees in each status, with the other filters applied (``status`` is ignored)."""
    return {"counts": selectors.application_stage_counts(actor_of(request), filters.query())}


@router.post(
    "/applications/bulk-transitions",
    response={200: BulkOut, **error_responses(400, 401, 403, 422)},
    summary="Move many applications (staff)",
)
def bulk_transition_applications(request: HttpRequest, payload: BulkTransitionIn) -> dict[str, object]:
    """Run one transition on each application, each in its own transaction, with a result per application."""
    outcomes = services.bulk_move_applications(
        actor_of(request), payload.application_ids, payload.transition, reason=payload.reason
    )
    moved = sum(1 for o in outcomes if o.moved)
    return {"moved": moved, "refused": len(outcomes) - moved, "results": outcomes}


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **error_responses(401, 404, 422)},
    summary="Get an application",
)
def get_application(request: HttpRequest, application_id: int) -> Application:
    """One application: the candidate's own, or any for programme staff; otherwise 404."""
    return selectors.get_application_for(actor_of(request), application_id)


@router.post(
    "/applications",
    response={201: ApplicationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Start an application",
)
def create_application(request: HttpRequest, payload: ApplicationIn) -> Status:
    """The candidate starts a draft application of their profile to an active programme (one per programme)."""
    application = services.create_application(
        actor_of(request), programme_id=payload.programme_id, sector_preference_id=payload.sector_preference_id
    )
    return Status(201, application)


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Submit an application",
)
def submit_application(request: HttpRequest, application_id: int) -> Application:
    """The owner submits their draft; refused (409) naming the first thing the profile still lacks."""
    return services.submit_application(actor_of(request), application_id)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Withdraw an application",
)
def withdraw_application(request: HttpRequest, application_id: int, payload: WithdrawIn) -> Application:
    """The owner withdraws an open application; they may apply to the programme again afterwards."""
    return services.withdraw_application(actor_of(request), application_id, reason=payload.reason)


@router.get(
    "/applications/{application_id}/transitions",
    response={200: list[TransitionOptionOut], **error_responses(401, 404, 422)},
    summary="List the transitions open now",
)
def list_application_transitions(request: HttpRequest, application_id: int) -> list[selectors.TransitionOption]:
    """The staff transitions leaving the application's status, each with what blocks the caller now (if anything)."""
    actor = actor_of(request)
    return selectors.transition_options_for(actor, selectors.get_application_for(actor, application_id))


@router.post(
    "/applications/{application_id}/transitions/{transition}",
    response={200: ApplicationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Move an application (staff)",
)
def transition_application(
    request: HttpRequest, application_id: int, transition: StaffTransition, payload: TransitionIn
) -> Application:
    """Run one staff transition; refused with the rule named: 403 (role, four-eyes), 409 (status, a failed
    condition, or ``concurrent_transition`` when ``expected_status`` is out of date), 400 (a reject without reason)."""
    return services.move_application(
        actor_of(request),
        application_id,
        transition,
        reason=payload.reason,
        expected_status=payload.expected_status or "",
    )


@router.get(
    "/applications/{application_id}/history",
    response={200: list[HistoryOut], **error_responses(401, 404, 422)},
    summary="List an application's history",
)
@paginate(LimitOffsetPage)
def list_application_history(request: HttpRequest, application_id: int) -> QuerySet[ApplicationTransition]:
    """Every move of the application, oldest first: who, when, from, to and why."""
    return selectors.application_history_for(actor_of(request), application_id)


# --- the applicant's documents -------------------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/documents",
    response={200: list[DocumentOut], **error_responses(401, 404, 422)},
    summary="List the applicant's documents",
)
@paginate(LimitOffsetPage)
def list_application_documents(request: HttpRequest, application_id: int) -> QuerySet[Document]:
    """The documents of the applicant's profile, oldest first, with their verification."""
    return selectors.application_documents_for(actor_of(request), application_id)


@router.post(
    "/applications/{application_id}/documents/{document_id}/verify",
    response={200: DocumentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Verify an applicant's document (staff)",
)
def verify_application_document(request: HttpRequest, application_id: int, document_id: int) -> Document:
    """Confirm a pending document of the applicant; a decided one is refused (409)."""
    actor = actor_of(request)
    document = selectors.get_application_document_for(actor, application_id, document_id)
    return candidate_services.verify_document(actor, document)


@router.post(
    "/applications/{application_id}/documents/{document_id}/reject",
    response={200: DocumentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Reject an applicant's document (staff)",
)
def reject_application_document(
    request: HttpRequest, application_id: int, document_id: int, payload: DocumentRejectIn
) -> Document:
    """Reject a pending document of the applicant with the reason the candidate will read."""
    actor = actor_of(request)
    document = selectors.get_application_document_for(actor, application_id, document_id)
    return candidate_services.reject_document(actor, document, payload.rejection_reason)


# --- host organisations awaiting verification ----------------------------------------------------------------------------


@router.get(
    "/organisation-verifications",
    response={200: list[OrganisationOut], **error_responses(400, 401, 403, 422)},
    summary="List organisations by verification state (staff)",
)
@paginate(LimitOffsetPage)
def list_organisation_verifications(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """Host organisations in one verification state (pending by default), oldest registration first."""
    return selectors.organisations_for_verification(actor_of(request), filters.verification)


@router.post(
    "/organisation-verifications/{organisation_id}/verify",
    response={200: OrganisationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Verify a host organisation (staff)",
)
def verify_host_organisation(request: HttpRequest, organisation_id: int, payload: VerifyOrganisationIn) -> Organisation:
    """Verify an organisation so that it may publish opportunities (officers and supervisors)."""
    actor = actor_of(request)
    host_services.verify_organisation(actor, organisation_id, note=payload.note)
    return selectors.get_organisation_for_verification(actor, organisation_id)


@router.post(
    "/organisation-verifications/{organisation_id}/reject",
    response={200: OrganisationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Reject a host organisation (staff)",
)
def reject_host_organisation(request: HttpRequest, organisation_id: int, payload: RejectOrganisationIn) -> Organisation:
    """Reject an organisation, or withdraw its verification, with the reason (officers and supervisors)."""
    actor = actor_of(request)
    host_services.reject_organisation(actor, organisation_id, reason=payload.reason)
    return selectors.get_organisation_for_verification(actor, organisation_id)
