"""Periodic work of privacy (read by talentgate.common.schedule): the retention run, daily at 02:30 UTC."""

from datetime import timedelta

from talentgate.common.schedule import DAILY, every

# Daily and at night: periods are counted in days, and erasing stale profiles is best done off-peak.
every(DAILY, "talentgate.privacy.tasks.run_retention", offset=timedelta(hours=2, minutes=30))
