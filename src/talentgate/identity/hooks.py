"""Signal receivers: look for duplicates once a profile write or an application submission has committed.

Detection runs after the commit and through the task queue: the write stands whatever detection does,
and a bulk import is not slowed by it (its profiles go in chunks of :data:`TASK_CHUNK` ids).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

TASK_CHUNK = 500


def enqueue_detection(profile_ids: list[int]) -> None:
    """Queue duplicate detection for these profiles (a failure to enqueue is logged, never raised)."""
    from talentgate.identity.tasks import detect_duplicates_task

    for start in range(0, len(profile_ids), TASK_CHUNK):
        try:
            detect_duplicates_task.enqueue(profile_ids[start : start + TASK_CHUNK])
        except Exception:
            logger.exception("Queueing duplicate detection failed")


def detect_on_profile_write(sender: Any, profile_ids: list[int], **kwargs: Any) -> None:
    """``candidates.signals.profiles_saved``: detect duplicates of the written profiles after the commit."""
    if profile_ids:
        ids = list(profile_ids)
        transaction.on_commit(lambda: enqueue_detection(ids))


def detect_on_submission(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """``post_save`` of ``programmes.ApplicationTransition``: a submission looks for duplicates of its applicant."""
    if created and instance.to_state == "submitted":
        application_id = instance.application_id

        def run() -> None:
            from talentgate.programmes.models import Application

            profile_id = Application.objects.filter(pk=application_id).values_list("profile_id", flat=True).first()
            if profile_id is not None:
                enqueue_detection([profile_id])

        transaction.on_commit(run)
