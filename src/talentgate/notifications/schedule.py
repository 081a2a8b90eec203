"""Periodic work of notifications (read by talentgate.common.schedule): e-mail retries and read-notice retention."""

from datetime import timedelta

from talentgate.common.schedule import DAILY, EVERY_5_MINUTES, every

# Every 5 minutes: a failed or stalled e-mail should not wait long for its next attempt.
every(EVERY_5_MINUTES, "talentgate.notifications.tasks.retry_notification_emails")
# Daily at night (02:00 UTC): retention counts in days, and deleting is best done off-peak.
every(DAILY, "talentgate.notifications.tasks.delete_old_notifications", offset=timedelta(hours=2))
