"""API routes of identity and duplicates: the suspected-duplicates queue (list, show), dismissing a suspicion
with a reason, merging two people, and the merges made. Programme officers and supervisors only."""

# No ``from __future__ import annotations``: ninja reads the parameters' types at runtime.
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage
from talentgate.common.access import require_role
from talentgate.identity import selectors, services

router = Router(tags=["identity"])


class PersonOut(Schema):
    id: int
    external_id: str
    name_latin: str = Field(alias="display_name")
    given_names_native: str
    family_name_native: str
    date_of_birth: date
    residence_country: str
    merged_into_id: int | None


class SuspicionOut(Schema):
    id: int
    profile_low_id: int
    profile_high_id: int
    reasons: list[str] = Field(
        description="Rules met, strongest first: same_identity_document, same_birth_date_and_name, "
        "same_email_local_part_and_name."
    )
    score: float = Field(description="0-1; the strongest rule's.")
    strength: str = Field(description="strong, likely or weak.")
    name_similarity: float = Field(description="0-100, names compared across scripts.")
    status: str = Field(description="open, dismissed or merged.")
    detected_at: datetime
    decided_at: datetime | None
    dismissal_reason: str


class SuspicionDetailOut(SuspicionOut):
    profile_low: PersonOut
    profile_high: PersonOut


class DismissIn(Schema):
    reason: str = Field(description="Why the two are different people (required, at most 500 characters).")


class MergeIn(Schema):
    survivor_id: int = Field(description="The profile that stays: one of the pair; the other is merged into it.")


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    suspicion_id: int | None
    merged_at: datetime
    account_outcome: str = Field(description="none, linked_to_survivor or deactivated.")
    moved: dict[str, int] = Field(description="Records re-pointed to the survivor, by type.")
    kept: dict[str, int] = Field(description="Records left on the merged profile (linked), by type.")


@router.get(
    "/duplicates",
    response={200: list[SuspicionOut], **error_responses(400, 401, 403, 422)},
    summary="Suspected duplicates",
)
@paginate(LimitOffsetPage)
def list_duplicates(request: HttpRequest, status: str = "open", strength: str = "") -> QuerySet[Any]:
    """Officers and supervisors: suspicions with this status (``open`` by default; empty: any) and strength,
    strongest first."""
    return selectors.suspicions_matching(actor_of(request), status=status, strength=strength)


@router.get(
    "/duplicates/{suspicion_id}",
    response={200: SuspicionDetailOut, **error_responses(401, 403, 404, 422)},
    summary="A suspected duplicate",
)
def get_duplicate(request: HttpRequest, suspicion_id: int) -> Any:
    """Officers and supervisors: one suspicion with both people side by side."""
    actor = actor_of(request)
    require_role(actor, *services.DUPLICATE_WORKERS)
    return selectors.get_suspicion_for(actor, suspicion_id)


@router.post(
    "/duplicates/{suspicion_id}/dismiss",
    response={200: SuspicionOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Dismiss a suspected duplicate",
)
def dismiss_duplicate(request: HttpRequest, suspicion_id: int, payload: DismissIn) -> Any:
    """Officers and supervisors: the two are different people (the pair is never suspected again)."""
    return services.dismiss_suspicion(actor_of(request), suspicion_id, payload.reason)


@router.post(
    "/duplicates/{suspicion_id}/merge",
    response={201: MergeOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Merge two people",
)
def merge_duplicate(request: HttpRequest, suspicion_id: int, payload: MergeIn) -> Status:
    """Officers and supervisors: merge the other person into ``survivor_id``, keeping both histories
    (409 naming every rule that prevents it)."""
    return Status(201, services.merge_profiles(actor_of(request), suspicion_id, payload.survivor_id))


@router.get(
    "/merges",
    response={200: list[MergeOut], **error_responses(401, 403, 422)},
    summary="Merges",
)
@paginate(LimitOffsetPage)
def list_merges(request: HttpRequest) -> QuerySet[Any]:
    """Officers and supervisors: every merge, newest first."""
    actor = actor_of(request)
    require_role(actor, *services.DUPLICATE_WORKERS)
    return selectors.merges_visible_to(actor)
