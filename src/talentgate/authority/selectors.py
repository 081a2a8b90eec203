"""Reads of the authority hand-off, each with its access check.

The authority's officers (and its integration, through an authority user's API token) read every
submission; so do programme staff, who follow their cases' hand-off. Nobody else sees any.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentgate.accounts.roles import Role
from talentgate.authority.models import DeliveryAttempt, Submission
from talentgate.common.access import has_role, require_role
from talentgate.common.errors import NotFound

#: Who may read submissions.
READER_ROLES = (Role.AUTHORITY, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def submissions_visible_to(actor: Any) -> QuerySet[Submission]:
    """Every submission for the authority and programme staff; none for anyone else."""
    queryset = Submission.objects.select_related("case")
    return queryset if has_role(actor, *READER_ROLES) else queryset.none()


def list_submissions_for(
    actor: Any, *, pending: bool | None = None, case_id: int | None = None
) -> QuerySet[Submission]:
    """Submissions oldest first; ``pending=True`` keeps those still waiting for a decision (the pull queue)."""
    require_role(actor, *READER_ROLES)
    queryset = submissions_visible_to(actor)
    if pending is not None:
        queryset = queryset.filter(decision="") if pending else queryset.exclude(decision="")
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    return queryset.order_by("created_at", "pk")


def get_submission_for(actor: Any, idempotency_key: str) -> Submission:
    """One submission by its idempotency key; 403 for a role that reads none, 404 if there is no such one."""
    require_role(actor, *READER_ROLES)
    submission = submissions_visible_to(actor).filter(idempotency_key=idempotency_key).first()
    if submission is None:
        raise NotFound("submission")
    return submission


def attempts_of(submission: Submission) -> QuerySet[DeliveryAttempt]:
    """A submission's push attempts, first first (the caller already holds the submission, so may see them)."""
    return submission.delivery_attempts.order_by("number")
