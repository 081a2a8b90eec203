"""Background tasks of the matching domain, run by the task worker (django-tasks)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from talentgate.common import jobs


@task()
def matching_run_task(job_id: int, run_id: int) -> dict[str, Any]:
    """Run a matching run (see ``services.run_matching``); the Job row carries progress and result."""
    from talentgate.matching import services

    try:
        result = services.run_matching(job_id, run_id)
    except Exception as exc:  # the run and its job must end in a visible state whatever happens
        services.fail_run(run_id, f"{type(exc).__name__}: {exc}")
        jobs.finish(job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(job_id, result=result)
    return result
