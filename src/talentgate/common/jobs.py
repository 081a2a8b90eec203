"""Helpers to run work as a background task while a :class:`Job` row reports progress."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from talentgate.common.models import Job


def start_job(kind: str, started_by: Any = None, total: int = 0) -> Job:
    """Create the Job row that a task will update; call before enqueuing the task."""
    user = started_by if getattr(started_by, "is_authenticated", False) else None
    return Job.objects.create(kind=kind, started_by=user, total=total)


def advance(job_id: int, by: int = 1) -> None:
    """Add ``by`` to a job's done count without reading it first (safe across processes)."""
    Job.objects.filter(pk=job_id).update(done=F("done") + by, status=Job.Status.RUNNING)


def finish(job_id: int, result: dict[str, Any] | None = None, error: str = "") -> None:
    status = Job.Status.FAILED if error else Job.Status.SUCCEEDED
    Job.objects.filter(pk=job_id).update(status=status, result=result or {}, error=error)
