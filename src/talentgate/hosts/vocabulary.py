"""The curated vocabulary opportunities pick their requirements from until the ESCO taxonomy arrives.

Occupations (with their ISCO-08 unit groups) and skills are the demo programme's own lists
(``talentgate.demo.catalogue``: plain data, no Django), so the portal suggests exactly what
the demo's candidates and hosts use; languages are every ISO 639-1 language known to
pycountry. Suggestions rank a match at the start of the label first, then at the start of a
word, then anywhere; a query of digits also matches ISCO-08 codes. Nothing here is
authoritative: a host may always type a requirement the vocabulary lacks (free text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

from talentgate.demo import catalogue

__all__ = [
    "DEFAULT_LIMIT",
    "Term",
    "language_name",
    "languages",
    "occupation_for_label",
    "occupations",
    "skills",
    "suggest_languages",
    "suggest_occupations",
    "suggest_skills",
]

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Term:
    """One suggestion: what is shown and stored (``label``) and its code (ISCO-08, ISO 639-1; ``""`` for skills)."""

    label: str
    code: str = ""


@cache
def occupations() -> tuple[Term, ...]:
    """Every occupation of the vocabulary, once per title, in title order."""
    by_title = {o.title.casefold(): Term(o.title, o.isco08) for o in catalogue.OCCUPATIONS}
    return tuple(sorted(by_title.values(), key=lambda t: t.label.casefold()))


@cache
def skills() -> tuple[Term, ...]:
    """Every skill of the vocabulary, in label order."""
    return tuple(Term(label) for label in sorted(set(catalogue.SKILLS), key=str.casefold))


@cache
def languages() -> tuple[Term, ...]:
    """Every ISO 639-1 language (code and English name), by name."""
    found = [Term(lang.name, lang.alpha_2) for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    return tuple(sorted(found, key=lambda t: t.label.casefold()))


def _rank(term: Term, query: str) -> int | None:
    """0: the label starts with the query, 1: a word does, 2: it occurs anywhere (or the code matches); None: no match."""
    label = term.label.casefold()
    if label.startswith(query):
        return 0
    if any(word.startswith(query) for word in label.replace("(", " ").replace("/", " ").split()):
        return 1
    if query in label or (term.code and term.code.casefold().startswith(query)):
        return 2
    return None


def _suggest(terms: tuple[Term, ...], query: str, limit: int) -> list[Term]:
    query = " ".join((query or "").split()).casefold()
    if not query:
        return list(terms[:limit])
    ranked = [(rank, index) for index, term in enumerate(terms) if (rank := _rank(term, query)) is not None]
    return [terms[index] for _rank_, index in sorted(ranked)[:limit]]


def suggest_occupations(query: str, limit: int = DEFAULT_LIMIT) -> list[Term]:
    """Occupations matching ``query`` best first (a title or an ISCO-08 code prefix).

    >>> [t.code for t in suggest_occupations("gnc")]
    ['2144']
    """
    return _suggest(occupations(), query, limit)


def suggest_skills(query: str, limit: int = DEFAULT_LIMIT) -> list[Term]:
    """Skills matching ``query`` best first.

    >>> [t.label for t in suggest_skills("kalman")]
    ['Kalman filtering']
    """
    return _suggest(skills(), query, limit)


def suggest_languages(query: str, limit: int = DEFAULT_LIMIT) -> list[Term]:
    """Languages whose English name or ISO 639-1 code matches ``query``, best first.

    >>> [(t.code, t.label) for t in suggest_languages("russ")]
    [('ru', 'Russian')]
    """
    return _suggest(languages(), query, limit)


def occupation_for_label(label: str) -> Term | None:
    """The vocabulary's occupation with exactly this title (case and spacing ignored), or ``None``."""
    wanted = " ".join((label or "").split()).casefold()
    return next((t for t in occupations() if t.label.casefold() == wanted), None)


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code (``"ru"`` -> ``"Russian"``), or the code itself when unknown."""
    return next((t.label for t in languages() if t.code == code), code)
