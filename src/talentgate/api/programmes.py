"""API routes of the programmes domain (read side of the skeleton; the self-service issue adds the writes)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.programmes import selectors
from talentgate.programmes.models import Application

router = Router(tags=["programmes"])


class ApplicationOut(Schema):
    id: int
    programme_code: str = Field(alias="programme.code")
    profile_external_id: str = Field(alias="profile.external_id")
    status: str
    created_at: datetime
    submitted_at: datetime | None
    status_changed_at: datetime


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **error_responses(401, 404, 422)},
    summary="Get an application",
)
def get_application(request: HttpRequest, application_id: int) -> Application:
    """One application: the candidate's own, or any for programme staff; otherwise 404."""
    return selectors.get_application_for(actor_of(request), application_id)
