"""Periodic work of analytics (read by talentgate.common.schedule): the summaries' refresh, hourly at :20."""

from datetime import timedelta

from talentgate.common.schedule import HOURLY, every

# Hourly: the dashboard's figures are at most about an hour old (the page shows their as-of time);
# off the hour, so it does not start together with the jobs that run on it.
every(HOURLY, "talentgate.analytics.tasks.refresh_analytics_summaries", offset=timedelta(minutes=20))
