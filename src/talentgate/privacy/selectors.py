"""Reads about personal data: whose consent is in force for a purpose, legal holds, erasure requests.

Consents themselves are the candidates app's rows (``candidates.Consent``: one row per purpose and
text version, ``withdrawn_at`` set on withdrawal, history kept); this module is the one place that
answers "may we use this person's data for this purpose now?", so host views, the hand-off guard
and analytics exports all follow a withdrawal at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from talentgate.candidates.models import Consent, Profile
from talentgate.canonical import ConsentPurpose


def _purpose(purpose: str | ConsentPurpose) -> str:
    # Raises ValueError for an unknown purpose: a typo must not silently read as "no consent".
    return ConsentPurpose(purpose).value


def consent_in_force_q(purpose: str | ConsentPurpose, profile_ref: str = "pk") -> Exists:
    """An ``Exists`` expression (usable in ``filter``) true when the profile at ``profile_ref`` holds a
    consent to ``purpose`` that is not withdrawn."""
    return Exists(
        Consent.objects.filter(profile=OuterRef(profile_ref), purpose=_purpose(purpose), withdrawn_at__isnull=True)
    )


def consent_withdrawn_q(purpose: str | ConsentPurpose, profile_ref: str = "pk") -> Q:
    """A ``Q`` true when the profile withdrew its consent to ``purpose`` and holds none in force now."""
    withdrawn = Exists(
        Consent.objects.filter(profile=OuterRef(profile_ref), purpose=_purpose(purpose), withdrawn_at__isnull=False)
    )
    return Q(withdrawn) & ~Q(consent_in_force_q(purpose, profile_ref))


def has_consent(person: Profile | Any, purpose: str | ConsentPurpose) -> bool:
    """True when ``person`` (a ``Profile``, or a user with one) holds a consent to ``purpose`` now."""
    profile = person if isinstance(person, Profile) else getattr(person, "profile", None)
    if profile is None or profile.pk is None:
        return False
    return Consent.objects.filter(profile=profile, purpose=_purpose(purpose), withdrawn_at__isnull=True).exists()


def people_consenting_to(purpose: str | ConsentPurpose) -> QuerySet[Profile]:
    """Profiles holding a consent to ``purpose`` now (any text version)."""
    return Profile.objects.filter(consent_in_force_q(purpose))


def people_withdrawn_from(purpose: str | ConsentPurpose) -> QuerySet[Profile]:
    """Profiles who withdrew their consent to ``purpose`` and have not given it again: exports for that
    purpose leave them out (people who never answered are governed by the purpose's own rule)."""
    return Profile.objects.filter(consent_withdrawn_q(purpose))


# --- legal holds and erasure requests (programme staff see all; a candidate sees their own requests) ---------


def erasure_requests_visible_to(actor: Any) -> QuerySet[Any]:
    """Erasure requests: every one for officers, supervisors and administrators; a candidate's own; else none."""
    from talentgate.accounts.roles import Role
    from talentgate.common.access import is_programme_staff, role_of
    from talentgate.privacy.models import ErasureRequest

    if is_programme_staff(actor):
        return ErasureRequest.objects.select_related("profile").order_by("-requested_at", "pk")
    if role_of(actor) is Role.CANDIDATE:
        return ErasureRequest.objects.filter(profile__user=actor).order_by("-requested_at", "pk")
    return ErasureRequest.objects.none()


def legal_holds_visible_to(actor: Any) -> QuerySet[Any]:
    """Legal holds: programme staff only (a hold may concern an investigation the person is not told of)."""
    from talentgate.common.access import is_programme_staff
    from talentgate.privacy.models import LegalHold

    if is_programme_staff(actor):
        return LegalHold.objects.select_related("profile").order_by("-placed_at", "pk")
    return LegalHold.objects.none()
