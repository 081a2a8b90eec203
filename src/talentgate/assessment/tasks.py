"""Background tasks of the assessment domain, run by the task worker (django-tasks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from talentgate.common import jobs


@task()
def reassess_pool_task(job_id: int, programme_id: int, policy_id: str, on: str, actor_id: int | None) -> dict[str, Any]:
    """Reassess a programme's pool (see ``services.reassess_pool``); the Job row carries progress and result."""
    from talentgate.accounts.models import User
    from talentgate.assessment import services

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        result = services.run_pool_reassessment(job_id, programme_id, policy_id, dt.date.fromisoformat(on), actor)
    except Exception as exc:  # the job must end in a visible state whatever happens
        jobs.finish(job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(job_id, result=result)
    return result
