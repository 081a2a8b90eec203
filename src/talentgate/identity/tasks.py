"""Background task of the identity app: duplicate detection after profile writes (django-tasks)."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def detect_duplicates_task(profile_ids: list[int]) -> int:
    """Run duplicate detection for each profile; returns how many suspicions were recorded or refreshed.
    One profile's failure is logged and does not stop the others."""
    from talentgate.identity.detection import detect_duplicates

    recorded = 0
    for profile_id in profile_ids:
        try:
            recorded += len(detect_duplicates(profile_id))
        except Exception:
            logger.exception("Duplicate detection for profile %s failed", profile_id)
    return recorded
