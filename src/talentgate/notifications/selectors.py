"""Reads of notifications and e-mail preferences: a person sees only their own, whatever their role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import pgettext_lazy

from talentgate.common.errors import NotFound
from talentgate.notifications import kinds
from talentgate.notifications.models import EmailOptOut, Notification

# Nouns for NotFound and the object names in notification texts, declared so makemessages collects them.
OBJECT_NAMES = (
    pgettext_lazy("object", "notification"),
    pgettext_lazy("object", "case"),
    pgettext_lazy("object", "request for information"),
)


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def notifications_visible_to(actor: Any) -> QuerySet[Notification]:
    """The actor's own notifications, unread first, then newest first (nobody else's, not even an administrator's)."""
    if not _signed_in(actor):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=actor.pk).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def get_notification_for(actor: Any, notification_id: int) -> Notification:
    """One of the actor's notifications; another person's or a missing one is "not found" (404) alike."""
    notification = notifications_visible_to(actor).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("notification")
    return notification


def unread_count(actor: Any) -> int:
    """How many of the actor's notifications are unread (0 when signed out)."""
    return notifications_visible_to(actor).filter(read_at__isnull=True).count()


def has_opted_out(user: Any, kind: str) -> bool:
    """Whether ``user`` turned off e-mails of ``kind``."""
    return EmailOptOut.objects.filter(user_id=user.pk, kind=kind).exists()


@dataclass(frozen=True)
class EmailPreference:
    """Whether one person gets e-mails of one kind; an essential kind is always on."""

    kind: kinds.Kind
    email: bool

    @property
    def essential(self) -> bool:
        return self.kind.essential


def email_preferences_for(actor: Any) -> list[EmailPreference]:
    """Every kind with whether the actor gets its e-mails (essential kinds first, then the ones they can change)."""
    if not _signed_in(actor):
        return []
    off = set(EmailOptOut.objects.filter(user_id=actor.pk).values_list("kind", flat=True))
    ordered = sorted(kinds.all_kinds(), key=lambda kind: not kind.essential)
    return [EmailPreference(kind=kind, email=kind.essential or kind.code not in off) for kind in ordered]
