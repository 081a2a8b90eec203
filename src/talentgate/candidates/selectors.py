"""Every read of candidate profiles that leaves the app, with its object-level access check,
and the export of stored profiles back to the canonical format.

Who sees which profile: a candidate their own only; programme officers, supervisors and
administrators all; everyone else (hosts, reviewers, the authority, analysts) none here.
Analysts work on anonymised aggregates, never on personal profiles; host visibility based
on consent comes with the matching issue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from pydantic import ValidationError

from talentgate import canonical
from talentgate.accounts.roles import Role
from talentgate.candidates import canonical_mapping as mapping
from talentgate.candidates.errors import validation_failed
from talentgate.candidates.models import Consent, Document, Profile
from talentgate.common.access import is_programme_staff, require_role, role_of
from talentgate.common.errors import NotFound

EXPORT_CHUNK_SIZE = 1000


def profiles_visible_to(actor: Any) -> QuerySet[Profile]:
    """Profiles ``actor`` may see."""
    if is_programme_staff(actor):
        return Profile.objects.all()
    if role_of(actor) is Role.CANDIDATE:
        return Profile.objects.filter(user=actor)
    return Profile.objects.none()


def get_profile_for(actor: Any, external_id: str) -> Profile:
    """The profile with this external id, if ``actor`` may see it; otherwise ``NotFound`` (never a hint it exists)."""
    profile = profiles_visible_to(actor).filter(external_id=external_id).first()
    if profile is None:
        raise NotFound("profile")
    return profile


def documents_visible_to(actor: Any) -> QuerySet[Document]:
    """Documents of the profiles ``actor`` may see."""
    return Document.objects.filter(profile__in=profiles_visible_to(actor))


def get_document_for(actor: Any, document_id: int) -> Document:
    document = documents_visible_to(actor).select_related("profile").filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    return document


def _canonical_for(profiles: list[Profile]) -> list[canonical.CandidateProfile]:
    """Canonical forms of ``profiles`` with one query per child table for the whole batch (no N+1)."""
    ids = [profile.pk for profile in profiles]
    parts: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for section in mapping.ALL_SECTIONS:
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = section.model._default_manager.filter(profile_id__in=ids).order_by("id")
        for row in rows.values(*mapping.value_columns(section)):
            grouped[row["profile_id"]].append(row)
        parts[section.name] = grouped
    result = []
    for profile in profiles:
        data = mapping.profile_data(profile, {name: grouped.get(profile.pk, []) for name, grouped in parts.items()})
        try:
            result.append(canonical.CandidateProfile.model_validate(data))
        except ValidationError as error:
            raise validation_failed(error, prefix=f"profile {profile.external_id}") from None
    return result


def to_canonical(profile: Profile) -> canonical.CandidateProfile:
    """The canonical form of one stored profile (one query per child table).

    Raises ``ValidationFailed`` naming the path if the stored data breaks a canonical rule
    (possible only after edits outside the services, e.g. in the admin).
    """
    return _canonical_for([profile])[0]


def canonical_profiles(
    profiles: QuerySet[Profile], chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[canonical.CandidateProfile]:
    """Stream the canonical form of many profiles, ordered by external id, one query per table per chunk."""
    ids = list(profiles.order_by("external_id").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        batch = list(Profile.objects.filter(pk__in=ids[start : start + chunk_size]).order_by("external_id"))
        yield from _canonical_for(batch)


def count_rows() -> dict[str, int]:
    """Rows per candidates table (used to show that a refused import wrote nothing)."""
    counts = {"profiles": Profile.objects.count()}
    for section in mapping.ALL_SECTIONS:
        counts[section.name] = section.model._default_manager.count()
    return counts


def profiles_by_external_id(actor: Any, external_ids: Iterable[str]) -> QuerySet[Profile]:
    """The visible profiles among ``external_ids``."""
    return profiles_visible_to(actor).filter(external_id__in=list(external_ids))


# ---------------------------------------------------------------------------- the candidate's own


def own_profile(actor: Any) -> Profile | None:
    """The signed-in candidate's profile, or ``None`` (no profile yet, or not a candidate)."""
    if role_of(actor) is not Role.CANDIDATE:
        return None
    return Profile.objects.filter(user=actor).first()


def get_own_profile(actor: Any) -> Profile:
    """The signed-in candidate's profile; 403 for anyone who is not a candidate, 404 before the first save."""
    require_role(actor, Role.CANDIDATE)
    profile = own_profile(actor)
    if profile is None:
        raise NotFound("profile")
    return profile


def own_documents(actor: Any) -> QuerySet[Document]:
    """The candidate's own documents, newest first (403 for anyone who is not a candidate)."""
    require_role(actor, Role.CANDIDATE)
    return Document.objects.filter(profile__user=actor).order_by("-uploaded_at", "-pk")


def get_own_document(actor: Any, document_id: int) -> Document:
    """One of the candidate's own documents; someone else's is answered as missing (404)."""
    document = own_documents(actor).select_related("profile").filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    return document


def own_consents(actor: Any) -> QuerySet[Consent]:
    """Every consent the candidate gave, withdrawn ones included, oldest first (the history)."""
    require_role(actor, Role.CANDIDATE)
    return Consent.objects.filter(profile__user=actor).order_by("given_at", "pk")


def personal_data_for(actor: Any) -> dict[str, Any]:
    """Everything held about the signed-in candidate, JSON-ready: account, profile (numbers unmasked: it is
    their own export), documents, consents with history, applications with history and offers."""
    # Applications and offers live in apps that build on this one; imported here to keep the
    # candidates app importable on its own.
    from talentgate.hosts.selectors import offers_visible_to
    from talentgate.programmes.selectors import applications_visible_to

    require_role(actor, Role.CANDIDATE)
    profile = own_profile(actor)
    applications = []
    for application in applications_visible_to(actor).filter(profile__user=actor).prefetch_related("history"):
        applications.append(
            {
                "id": application.pk,
                "programme": application.programme.code,
                "programme_name": application.programme.name_en,
                "status": application.status,
                "created_at": application.created_at.isoformat(),
                "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
                "history": [
                    {
                        "transition": step.transition,
                        "from": step.from_state,
                        "to": step.to_state,
                        "at": step.at.isoformat(),
                        "reason": step.reason,
                    }
                    for step in sorted(application.history.all(), key=lambda s: (s.at, s.pk))
                ],
            }
        )
    offers = [
        {
            "id": offer.pk,
            "opportunity": offer.opportunity.title,
            "organisation": offer.opportunity.organisation.name,
            "status": offer.status,
            "terms": offer.terms,
            "salary_amount": str(offer.salary_amount) if offer.salary_amount is not None else None,
            "salary_currency": offer.salary_currency_id,
            "salary_period": offer.salary_period,
            "start_date": offer.start_date.isoformat() if offer.start_date else None,
            "expires_at": offer.expires_at.isoformat(),
            "decided_at": offer.decided_at.isoformat() if offer.decided_at else None,
        }
        for offer in offers_visible_to(actor).filter(profile__user=actor)
    ]
    documents = [
        {
            "id": document.pk,
            "kind": document.kind,
            "file_name": document.file_name,
            "issued_on": document.issued_on.isoformat() if document.issued_on else None,
            "expires_on": document.expires_on.isoformat() if document.expires_on else None,
            "status": document.status,
            "rejection_reason": document.rejection_reason,
            "uploaded_at": document.uploaded_at.isoformat(),
            "verified_at": document.verified_at.isoformat() if document.verified_at else None,
        }
        for document in own_documents(actor)
    ]
    return {
        "account": {
            "email": actor.email,
            "first_name": actor.first_name,
            "last_name": actor.last_name,
            "role": actor.role,
            "preferred_language": actor.preferred_language,
            "date_joined": actor.date_joined.isoformat(),
            "last_login": actor.last_login.isoformat() if actor.last_login else None,
        },
        "profile": to_canonical(profile).model_dump(mode="json") if profile is not None else None,
        "documents": documents,
        "consents": [
            {
                "purpose": consent.purpose,
                "version": consent.version,
                "given_at": consent.given_at.isoformat(),
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in own_consents(actor)
        ],
        "applications": applications,
        "offers": offers,
    }
