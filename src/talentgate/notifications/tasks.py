"""Background work of notifications: sending each notification's e-mail after its transaction committed."""

from __future__ import annotations

from django_tasks import task

from talentgate.notifications import services


@task()
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification (or record why not); returns its e-mail status."""
    return services.deliver_email(notification_id)
