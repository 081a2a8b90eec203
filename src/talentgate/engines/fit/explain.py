"""The fit of one candidate to one opportunity, computed directly from the dataclasses, with reasons in words.

This is the reference the vectorised scorer (:mod:`talentgate.engines.fit.retrieval`) must agree with.

>>> from talentgate.engines.fit.model import CandidateProfile, Opportunity
>>> c = CandidateProfile("ana", skills=("gnc", "c++"), languages={"ru": 2}, experience_years=4)
>>> o = Opportunity("lab", required_skills=("gnc", "kalman"), required_languages={"ru": 3}, min_experience_years=2)
>>> fit = explain_fit(c, o, labels={"gnc": "GNC", "kalman": "Kalman filtering"})
>>> fit.eligible, fit.reasons[0], fit.reasons[-1]
(False, 'matches 1 of 2 required skills: GNC; missing: Kalman filtering', 'Russian B1 required, candidate has A2')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from talentgate.engines.fit.model import CandidateProfile, FitWeights, Opportunity, cefr_name, degree_name

__all__ = ["LANGUAGE_NAMES", "FitExplanation", "explain_fit"]

LANGUAGE_NAMES = {
    "ru": "Russian", "en": "English", "de": "German", "fr": "French", "es": "Spanish", "zh": "Chinese",
    "ar": "Arabic", "kk": "Kazakh", "hi": "Hindi", "pt": "Portuguese", "it": "Italian", "ja": "Japanese",
}  # fmt: skip


@dataclass
class FitExplanation:
    """A pair's score (0-1), whether every hard constraint holds, its parts, and the reasons in words."""

    candidate_id: str
    opportunity_id: str
    score: float
    eligible: bool
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


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
    reasons: list[str] = []

    required, matched, missing = _coverage(skills, opportunity.required_skills)
    if opportunity.required_skills:
        text = f"matches {len(matched)} of {len(matched) + len(missing)} required skills"
        if matched:
            text += ": " + ", ".join(name(s) for s in matched)
        if missing:
            text += "; missing: " + ", ".join(name(s) for s in missing)
        reasons.append(text)
    optional, optional_matched, _ = _coverage(skills, opportunity.optional_skills)
    if opportunity.optional_skills:
        reasons.append(f"has {len(optional_matched)} of {len(set(opportunity.optional_skills))} desirable skills")

    if opportunity.occupations:
        shared = [o for o in dict.fromkeys(opportunity.occupations) if o in set(candidate.occupations)]
        occupation = 1.0 if shared else 0.0
        reasons.append(f"occupation matches: {name(shared[0])}" if shared else "occupation differs from the one sought")
    else:
        occupation = 1.0

    if opportunity.min_experience_years > 0:
        experience = min(1.0, candidate.experience_years / opportunity.min_experience_years)
        reasons.append(
            f"{candidate.experience_years:g} years of experience, {opportunity.min_experience_years:g} sought"
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
            language = LANGUAGE_NAMES.get(code, code)
            reasons.append(f"{language} {cefr_name(level)} required, candidate has {cefr_name(has)}")
    if candidate.degree_level < opportunity.min_degree_level:
        eligible = False
        reasons.append(
            f"{degree_name(opportunity.min_degree_level)} degree required, candidate has {degree_name(candidate.degree_level)}"
        )
    if (
        candidate.available_from is not None
        and opportunity.latest_start is not None
        and candidate.available_from > opportunity.latest_start
    ):
        eligible = False
        reasons.append(
            f"available from {candidate.available_from.isoformat()}, after the latest start {opportunity.latest_start.isoformat()}"
        )
    if opportunity.places_left <= 0:
        eligible = False
        reasons.append("no places left")
    return FitExplanation(candidate.id, opportunity.id, score, eligible, parts, reasons)
