"""Background task of analytics: rebuilding the dashboard's summaries (enqueued hourly by ``analytics/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from talentgate.analytics.refresh import RefreshRunning, refresh_summaries


@task()
def refresh_analytics_summaries() -> dict[str, Any]:
    """Rebuild the summaries and report the refresh: its as-of time, rows written and duration; or, when
    another refresh is still counting (a slow one overrunning the hour), that this run was skipped."""
    try:
        refresh = refresh_summaries()
    except RefreshRunning as running:
        return {"skipped": str(running), "running_since": running.running.started_at.isoformat()}
    return {"as_of": refresh.started_at.isoformat(), "rows": refresh.rows, "seconds": refresh.seconds}
