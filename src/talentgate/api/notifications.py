"""API routes of notifications: the caller's own notifications (list, unread count, mark read) and e-mail preferences.

Every operation acts on the caller's own notifications only, whatever their role: another
person's notification is answered 404. Subjects and messages are rendered in the response
language, from the same stored notification the portal and the e-mail use.
"""

# No ``from __future__ import annotations`` here: ninja reads the filter parameters' types from the
# signature that ``@paginate`` wraps, whose module cannot resolve names written as strings.
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage
from talentgate.notifications import rendering, selectors, services
from talentgate.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="The kind's code, e.g. 'status_changed' or 'information_requested'.")
    subject: str = Field(description="One line, in the response language.")
    message: str = Field(description="The message as plain text, in the response language.")
    link: str = Field(description="Where to look in the portal (a path), or empty.")
    essential: bool = Field(description="Essential notifications are always e-mailed.")
    created_at: datetime
    read_at: datetime | None = Field(description="When the caller marked it read; null while unread.")

    @staticmethod
    def resolve_subject(obj: Notification) -> str:
        return rendering.render_notification(obj).subject

    @staticmethod
    def resolve_message(obj: Notification) -> str:
        return rendering.render_notification(obj).message


class NotificationFilters(Schema):
    unread: bool | None = Field(None, description="true: only unread ones; false: only read ones.")
    kind: str | None = Field(None, description="Only this kind.")


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications changed from unread to read.")


class PreferenceOut(Schema):
    kind: str
    label: str = Field(description="The kind's name, in the response language.")
    description: str
    essential: bool = Field(description="Essential kinds are always e-mailed and cannot be turned off.")
    email: bool = Field(description="Whether the caller gets e-mails of this kind.")


class PreferencesIn(Schema):
    email: dict[str, bool] = Field(
        description="Kind code -> whether to e-mail it; kinds not named keep their setting.",
        examples=[{"status_changed": False}],
    )


def _preferences(actor: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": p.kind.code,
            "label": str(p.kind.label),
            "description": str(p.kind.description),
            "essential": p.essential,
            "email": p.email,
        }
        for p in selectors.email_preferences_for(actor)
    ]


@router.get("/", response={200: list[NotificationOut], **error_responses(401, 422)}, summary="List my notifications")
@paginate(LimitOffsetPage)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> QuerySet[Notification]:
    """The caller's notifications, unread first, then newest first."""
    notifications = selectors.notifications_visible_to(actor_of(request))
    if filters.unread is not None:
        notifications = notifications.filter(read_at__isnull=filters.unread)
    if filters.kind:
        notifications = notifications.filter(kind=filters.kind)
    return notifications


@router.get("/unread-count", response={200: UnreadCountOut, **error_responses(401)}, summary="Count my unread")
def unread_count(request: HttpRequest) -> dict[str, int]:
    """How many of the caller's notifications are unread."""
    return {"unread": selectors.unread_count(actor_of(request))}


@router.post(
    "/read-all", response={200: MarkedOut, **error_responses(401, 403)}, summary="Mark all my notifications read"
)
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    """Mark every unread notification of the caller read."""
    return {"marked": services.mark_all_read(actor_of(request))}


@router.get(
    "/preferences/email",
    response={200: list[PreferenceOut], **error_responses(401)},
    summary="Get my e-mail preferences",
)
def get_preferences(request: HttpRequest) -> list[dict[str, Any]]:
    """Every kind of notification and whether the caller gets its e-mails (essential ones always)."""
    return _preferences(actor_of(request))


@router.patch(
    "/preferences/email",
    response={200: list[PreferenceOut], **error_responses(400, 401, 403, 422)},
    summary="Change my e-mail preferences",
)
def update_preferences(request: HttpRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    """Turn e-mails of kinds on or off. Turning off an essential kind or naming an unknown one is refused
    (field ``email.<kind>``) and nothing changes."""
    actor = actor_of(request)
    services.set_email_preferences(actor, actor, payload.email)
    return _preferences(actor)


# Routes naming one notification come last, after the fixed paths above.
@router.get(
    "/{int:notification_id}",
    response={200: NotificationOut, **error_responses(401, 404, 422)},
    summary="Get a notification",
)
def get_notification(request: HttpRequest, notification_id: int) -> Notification:
    """One of the caller's notifications; anyone else's is 404."""
    return selectors.get_notification_for(actor_of(request), notification_id)


@router.post(
    "/{int:notification_id}/read",
    response={200: NotificationOut, **error_responses(401, 403, 404, 422)},
    summary="Mark a notification read",
)
def mark_read(request: HttpRequest, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read (again: no change); anyone else's is 404."""
    return services.mark_read(actor_of(request), notification_id)
