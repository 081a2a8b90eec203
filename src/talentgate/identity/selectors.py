"""Reads of the identity app, filtered to what the actor may see: only programme officers and supervisors
see suspected duplicates and merges (they compare two people's personal data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentgate.common.access import has_role, require_role
from talentgate.common.errors import NotFound, ValidationFailed
from talentgate.identity.models import DuplicateSuspicion, ProfileMerge, SuspicionStatus, SuspicionStrength
from talentgate.identity.services import DUPLICATE_WORKERS


def suspicions_visible_to(actor: Any) -> QuerySet[DuplicateSuspicion]:
    """Officers and supervisors: every suspicion (strongest first); anyone else: none."""
    found = DuplicateSuspicion.objects.select_related("profile_low", "profile_high", "decided_by")
    return found.all() if has_role(actor, *DUPLICATE_WORKERS) else found.none()


def suspicions_matching(actor: Any, status: str = "open", strength: str = "") -> QuerySet[DuplicateSuspicion]:
    """The suspicions the actor sees with this status (``""``: any) and strength (``""``: any); a value that
    is not one of the choices is refused naming the field. Other roles are refused (403), not shown an empty list."""
    require_role(actor, *DUPLICATE_WORKERS)
    problems = []
    if status and status not in SuspicionStatus.values:
        problems.append(("status", SuspicionStatus.values))
    if strength and strength not in SuspicionStrength.values:
        problems.append(("strength", SuspicionStrength.values))
    if problems:
        from django.utils.translation import gettext

        from talentgate.common.errors import FieldError

        raise ValidationFailed(
            [
                FieldError(name, "choice", gettext("Use one of: %(choices)s.") % {"choices": ", ".join(choices)})
                for name, choices in problems
            ]
        )
    found = suspicions_visible_to(actor)
    if status:
        found = found.filter(status=status)
    if strength:
        found = found.filter(strength=strength)
    return found


def get_suspicion_for(actor: Any, suspicion_id: int) -> DuplicateSuspicion:
    try:
        return suspicions_visible_to(actor).get(pk=suspicion_id)
    except (DuplicateSuspicion.DoesNotExist, ValueError, TypeError):
        raise NotFound("suspected duplicate") from None


def merges_visible_to(actor: Any) -> QuerySet[ProfileMerge]:
    """Officers and supervisors: every merge; anyone else: none."""
    found = ProfileMerge.objects.select_related("survivor", "merged", "merged_by")
    return found.all() if has_role(actor, *DUPLICATE_WORKERS) else found.none()


def open_suspicions_about(actor: Any, profile_id: int) -> list[DuplicateSuspicion]:
    """The open suspicions involving one profile, strongest first, for an officer's or supervisor's page;
    empty for anyone else (administrators see the application, not the duplicates queue)."""
    from django.db.models import Q

    return list(
        suspicions_visible_to(actor)
        .filter(status=SuspicionStatus.OPEN)
        .filter(Q(profile_low_id=profile_id) | Q(profile_high_id=profile_id))
    )
