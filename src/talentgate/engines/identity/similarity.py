"""Why two people may be the same person, and how sure that is.

Three rules, strongest first (a pair may meet several; the score is the strongest rule's):

- ``same_identity_document`` (strong, 1.0): an identity document of each has the same blind index.
- ``same_birth_date_and_name`` (likely, 0.6 to 0.9): the same date of birth and names at least
  :data:`LIKELY_NAME_SIMILARITY` alike once folded across scripts (rapidfuzz ``token_sort_ratio``, so
  given and family names in either order), the score growing with the likeness.
- ``same_email_local_part_and_name`` (weak, 0.4): the same e-mail local part (case, dots and a ``+tag``
  ignored) and names at least :data:`WEAK_NAME_SIMILARITY` alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from talentgate.engines.identity.names import fold_name

STRONG_SCORE = 1.0
LIKELY_NAME_SIMILARITY = 85.0
LIKELY_SCORE_RANGE = (0.6, 0.9)
WEAK_NAME_SIMILARITY = 80.0
WEAK_SCORE = 0.4


@dataclass(frozen=True)
class PersonFacts:
    """What the rules compare: full names as written (any script), birth date, e-mail, blind indexes."""

    names: tuple[str, ...]
    date_of_birth: date | None = None
    email: str = ""
    blind_indexes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DuplicateEvidence:
    """The rules a pair meets (stable codes, strongest first), the score (0-1) and the name likeness (0-100)."""

    reasons: tuple[str, ...]
    score: float
    name_similarity: float


def email_local_part(email: str) -> str:
    """The part before ``@``, lower case, without dots or a ``+tag`` (how mail providers read it).

    >>> email_local_part("Yuri.Ivanov+apply@Example.org"), email_local_part("no-at-sign"), email_local_part("")
    ('yuriivanov', '', '')
    """
    local, at, _domain = email.strip().lower().partition("@")
    if not at:
        return ""
    return local.split("+", 1)[0].replace(".", "")


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The best ``token_sort_ratio`` (0-100) between any folded name of ``a`` and any of ``b``.

    >>> name_similarity(("Yuri Ivanov",), ("Иванов Юрий",))
    100.0
    >>> name_similarity(("Anna Petrova",), ("Boris Sidorov",)) < 50
    True
    """
    folded_a = [f for f in (fold_name(n) for n in a) if f]
    folded_b = [f for f in (fold_name(n) for n in b) if f]
    return max((float(fuzz.token_sort_ratio(x, y)) for x in folded_a for y in folded_b), default=0.0)


def compare_people(a: PersonFacts, b: PersonFacts) -> DuplicateEvidence | None:
    """The evidence that ``a`` and ``b`` are one person, or ``None`` when no rule is met.

    >>> one = PersonFacts(("Yuri Ivanov", "Юрий Иванов"), date(1990, 5, 1), "y.ivanov@mail.example", frozenset({"h1"}))
    >>> compare_people(one, PersonFacts(("Iurii Ivanov",), date(1990, 5, 1), "yuri@other.example"))
    DuplicateEvidence(reasons=('same_birth_date_and_name',), score=0.9, name_similarity=100.0)
    >>> compare_people(one, PersonFacts(("Anna Smith",), date(1985, 1, 1), "", frozenset({"h1"}))).reasons
    ('same_identity_document',)
    >>> compare_people(one, PersonFacts(("Juri Iwanow",), date(1991, 5, 1), "yivanov@elsewhere.example")).reasons
    ('same_email_local_part_and_name',)
    >>> compare_people(one, PersonFacts(("Yuri Ivanov",), date(1991, 5, 1), "")) is None
    True
    """
    reasons: list[str] = []
    scores: list[float] = []
    if a.blind_indexes & b.blind_indexes:
        reasons.append("same_identity_document")
        scores.append(STRONG_SCORE)
    similarity = name_similarity(a.names, b.names)
    if a.date_of_birth is not None and a.date_of_birth == b.date_of_birth and similarity >= LIKELY_NAME_SIMILARITY:
        low, high = LIKELY_SCORE_RANGE
        reasons.append("same_birth_date_and_name")
        scores.append(
            round(low + (high - low) * (similarity - LIKELY_NAME_SIMILARITY) / (100 - LIKELY_NAME_SIMILARITY), 3)
        )
    local = email_local_part(a.email)
    if local and local == email_local_part(b.email) and similarity >= WEAK_NAME_SIMILARITY:
        reasons.append("same_email_local_part_and_name")
        scores.append(WEAK_SCORE)
    if not reasons:
        return None
    return DuplicateEvidence(reasons=tuple(reasons), score=max(scores), name_similarity=round(similarity, 1))
