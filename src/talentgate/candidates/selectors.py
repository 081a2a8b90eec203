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
from talentgate.candidates.models import Document, Profile
from talentgate.common.access import is_programme_staff, role_of
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
