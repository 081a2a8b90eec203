"""Reads of organisations, staff, invitations, opportunities and offers, each filtered to what the actor may see.

``*_visible_to(actor)`` returns a queryset; ``get_*_for(actor, id)`` raises ``NotFound`` both
for a missing object and for one the actor may not see, so the two cannot be told apart.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import NotFound
from talentgate.hosts.models import (
    Invitation,
    MemberRole,
    Membership,
    Offer,
    Opportunity,
    OpportunityStatus,
    Organisation,
    Verification,
)


def membership_of(user: Any) -> Membership | None:
    """The user's active membership, or ``None`` (also for anyone not holding a host role)."""
    if role_of(user) not in HOST_ROLES:
        return None
    return Membership.objects.select_related("organisation").filter(user=user, active=True).first()


def _own_organisation_id(actor: Any) -> int | None:
    membership = membership_of(actor)
    return membership.organisation_id if membership else None


def organisations_visible_to(actor: Any) -> QuerySet[Organisation]:
    """Programme staff: all; a host member: their own and every verified one; anyone else logged in: verified ones."""
    role = role_of(actor)
    if role is None:
        return Organisation.objects.none()
    if is_programme_staff(actor):
        return Organisation.objects.all()
    visible = Q(verification=Verification.VERIFIED)
    own = _own_organisation_id(actor)
    if own is not None:
        visible |= Q(pk=own)
    return Organisation.objects.filter(visible)


def get_organisation_for(actor: Any, organisation_id: int) -> Organisation:
    try:
        return organisations_visible_to(actor).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound("organisation") from None


def memberships_visible_to(actor: Any) -> QuerySet[Membership]:
    """Programme staff: all; a host member: the memberships of their own organisation; others: none."""
    if is_programme_staff(actor):
        return Membership.objects.select_related("user", "organisation")
    own = _own_organisation_id(actor)
    if own is None:
        return Membership.objects.none()
    return Membership.objects.select_related("user", "organisation").filter(organisation_id=own)


def get_membership_for(actor: Any, membership_id: int) -> Membership:
    try:
        return memberships_visible_to(actor).get(pk=membership_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound("membership") from None


def invitations_visible_to(actor: Any) -> QuerySet[Invitation]:
    """Programme staff: all; an organisation's admins: its invitations; others: none."""
    if is_programme_staff(actor):
        return Invitation.objects.all()
    membership = membership_of(actor)
    if membership is None or membership.role != MemberRole.ADMIN:
        return Invitation.objects.none()
    return Invitation.objects.filter(organisation_id=membership.organisation_id)


def get_invitation_for(actor: Any, invitation_id: int) -> Invitation:
    try:
        return invitations_visible_to(actor).get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise NotFound("invitation") from None


def opportunities_visible_to(actor: Any) -> QuerySet[Opportunity]:
    """Published opportunities of verified organisations for everyone logged in; drafts and closed ones
    only for their own organisation and programme staff."""
    base = Opportunity.objects.select_related("organisation", "sector", "country", "salary_currency")
    if role_of(actor) is None:
        return base.none()
    if is_programme_staff(actor):
        return base.all()
    visible = Q(status=OpportunityStatus.PUBLISHED, organisation__verification=Verification.VERIFIED)
    own = _own_organisation_id(actor)
    if own is not None:
        visible |= Q(organisation_id=own)
    return base.filter(visible)


def get_opportunity_for(actor: Any, opportunity_id: int) -> Opportunity:
    try:
        return opportunities_visible_to(actor).get(pk=opportunity_id)
    except (Opportunity.DoesNotExist, ValueError, TypeError):
        raise NotFound("opportunity") from None


def offers_visible_to(actor: Any) -> QuerySet[Offer]:
    """A candidate: offers made to their own profile; a host member: their organisation's; programme staff: all."""
    base = Offer.objects.select_related("opportunity", "opportunity__organisation", "profile")
    role = role_of(actor)
    if role is None:
        return base.none()
    if is_programme_staff(actor):
        return base.all()
    if role == Role.CANDIDATE:
        return base.filter(profile__user=actor)
    own = _own_organisation_id(actor)
    if own is not None:
        return base.filter(opportunity__organisation_id=own)
    return base.none()


def get_offer_for(actor: Any, offer_id: int) -> Offer:
    try:
        return offers_visible_to(actor).get(pk=offer_id)
    except (Offer.DoesNotExist, ValueError, TypeError):
        raise NotFound("offer") from None
