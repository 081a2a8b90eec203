"""Reads of organisations, staff, invitations, opportunities and offers, each filtered to what the actor may see.

``*_visible_to(actor)`` returns a queryset; ``get_*_for(actor, id)`` raises ``NotFound`` both
for a missing object and for one the actor may not see, so the two cannot be told apart.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.candidates.models import Consent, Profile
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
from talentgate.programmes.models import Application, ApplicationStatus

# An application past its draft and still alive counts as "applied to the programme".
APPLIED_STATES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.ASSESSED,
    ApplicationStatus.INVITED,
    ApplicationStatus.MATCHED,
]
MATCHED_HOSTS_CONSENT = "matched_hosts"


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


# --- candidates a host may see (DESIGN.md section 8: only those who applied or consented) -----------------------


def profiles_open_to_hosts() -> QuerySet[Profile]:
    """Profiles host organisations may see and make offers to: the candidate applied to a programme
    (an application past its draft, not withdrawn or rejected) or holds an active 'matched_hosts' consent;
    never one who withdrew that consent and has not given it again (a withdrawal hides the profile at once)."""
    from talentgate.privacy.selectors import consent_withdrawn_q

    applied = Application.objects.filter(profile=OuterRef("pk"), status__in=APPLIED_STATES)
    consented = Consent.objects.filter(profile=OuterRef("pk"), purpose=MATCHED_HOSTS_CONSENT, withdrawn_at__isnull=True)
    return Profile.objects.filter(Exists(applied) | Exists(consented)).exclude(
        consent_withdrawn_q(MATCHED_HOSTS_CONSENT)
    )


def is_open_to_hosts(profile: Profile) -> bool:
    """True when host organisations may make ``profile`` an offer (see :func:`profiles_open_to_hosts`)."""
    return profiles_open_to_hosts().filter(pk=profile.pk).exists()


def candidates_visible_to(actor: Any) -> QuerySet[Profile]:
    """The profiles an actor may pick as an offer's candidate: for host staff those open to hosts;
    programme staff see every profile; anyone else none."""
    if is_programme_staff(actor):
        return Profile.objects.all()
    if membership_of(actor) is None:
        return Profile.objects.none()
    return profiles_open_to_hosts()


def get_candidate_for(actor: Any, external_id: str) -> Profile:
    """A profile the actor may make an offer to, by its external id; ``NotFound`` otherwise."""
    profile = candidates_visible_to(actor).filter(external_id=external_id).first() if external_id else None
    if profile is None:
        raise NotFound("candidate")
    return profile


def candidates_matching(actor: Any, query: str) -> QuerySet[Profile]:
    """Candidates visible to ``actor`` (see :func:`candidates_visible_to`) whose names or external id contain
    every word of ``query`` (all of them for an empty query), by name."""
    found = candidates_visible_to(actor)
    for word in (query or "").split():
        found = found.filter(
            Q(given_names_latin__icontains=word)
            | Q(family_name_latin__icontains=word)
            | Q(given_names_native__icontains=word)
            | Q(family_name_native__icontains=word)
            | Q(external_id__icontains=word)
        )
    return found.order_by("family_name_latin", "given_names_latin", "pk")


def search_candidates_for(actor: Any, query: str, limit: int = 10) -> list[Profile]:
    """Up to ``limit`` candidates for a picker: :func:`candidates_matching` a non-empty ``query``."""
    if not (query or "").split():
        return []
    return list(candidates_matching(actor, query)[:limit])


# --- invitations by token (the invited person is not a member yet) ----------------------------------------------


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation:
    """The invitation a raw token belongs to, whatever its state (the landing page says why it cannot be used);
    ``NotFound`` for an unknown token."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
        if token
        else None
    )
    if invitation is None:
        raise NotFound("invitation")
    return invitation


def invitation_state(invitation: Invitation) -> str:
    """'open', 'accepted', 'revoked' or 'expired' (an open invitation past its expiry is 'expired')."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "open"


def open_invitations_q(now: Any = None) -> Q:
    """The filter of invitations that can still be accepted."""
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())
