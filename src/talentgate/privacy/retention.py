"""Retention: how long each kind of record is kept, and the job that enforces it (a dry-run report first).

Periods are in days, per record type, from ``settings.PRIVACY_RETENTION_DAYS`` (any type left out keeps
its default below). Defaults:

- ``read_notifications``: 365: a notification the person has read is deleted a year later.
- ``decided_erasure_requests``: 1095: refused or executed erasure requests are deleted three years after
  the decision (the erasure receipt stays).
- ``released_legal_holds``: 3650: a released hold is deleted ten years after its release.
- ``inactive_profiles``: 1095: a profile untouched for three years whose person never got past a draft
  application and has no case is erased (as :func:`talentgate.privacy.services.erase_person` does, by the
  system), unless something keeps it (a legal hold: the report names it).

:func:`retention_report` says what :func:`apply_retention` would do and changes nothing (it records the
run only when asked to); ``talentgate retention report|apply`` and the scheduled task call them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

DEFAULT_RETENTION_DAYS: dict[str, int] = {
    "read_notifications": 365,
    "decided_erasure_requests": 1095,
    "released_legal_holds": 3650,
    "inactive_profiles": 1095,
}


def retention_days() -> dict[str, int]:
    """The period of each record type: the defaults overridden by ``settings.PRIVACY_RETENTION_DAYS``."""
    configured = getattr(settings, "PRIVACY_RETENTION_DAYS", {}) or {}
    unknown = sorted(set(configured) - set(DEFAULT_RETENTION_DAYS))
    if unknown:
        raise ValueError(
            f"PRIVACY_RETENTION_DAYS: unknown record types {unknown}; known: {sorted(DEFAULT_RETENTION_DAYS)}"
        )
    return {**DEFAULT_RETENTION_DAYS, **{key: int(value) for key, value in configured.items()}}


@dataclass
class RetentionReport:
    """Per record type, how many rows are due (``due``) and, for profiles, which are kept and why (``kept``)."""

    dry_run: bool
    days: dict[str, int]
    due: dict[str, int] = field(default_factory=dict)
    kept: list[dict[str, Any]] = field(default_factory=list)
    done: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "days": self.days, "due": self.due, "kept": self.kept, "done": self.done}


def _due(now: Any, days: dict[str, int]) -> dict[str, QuerySet[Any]]:
    from talentgate.candidates.models import ERASED_EXTERNAL_ID_PREFIX, Profile
    from talentgate.notifications.models import Notification
    from talentgate.privacy.models import ErasureRequest, LegalHold
    from talentgate.programmes.models import Application

    def before(key: str) -> Any:
        return now - timedelta(days=days[key])

    past_draft = Application.objects.filter(profile=OuterRef("pk")).exclude(status="draft")
    return {
        "read_notifications": Notification.objects.filter(read_at__lt=before("read_notifications")),
        "decided_erasure_requests": ErasureRequest.objects.filter(
            decided_at__lt=before("decided_erasure_requests")
        ).exclude(status="requested"),
        "released_legal_holds": LegalHold.objects.filter(released_at__lt=before("released_legal_holds")),
        "inactive_profiles": Profile.objects.filter(updated_at__lt=before("inactive_profiles"))
        .exclude(external_id__startswith=ERASED_EXTERNAL_ID_PREFIX)
        .exclude(Exists(past_draft))
        .filter(cases__isnull=True),
    }


def retention_report(*, record: bool = False) -> RetentionReport:
    """What :func:`apply_retention` would do now; changes nothing (``record``: store the report as a dry run)."""
    from talentgate.privacy.models import RetentionRun
    from talentgate.privacy.services import erasure_blockers

    days = retention_days()
    report = RetentionReport(dry_run=True, days=days)
    for key, rows in _due(timezone.now(), days).items():
        report.due[key] = rows.count()
        if key == "inactive_profiles":
            for profile in rows.order_by("pk"):
                blockers = erasure_blockers(profile)
                if blockers:
                    report.kept.append({"profile_id": profile.pk, "rules": [b.rule for b in blockers]})
    if record:
        RetentionRun.objects.create(dry_run=True, report=report.as_dict())
    return report


def apply_retention() -> RetentionReport:
    """Delete (or, for profiles, erase) every record past its period, skipping profiles something keeps;
    records the run."""
    from talentgate.privacy.models import RetentionRun
    from talentgate.privacy.services import erase_unchecked_actor, erasure_blockers

    days = retention_days()
    report = RetentionReport(dry_run=False, days=days)
    due = _due(timezone.now(), days)
    for key, rows in due.items():
        report.due[key] = rows.count()
        if key == "inactive_profiles":
            erased = 0
            for profile in list(rows.order_by("pk")):
                blockers = erasure_blockers(profile)
                if blockers:
                    report.kept.append({"profile_id": profile.pk, "rules": [b.rule for b in blockers]})
                    continue
                erase_unchecked_actor(None, profile.pk)
                erased += 1
            report.done[key] = erased
        else:
            with transaction.atomic():
                deleted, _ = rows.delete()
            report.done[key] = deleted
    RetentionRun.objects.create(dry_run=False, report=report.as_dict())
    return report
