"""Background task of privacy: the scheduled retention run (enqueued daily by ``privacy/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from talentgate.privacy.retention import apply_retention


@task()
def run_retention() -> dict[str, Any]:
    """Apply the retention periods now and return the run's report (see ``privacy.retention``); the
    ``talentgate retention report`` dry run is the way to see beforehand what it will remove."""
    return apply_retention().as_dict()
