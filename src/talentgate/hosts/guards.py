"""The named conditions and permissions of the opportunity and offer state machines.

Each guard's ``needs`` text completes "<transition> needs ...", e.g. "publish needs the
organisation to be verified by a programme officer". The wording is translated lazily (these
guards are made at import) and rendered in the visitor's language when a refusal is raised.
"""

from __future__ import annotations

from typing import Any

import pycountry
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.common.access import role_of
from talentgate.common.workflow import ActorRule, Guard, all_of

#: The transitions' names as people read them in a refusal (see common.workflow.transition_label).
TRANSITION_NAMES = (
    pgettext_lazy("transition", "publish"),
    pgettext_lazy("transition", "close"),
    pgettext_lazy("transition", "accept"),
    pgettext_lazy("transition", "decline"),
    pgettext_lazy("transition", "lapse"),
    pgettext_lazy("transition", "withdraw"),
)


def is_iso639_1(code: str) -> bool:
    """True for a two-letter ISO 639-1 language code known to pycountry (``"ru"``, ``"en"``)."""
    return len(code) == 2 and code.islower() and pycountry.languages.get(alpha_2=code) is not None


def is_member_of(user: Any, organisation_id: int, *, admin: bool = False) -> bool:
    """True when ``user`` holds a host role and an active membership (admin, if asked) of the organisation."""
    if role_of(user) not in HOST_ROLES:
        return False
    memberships = user.memberships.filter(organisation_id=organisation_id, active=True)
    if admin:
        memberships = memberships.filter(role="admin")
    return bool(memberships.exists())


def _clock(offer: Any) -> Any:
    return offer.as_of or timezone.now()


def _accepted_elsewhere(offer: Any) -> int:
    return int(offer.opportunity.offers.filter(status="accepted").exclude(pk=offer.pk).count())


ORGANISATION_MEMBER = ActorRule(
    "organisation_member",
    gettext_lazy("a member of the organisation's staff"),
    lambda opportunity, user: is_member_of(user, opportunity.organisation_id),
)
OFFER_ORGANISATION_MEMBER = ActorRule(
    "organisation_member",
    gettext_lazy("a member of the offering organisation's staff"),
    lambda offer, user: is_member_of(user, offer.opportunity.organisation_id),
)
CANDIDATE = ActorRule(
    "owner",
    gettext_lazy("the candidate the offer is made to"),
    lambda offer, user: (
        role_of(user) == Role.CANDIDATE and offer.profile.user_id is not None and offer.profile.user_id == user.pk
    ),
)

BY_ORGANISATION_MEMBER = all_of(ORGANISATION_MEMBER)
BY_OFFER_ORGANISATION_MEMBER = all_of(OFFER_ORGANISATION_MEMBER)
BY_CANDIDATE = all_of(CANDIDATE)

ORGANISATION_VERIFIED = Guard(
    "organisation_verified",
    gettext_lazy("the organisation to be verified by a programme officer"),
    lambda opportunity: opportunity.organisation.is_verified,
)
DEADLINE_NOT_PASSED = Guard(
    "deadline_not_passed",
    gettext_lazy("an application deadline that has not passed"),
    lambda opportunity: (
        opportunity.application_deadline is None or opportunity.application_deadline >= timezone.localdate()
    ),
)
OFFER_NOT_EXPIRED = Guard(
    "not_expired", gettext_lazy("an offer that has not expired"), lambda offer: offer.expires_at > _clock(offer)
)
OFFER_EXPIRED = Guard(
    "expired", gettext_lazy("an offer whose expiry time has passed"), lambda offer: offer.expires_at <= _clock(offer)
)
CAPACITY_LEFT = Guard(
    "capacity",
    gettext_lazy("a place left in the opportunity (accepted offers stay within its capacity)"),
    lambda offer: _accepted_elsewhere(offer) < offer.opportunity.capacity,
)
