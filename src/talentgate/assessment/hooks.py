"""Signal receivers: assess an application once its submission has committed; load shipped policies after migrate."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def assess_submitted(application_id: int, actor_id: int | None) -> None:
    """Assess a just-submitted application as the person who submitted it; a failure is logged, never raised.

    Runs after the submission's transaction committed: the submission stands whatever happens
    here, and an officer can reassess the pool later.
    """
    from talentgate.accounts.models import User
    from talentgate.assessment import services

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        services.assess_application(actor, application_id)
    except Exception:
        logger.exception("Assessing submitted application %s failed", application_id)


def assess_on_submission(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """``post_save`` of ``programmes.ApplicationTransition``: a new row into "submitted" schedules the assessment."""
    if created and instance.to_state == "submitted":
        application_id, actor_id = instance.application_id, instance.actor_id
        transaction.on_commit(lambda: assess_submitted(application_id, actor_id))


def load_shipped_policies(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` of this app: store the shipped policy files as published versions (idempotent)."""
    from talentgate.assessment.services import load_shipped_policy_versions

    load_shipped_policy_versions(using=using)
