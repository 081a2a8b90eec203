"""Background work of the authority hand-off: pushing a submission (each failure re-queues the next attempt
after its backoff delay) and a periodic sweep that retries whatever is due, for backends that cannot defer."""

from __future__ import annotations

from django_tasks import task

from talentgate.authority import services


@task()
def push_submission(submission_id: int) -> str:
    """One push attempt of a submission; returns its outcome ('delivered', 'failed' or why it was skipped)."""
    result = services.deliver_submission(submission_id)
    return result.attempt.outcome if result.attempt is not None else result.skipped


@task()
def retry_due_pushes() -> int:
    """Push every pending submission whose next attempt is due; meant to run periodically."""
    return services.retry_due_pushes()
