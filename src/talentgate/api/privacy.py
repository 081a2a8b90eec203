"""API routes of personal data: export (JSON and PDF, the caller's own or, for programme staff, anyone's,
audited), erasure requests and erasure, legal holds. Consents are given and withdrawn at
``/api/candidates/me/consents`` (the candidates router); their effect is read through
``talentgate.privacy.selectors``.
"""

# No ``from __future__ import annotations``: ninja reads the filter parameters' types at runtime.
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage
from talentgate.common.errors import NotFound
from talentgate.privacy import export, selectors, services

router = Router(tags=["privacy"])

PDF_RESPONSE = {"responses": {"200": {"description": "The export as PDF.", "content": {"application/pdf": {}}}}}


class ErasureRequestOut(Schema):
    id: int
    profile_id: int
    status: str = Field(description="requested, refused or done.")
    requested_at: datetime
    decided_at: datetime | None
    refusal_reason: str


class RefuseIn(Schema):
    reason: str = Field(description="Why the request is refused (the candidate is told).")


class EraseIn(Schema):
    request_id: int | None = Field(None, description="The erasure request this executes, if any.")


class ReceiptOut(Schema):
    id: int
    external_id: str = Field(description="The profile's external id before erasure.")
    method: str = Field(description="How personal fields were erased (fields_overwritten).")
    counts: dict[str, int] = Field(description="Rows touched, by record type.")
    files_removed: int
    erased_at: datetime


class BlockerOut(Schema):
    rule: str = Field(description="legal_hold, open_authority_decision or reconsideration_window.")
    message: str


class HoldIn(Schema):
    reason: str = Field(description="Why the records must be kept (an order, an investigation, an appeal).")


class HoldOut(Schema):
    id: int
    profile_id: int
    reason: str
    placed_at: datetime
    released_at: datetime | None


def _pdf(document: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(export.export_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{document["person"]["profile_id"]}.pdf"'
    return response


@router.get("/me/export", response={200: dict[str, Any], **error_responses(401, 404)}, summary="Export my data")
def export_my_data_json(request: HttpRequest) -> dict[str, Any]:
    """Everything held about the caller (a candidate), values decrypted: JSON."""
    return export.export_for(actor_of(request))


@router.get(
    "/me/export.pdf",
    response={200: None, **error_responses(401, 404)},
    summary="Export my data (PDF)",
    openapi_extra=PDF_RESPONSE,
)
def export_my_data_pdf(request: HttpRequest) -> HttpResponse:
    """Everything held about the caller (a candidate), as a readable PDF."""
    return _pdf(export.export_for(actor_of(request)))


@router.get(
    "/people/{profile_id}/export",
    response={200: dict[str, Any], **error_responses(401, 404, 422)},
    summary="Export a person's data",
)
def export_person_json(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    """Programme staff: everything held about one person (encrypted values masked); the export is audited."""
    return export.export_for(actor_of(request), profile_id)


@router.get(
    "/people/{profile_id}/export.pdf",
    response={200: None, **error_responses(401, 404, 422)},
    summary="Export a person's data (PDF)",
    openapi_extra=PDF_RESPONSE,
)
def export_person_pdf(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Programme staff: the person's export as PDF; audited."""
    return _pdf(export.export_for(actor_of(request), profile_id))


@router.get(
    "/people/{profile_id}/erasure-blockers",
    response={200: list[BlockerOut], **error_responses(401, 403, 404, 422)},
    summary="Why a person cannot be erased now",
)
def list_erasure_blockers(request: HttpRequest, profile_id: int) -> list[Any]:
    """Programme staff: each reason the records must be kept now (empty: erasure may go ahead)."""
    from talentgate.accounts.roles import Role
    from talentgate.candidates.models import Profile
    from talentgate.common.access import require_role

    require_role(actor_of(request), Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise NotFound("profile")
    return services.erasure_blockers(profile)


@router.post(
    "/people/{profile_id}/erase",
    response={201: ReceiptOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Erase a person",
)
def erase_person(request: HttpRequest, profile_id: int, payload: EraseIn) -> Status:
    """Officers, supervisors, administrators: erase one person (409 naming the rule while records must be kept)."""
    return Status(201, services.erase_person(actor_of(request), profile_id, request_id=payload.request_id))


@router.post(
    "/me/erasure-requests",
    response={201: ErasureRequestOut, **error_responses(401, 403, 404)},
    summary="Ask to be erased",
)
def request_my_erasure(request: HttpRequest) -> Status:
    """A candidate asks to be erased; an officer executes or refuses the request."""
    return Status(201, services.request_erasure(actor_of(request)))


@router.get(
    "/erasure-requests",
    response={200: list[ErasureRequestOut], **error_responses(401, 422)},
    summary="Erasure requests",
)
@paginate(LimitOffsetPage)
def list_erasure_requests(request: HttpRequest, status: str | None = None) -> QuerySet[Any]:
    """Staff: every request; a candidate: their own; filter by ``status``."""
    found = selectors.erasure_requests_visible_to(actor_of(request))
    return found.filter(status=status) if status else found


@router.post(
    "/erasure-requests/{request_id}/refuse",
    response={200: ErasureRequestOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Refuse an erasure request",
)
def refuse_erasure_request(request: HttpRequest, request_id: int, payload: RefuseIn) -> Any:
    """Staff: refuse an open request, with the reason the candidate is told."""
    return services.refuse_erasure_request(actor_of(request), request_id, payload.reason)


@router.post(
    "/people/{profile_id}/legal-holds",
    response={201: HoldOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Place a legal hold",
)
def place_legal_hold(request: HttpRequest, profile_id: int, payload: HoldIn) -> Status:
    """Staff: keep the person's records until the hold is released."""
    return Status(201, services.place_legal_hold(actor_of(request), profile_id, payload.reason))


@router.post(
    "/legal-holds/{hold_id}/release",
    response={200: HoldOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Release a legal hold",
)
def release_legal_hold(request: HttpRequest, hold_id: int) -> Any:
    """Staff: end a hold."""
    return services.release_legal_hold(actor_of(request), hold_id)


@router.get(
    "/legal-holds",
    response={200: list[HoldOut], **error_responses(401, 422)},
    summary="Legal holds",
)
@paginate(LimitOffsetPage)
def list_legal_holds(request: HttpRequest, in_force: bool | None = None) -> QuerySet[Any]:
    """Staff: every hold (``in_force`` filters); anyone else: none."""
    found = selectors.legal_holds_visible_to(actor_of(request))
    if in_force is not None:
        found = found.filter(released_at__isnull=in_force)
    return found
