"""Background work of the hosts domain: lapsing offers whose expiry has passed."""

from __future__ import annotations

from django_tasks import task

from talentgate.hosts import services


@task()
def lapse_expired_offers() -> int:
    """Lapse every open offer past its expiry; meant to run periodically from the task worker."""
    return services.lapse_expired_offers()
