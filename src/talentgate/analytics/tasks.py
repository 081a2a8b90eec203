"""Background task of analytics: rebuilding the dashboard's summaries (enqueued hourly by ``analytics/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from talentgate.analytics.refresh import refresh_summaries


@task()
def refresh_analytics_summaries() -> dict[str, Any]:
    """Rebuild the summaries and report the refresh: its as-of time, rows written and duration."""
    refresh = refresh_summaries()
    return {"as_of": refresh.started_at.isoformat(), "rows": refresh.rows, "seconds": refresh.seconds}
