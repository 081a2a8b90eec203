"""Daily background work on relocation cases: warnings before a case document expires and permit renewal reminders.

Each warning goes to the candidate once per threshold (30 and 7 days before a document
expires; 90 and 30 days before a permit ends): the audit entry written with it on the case's
chain is the record that it was sent, so a job run twice, or a day missed, tells nobody twice
and nobody too late. Each warning commits on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from talentgate.cases import services
from talentgate.cases.models import OPEN_STAGES, PERMIT_HELD_STAGES, CaseDocument, DocumentStatus, Permit, PermitStatus
from talentgate.common import audit
from talentgate.common.models import AuditEntry
from talentgate.notifications import kinds as notification_kinds
from talentgate.notifications.services import notify

DOCUMENT_WARNING_DAYS = (30, 7)
PERMIT_REMINDER_DAYS = (90, 30)


def _phrases(make: Callable[[], str]) -> dict[str, str]:
    """``what_<lang>`` for every offered language: the notification is rendered in the reader's."""
    phrases = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            phrases[f"what_{code}"] = make()
    return phrases


def _warn(
    rows: Iterable[Any],
    *,
    action: str,
    thresholds: tuple[int, ...],
    today: date,
    ends: Callable[[Any], date],
    what: Callable[[Any], str],
) -> int:
    """Warn the candidate about each row ending within a threshold it was not yet warned at."""
    sent = 0
    for row in rows:
        days_left = (ends(row) - today).days
        threshold = min(t for t in thresholds if days_left <= t)
        marker = f"{threshold} days before {ends(row).isoformat()}"
        already = AuditEntry.objects.filter(
            object_type=row._meta.label_lower, object_id=str(row.pk), action=action, reason=marker
        ).exists()
        if already:
            continue
        case = row.case
        with transaction.atomic():
            notify(
                case.profile.user,
                notification_kinds.DEADLINE_APPROACHING.code,
                {
                    "object": "case",
                    "object_id": case.pk,
                    "due_date": ends(row).isoformat(),
                    **_phrases(partial(what, row)),
                },
                link=services._link(case),
            )
            audit.record(None, action, row, chain=services.case_chain(case), fields=[], reason=marker)
        sent += 1
    return sent


def warn_expiring_documents(today: date | None = None) -> int:
    """Tell candidates that a document of their open case expires within 30 (then 7) days; return how many."""
    today = today or timezone.localdate()
    rows = (
        CaseDocument.objects.filter(
            case__stage__in=OPEN_STAGES,
            expires_on__isnull=False,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=max(DOCUMENT_WARNING_DAYS)),
        )
        .exclude(status=DocumentStatus.REJECTED)
        .select_related("case__profile__user")
        .order_by("expires_on", "pk")
    )
    return _warn(
        rows,
        action="case.document_expiry_warned",
        thresholds=DOCUMENT_WARNING_DAYS,
        today=today,
        ends=lambda d: d.expires_on,
        what=lambda d: gettext("A new copy of your %(document)s (it expires)") % {"document": d.get_kind_display()},
    )


def remind_permit_renewals(today: date | None = None) -> int:
    """Tell permit holders that a permit on their case ends within 90 (then 30) days; return how many."""
    today = today or timezone.localdate()
    rows = (
        Permit.objects.filter(
            case__stage__in=PERMIT_HELD_STAGES,
            status=PermitStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(PERMIT_REMINDER_DAYS)),
        )
        .select_related("case__profile__user")
        .order_by("valid_until", "pk")
    )
    return _warn(
        rows,
        action="case.permit_renewal_reminded",
        thresholds=PERMIT_REMINDER_DAYS,
        today=today,
        ends=lambda p: p.valid_until,
        what=lambda p: gettext("The renewal of a permit (%(type)s)") % {"type": p.get_permit_type_display()},
    )


@task()
def warn_expiring_documents_task() -> int:
    """Daily: document expiry warnings."""
    return warn_expiring_documents()


@task()
def remind_permit_renewals_task() -> int:
    """Daily: permit renewal reminders."""
    return remind_permit_renewals()


__all__ = ["remind_permit_renewals", "warn_expiring_documents"]
