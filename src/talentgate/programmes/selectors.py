"""Reads of programmes, sectors, targets and applications, each filtered to what the actor may see.

Applications are personal data: a candidate sees their own, programme officers,
supervisors and administrators see all, and nobody else sees any row (analysts read
aggregates through the analytics app, never personal rows).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentgate.accounts.roles import Role
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import NotFound
from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, Programme, SectorTarget


def programmes_visible_to(actor: Any) -> QuerySet[Programme]:
    """Anyone logged in sees active programmes; programme staff also see inactive ones."""
    if role_of(actor) is None:
        return Programme.objects.none()
    if is_programme_staff(actor):
        return Programme.objects.all()
    return Programme.objects.filter(active=True)


def get_programme_for(actor: Any, programme_id: int) -> Programme:
    try:
        return programmes_visible_to(actor).get(pk=programme_id)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise NotFound("programme") from None


def sectors_visible_to(actor: Any) -> QuerySet[PrioritySector]:
    """Priority sectors are public to anyone logged in (they describe what the programme seeks)."""
    if role_of(actor) is None:
        return PrioritySector.objects.none()
    return PrioritySector.objects.select_related("parent")


def get_sector_for(actor: Any, sector_id: int) -> PrioritySector:
    try:
        return sectors_visible_to(actor).get(pk=sector_id)
    except (PrioritySector.DoesNotExist, ValueError, TypeError):
        raise NotFound("sector") from None


def targets_visible_to(actor: Any) -> QuerySet[SectorTarget]:
    """Targets are planning figures: programme staff and analysts see them."""
    if is_programme_staff(actor) or role_of(actor) == Role.ANALYST:
        return SectorTarget.objects.select_related("programme", "sector")
    return SectorTarget.objects.none()


def applications_visible_to(actor: Any) -> QuerySet[Application]:
    """A candidate: their own applications; officers, supervisors and administrators: all; anyone else: none."""
    base = Application.objects.select_related("profile", "programme", "sector_preference")
    role = role_of(actor)
    if role is None:
        return base.none()
    if is_programme_staff(actor):
        return base.all()
    if role == Role.CANDIDATE:
        return base.filter(profile__user=actor)
    return base.none()


def get_application_for(actor: Any, application_id: int) -> Application:
    try:
        return applications_visible_to(actor).get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("application") from None


def application_history_for(actor: Any, application_id: int) -> QuerySet[ApplicationTransition]:
    """The transitions of one application the actor may see, oldest first."""
    application = get_application_for(actor, application_id)
    return application.history.select_related("actor").order_by("at", "pk")
