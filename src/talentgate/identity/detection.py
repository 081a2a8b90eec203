"""Finding suspected duplicates of one profile and recording them (engines.identity scores each pair).

Who is compared: the profiles sharing an identity document's blind index, born the same day, or sharing
a folded name word (for the e-mail rule), each retrieval capped at :data:`RETRIEVAL_LIMIT` rows so a
common name cannot make one write slow. Merged profiles (their survivor stands for them) and erased
ones are never compared.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from talentgate.candidates.models import ERASED_EXTERNAL_ID_PREFIX, IdentityDocument, Profile
from talentgate.candidates.services import chain_for_profile
from talentgate.common import audit
from talentgate.engines.identity import DuplicateEvidence, PersonFacts, compare_people, name_tokens
from talentgate.identity.models import DuplicateSuspicion, SuspicionStatus, SuspicionStrength

logger = logging.getLogger(__name__)

RETRIEVAL_LIMIT = 200
STRONG_FROM, LIKELY_FROM = 0.95, 0.6


def strength_of(score: float) -> str:
    """The strength label of a score: strong (same document), likely, or weak."""
    if score >= STRONG_FROM:
        return SuspicionStrength.STRONG
    if score >= LIKELY_FROM:
        return SuspicionStrength.LIKELY
    return SuspicionStrength.WEAK


def comparable_profiles() -> QuerySet[Profile]:
    """Profiles that take part in detection: not merged into another, not erased."""
    return Profile.objects.filter(merged_into__isnull=True).exclude(external_id__startswith=ERASED_EXTERNAL_ID_PREFIX)


def _facts(profiles: Iterable[Profile]) -> dict[int, PersonFacts]:
    rows = list(profiles)
    indexes: dict[int, set[str]] = defaultdict(set)
    documents = IdentityDocument.objects.filter(profile_id__in=[p.pk for p in rows]).exclude(number_blind_index="")
    for profile_id, index in documents.values_list("profile_id", "number_blind_index"):
        indexes[profile_id].add(index)
    return {
        p.pk: PersonFacts(
            names=(
                f"{p.given_names_latin} {p.family_name_latin}",
                f"{p.given_names_native} {p.family_name_native}",
            ),
            date_of_birth=p.date_of_birth,
            email=p.email or "",
            blind_indexes=frozenset(indexes[p.pk]),
        )
        for p in rows
    }


def _candidate_ids(profile: Profile, facts: PersonFacts) -> set[int]:
    others = comparable_profiles().exclude(pk=profile.pk).order_by("pk")
    found: set[int] = set()
    if facts.blind_indexes:
        found.update(
            others.filter(identity_documents__number_blind_index__in=facts.blind_indexes)
            .values_list("pk", flat=True)
            .distinct()[:RETRIEVAL_LIMIT]
        )
    found.update(others.filter(date_of_birth=profile.date_of_birth).values_list("pk", flat=True)[:RETRIEVAL_LIMIT])
    if profile.email:
        family_words = set(name_tokens(profile.family_name_latin)) | set(name_tokens(profile.family_name_native))
        by_name = Q()
        for word in family_words:
            by_name |= Q(name_search_key__contains=f" {word} ")
        if family_words:
            found.update(others.filter(by_name).exclude(email="").values_list("pk", flat=True)[:RETRIEVAL_LIMIT])
    return found


def detect_duplicates(profile_id: int) -> list[DuplicateSuspicion]:
    """Compare one profile with the others and record each suspicion found (new or refreshed); returns them."""
    profile = comparable_profiles().filter(pk=profile_id).first()
    if profile is None:
        return []
    own = _facts([profile])[profile.pk]
    others = _facts(comparable_profiles().filter(pk__in=_candidate_ids(profile, own)))
    recorded = []
    for other_id, facts in sorted(others.items()):
        evidence = compare_people(own, facts)
        if evidence is not None:
            suspicion = record_suspicion(profile.pk, other_id, evidence)
            if suspicion is not None:
                recorded.append(suspicion)
    return recorded


def record_suspicion(one_id: int, other_id: int, evidence: DuplicateEvidence) -> DuplicateSuspicion | None:
    """Store the suspicion about a pair once: create it, or refresh an open one; a decided one stays as decided
    (returns ``None`` then). Audited in both people's chains (ids, rule codes and the score's name only)."""
    low, high = sorted((one_id, other_id))
    values = {
        "reasons": list(evidence.reasons),
        "score": evidence.score,
        "strength": strength_of(evidence.score),
        "name_similarity": evidence.name_similarity,
    }
    try:
        with transaction.atomic():
            existing = (
                DuplicateSuspicion.objects.select_for_update().filter(profile_low_id=low, profile_high_id=high).first()
            )
            if existing is None:
                suspicion = DuplicateSuspicion.objects.create(profile_low_id=low, profile_high_id=high, **values)
                action = "duplicate.suspected"
            elif existing.status != SuspicionStatus.OPEN:
                return None
            elif all(getattr(existing, name) == value for name, value in values.items()):
                return existing
            else:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.updated_at = timezone.now()
                existing.save(update_fields=[*values, "updated_at"])
                suspicion, action = existing, "duplicate.refreshed"
            people = Profile.objects.filter(pk__in=(low, high)).order_by("pk")
            audit.record_many(
                None,
                [audit.AuditEvent(action, suspicion, chain_for_profile(p), list(values)) for p in people],
            )
            return suspicion
    except IntegrityError:
        # Another worker recorded the same pair at the same moment: theirs stands.
        return DuplicateSuspicion.objects.filter(profile_low_id=low, profile_high_id=high).first()
