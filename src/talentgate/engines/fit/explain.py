"""The fit of one candidate to one opportunity, computed directly from the dataclasses, with its reasons.

This is the reference the vectorised scorer (:mod:`talentgate.engines.fit.retrieval`) must agree with.
Reasons are language-free: a code and its parameters (:class:`FitReason`, stored as plain dicts),
worded in the reader's language by the platform (``talentgate.matching.reasons``). Parameters hold
codes and numbers (ISO 639-1 languages, CEFR levels, ISCED degree levels, ISO dates) and the
concept labels the caller passed in ``labels``.

>>> from talentgate.engines.fit.model import CandidateProfile, Opportunity
>>> c = CandidateProfile("ana", skills=("gnc", "c++"), languages={"ru": 2}, experience_years=4)
>>> o = Opportunity("lab", required_skills=("gnc", "kalman"), required_languages={"ru": 3}, min_experience_years=2)
>>> fit = explain_fit(c, o, labels={"gnc": "GNC", "kalman": "Kalman filtering"})
>>> fit.eligible
False
>>> fit.reasons[0]
{'code': 'required_skills', 'params': {'matched': ['GNC'], 'missing': ['Kalman filtering'], 'required': 2}}
>>> fit.reasons[-1]
{'code': 'language_below', 'params': {'language': 'ru', 'required': 'B1', 'has': 'A2'}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from talentgate.engines.fit.model import CandidateProfile, FitWeights, Opportunity, cefr_name

__all__ = ["REASON_CODES", "FitExplanation", "FitReason", "explain_fit"]

#: Every reason code :func:`explain_fit` gives, with the parameters each carries.
REASON_CODES = {
    "required_skills": ("matched", "missing", "required"),  # concept labels; how many were required
    "optional_skills": ("matched", "total"),  # counts
    "occupation_matches": ("occupation",),  # the shared occupation's label
    "occupation_differs": (),
    "experience": ("years", "sought"),  # numbers of years
    "language_below": ("language", "required", "has"),  # ISO 639-1 code; CEFR levels ("none" below A1)
    "degree_below": ("required", "has"),  # ISCED 2011 levels (0 = none)
    "starts_too_late": ("available_from", "latest_start"),  # ISO dates
    "no_places_left": (),
}


@dataclass(frozen=True)
class FitReason:
    """One reason: a code of :data:`REASON_CODES` and its parameters (JSON-ready)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass
class FitExplanation:
    """A pair's score (0-1), whether every hard constraint holds, its parts, and the reasons as code + params dicts."""

    candidate_id: str
    opportunity_id: str
    score: float
    eligible: bool
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _coverage(have: set[str], wanted: tuple[str, ...]) -> tuple[float, list[str], list[str]]:
    wanted_set = list(dict.fromkeys(wanted))
    matched = [s for s in wanted_set if s in have]
    missing = [s for s in wanted_set if s not in have]
    return (len(matched) / len(wanted_set) if wanted_set else 1.0), matched, missing


def explain_fit(
    candidate: CandidateProfile,
    opportunity: Opportunity,
    weights: FitWeights | None = None,
    labels: Mapping[str, str] | None = None,
) -> FitExplanation:
    """Score one pair and say why. An ineligible pair keeps its soft score but ``eligible`` is False."""
    weights = weights or FitWeights()
    name = (lambda concept: labels.get(concept, concept)) if labels else (lambda concept: concept)
    skills = set(candidate.skills)
    reasons: list[FitReason] = []

    required, matched, missing = _coverage(skills, opportunity.required_skills)
    if opportunity.required_skills:
        reasons.append(
            FitReason(
                "required_skills",
                {
                    "matched": [name(s) for s in matched],
                    "missing": [name(s) for s in missing],
                    "required": len(matched) + len(missing),
                },
            )
        )
    optional, optional_matched, _ = _coverage(skills, opportunity.optional_skills)
    if opportunity.optional_skills:
        reasons.append(
            FitReason(
                "optional_skills", {"matched": len(optional_matched), "total": len(set(opportunity.optional_skills))}
            )
        )

    if opportunity.occupations:
        shared = [o for o in dict.fromkeys(opportunity.occupations) if o in set(candidate.occupations)]
        occupation = 1.0 if shared else 0.0
        reasons.append(
            FitReason("occupation_matches", {"occupation": name(shared[0])})
            if shared
            else FitReason("occupation_differs")
        )
    else:
        occupation = 1.0

    if opportunity.min_experience_years > 0:
        experience = min(1.0, candidate.experience_years / opportunity.min_experience_years)
        reasons.append(
            FitReason(
                "experience",
                {"years": float(candidate.experience_years), "sought": float(opportunity.min_experience_years)},
            )
        )
    else:
        experience = 1.0
    policy = min(1.0, max(0.0, candidate.policy_score))

    parts = {
        "required_skills": required,
        "optional_skills": optional,
        "occupation": occupation,
        "experience": experience,
        "policy_score": policy,
    }
    score = (
        weights.required_skills * required
        + weights.optional_skills * optional
        + weights.occupation * occupation
        + weights.experience * experience
        + weights.policy_score * policy
    ) / weights.total

    eligible = True
    for code, level in sorted(opportunity.required_languages.items()):
        has = candidate.languages.get(code, 0)
        if has < level:
            eligible = False
            reasons.append(
                FitReason("language_below", {"language": code, "required": cefr_name(level), "has": cefr_name(has)})
            )
    if candidate.degree_level < opportunity.min_degree_level:
        eligible = False
        reasons.append(
            FitReason("degree_below", {"required": opportunity.min_degree_level, "has": candidate.degree_level})
        )
    if (
        candidate.available_from is not None
        and opportunity.latest_start is not None
        and candidate.available_from > opportunity.latest_start
    ):
        eligible = False
        reasons.append(
            FitReason(
                "starts_too_late",
                {
                    "available_from": candidate.available_from.isoformat(),
                    "latest_start": opportunity.latest_start.isoformat(),
                },
            )
        )
    if opportunity.places_left <= 0:
        eligible = False
        reasons.append(FitReason("no_places_left"))
    return FitExplanation(candidate.id, opportunity.id, score, eligible, parts, [r.as_dict() for r in reasons])
