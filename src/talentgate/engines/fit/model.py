"""Plain inputs of the fit score: candidates, opportunities, CEFR and degree scales, and the weights.

Concept ids (occupations, skills) are strings, usually ESCO URIs from the normaliser; languages
are ISO 639-1 codes with CEFR levels; degrees are ordered levels. Nothing here knows Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "CEFR_LEVELS",
    "DEGREE_LEVELS",
    "CandidateProfile",
    "FitWeights",
    "Opportunity",
    "cefr_name",
    "degree_name",
]

# CEFR levels as integers, so "at least B1" is a comparison; 0 means no knowledge.
CEFR_LEVELS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
# Degree levels in the order ISCED 2011 gives them (short-cycle 5 up to doctorate 8); 0 = none.
DEGREE_LEVELS = {"none": 0, "secondary": 3, "short-cycle": 5, "bachelor": 6, "master": 7, "doctorate": 8}
_CEFR_NAMES = {v: k for k, v in CEFR_LEVELS.items()}
_DEGREE_NAMES = {v: k for k, v in DEGREE_LEVELS.items()}


def cefr_name(level: int) -> str:
    """``3`` -> ``"B1"``; ``0`` -> ``"none"``."""
    return _CEFR_NAMES.get(level, "none")


def degree_name(level: int) -> str:
    """``7`` -> ``"master"``; levels between named ones show as numbers."""
    return _DEGREE_NAMES.get(level, f"level {level}")


@dataclass(frozen=True)
class CandidateProfile:
    """What the fit score reads from a candidate. ``policy_score`` is the assessment's score scaled to 0-1."""

    id: str
    occupations: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    experience_years: float = 0.0
    languages: dict[str, int] = field(default_factory=dict)  # {"ru": 3} = Russian B1
    degree_level: int = 0
    policy_score: float = 0.0
    available_from: dt.date | None = None


@dataclass(frozen=True)
class Opportunity:
    """What the fit score reads from an opportunity. ``latest_start`` is the last day the person may start."""

    id: str
    occupations: tuple[str, ...] = ()
    required_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    min_experience_years: float = 0.0
    required_languages: dict[str, int] = field(default_factory=dict)
    min_degree_level: int = 0
    latest_start: dt.date | None = None
    places_left: int = 1


@dataclass(frozen=True)
class FitWeights:
    """Weights of the soft parts of the fit score; the score is their weighted mean, in 0-1."""

    required_skills: float = 0.40
    optional_skills: float = 0.10
    occupation: float = 0.20
    experience: float = 0.15
    policy_score: float = 0.15

    @property
    def total(self) -> float:
        return self.required_skills + self.optional_skills + self.occupation + self.experience + self.policy_score
