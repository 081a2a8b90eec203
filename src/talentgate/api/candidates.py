"""API routes of the candidates domain (read side of the skeleton; the self-service issue adds the writes)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.candidates import selectors
from talentgate.candidates.models import Profile

router = Router(tags=["candidates"])


class ProfileOut(Schema):
    external_id: str
    given_names_latin: str
    family_name_latin: str
    date_of_birth: date
    created_at: datetime
    updated_at: datetime


@router.get(
    "/profiles/{external_id}",
    response={200: ProfileOut, **error_responses(401, 404, 422)},
    summary="Get a profile",
)
def get_profile(request: HttpRequest, external_id: str) -> Profile:
    """One profile by its external id: the candidate's own, or any for programme staff; otherwise 404."""
    return selectors.get_profile_for(actor_of(request), external_id)
