"""Background work of notifications: each e-mail after its transaction committed, retries, and deleting old ones."""

from __future__ import annotations

from django_tasks import task

from talentgate.notifications import services


@task()
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification (or record why not); returns its e-mail status."""
    return services.deliver_email(notification_id)


@task()
def retry_notification_emails() -> int:
    """Queue failed and stalled e-mails again; meant to run periodically from the task worker."""
    return services.retry_emails()


@task()
def delete_old_notifications() -> int:
    """Delete read notifications past their retention; meant to run daily from the task worker."""
    return services.delete_old_notifications()
