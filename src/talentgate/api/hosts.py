"""API routes of the hosts domain (read side of the skeleton; the self-service issue adds the writes)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.hosts import selectors
from talentgate.hosts.models import Offer, Opportunity

router = Router(tags=["hosts"])


class OpportunityOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(alias="organisation.name")
    title: str
    kind: str
    status: str
    country: str = Field(alias="country_id")
    city: str
    capacity: int


class OfferOut(Schema):
    id: int
    opportunity_id: int
    profile_external_id: str = Field(alias="profile.external_id")
    status: str
    expires_at: datetime
    decided_at: datetime | None


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **error_responses(401, 404, 422)},
    summary="Get an opportunity",
)
def get_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """A published opportunity of a verified organisation, or any of the caller's own organisation; otherwise 404."""
    return selectors.get_opportunity_for(actor_of(request), opportunity_id)


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, **error_responses(401, 404, 422)},
    summary="Get an offer",
)
def get_offer(request: HttpRequest, offer_id: int) -> Offer:
    """An offer made to the caller's profile or by the caller's organisation (programme staff: any); otherwise 404."""
    return selectors.get_offer_for(actor_of(request), offer_id)
