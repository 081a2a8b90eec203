"""Background tasks of the shared kit, run by the task worker (django-tasks)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from talentgate.common import audit, jobs


@task()
def verify_audit_chains(job_id: int) -> dict[str, Any]:
    """Verify every audit chain as a background job; the Job row carries the breaks found."""
    try:
        breaks = audit.verify()
    except Exception as exc:  # the job must end in a visible state whatever happens
        jobs.finish(job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    result = {"broken": [str(b) for b in breaks], "broken_count": len(breaks)}
    jobs.finish(job_id, result=result)
    return result


def start_audit_verification(actor: Any) -> int:
    """Queue a full audit verification and return the id of the Job that reports it."""
    job = jobs.start_job("audit.verify", started_by=actor)
    result = verify_audit_chains.enqueue(job.pk)
    job.task_result_id = str(result.id)
    job.save(update_fields=["task_result_id"])
    return job.pk
