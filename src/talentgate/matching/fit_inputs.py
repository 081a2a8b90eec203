"""Fit-engine inputs built from the platform's records: canonical candidate profiles and opportunities' requirements.

The fit engine is framework-free; this module is the one place that reads Django rows into its
plain dataclasses (:class:`talentgate.engines.fit.CandidateProfile` and ``Opportunity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from talentgate.engines import fit
from talentgate.engines.rules.derive import cefr_code, cefr_from_scores

# Overall scores of these tests have a CEFR alignment in the rules engine's language tables.
_CEFR_SCALE_OF_TEST = {"ielts_academic": "ielts_overall", "ielts_general": "ielts_overall"}


def _test_cefr(test: Any) -> int:
    """A language test's CEFR level (0-6): the certified level where given, else the overall score's alignment."""
    try:
        if test.level:
            return cefr_code(test.level)
    except ValueError:
        return 0  # a non-CEFR level (JLPT, HSK...) says nothing about CEFR here
    scale = _CEFR_SCALE_OF_TEST.get(str(test.test))
    overall = test.overall
    if scale is None:
        return 0
    if overall is None:
        parts = [test.listening, test.reading, test.writing, test.speaking]
        if any(p is None for p in parts):
            return 0
        overall = round(sum(parts) / 4 * 2) / 2  # IELTS rounds the mean to the nearest half band
    try:
        return int(cefr_from_scores(scale, np.array([overall]))[0])
    except ValueError:
        return 0


def _experience_years(profile: Any, today: dt.date) -> float:
    days = 0
    for job in profile.work_history:
        end = job.end_date or today
        if end > job.start_date:
            days += (end - job.start_date).days * min(job.hours_per_week, 40.0) / 40.0
    return round(days / 365.25, 2)


def candidate_input(profile: Any, policy_score: float, today: dt.date | None = None) -> fit.CandidateProfile:
    """A canonical profile as the fit engine reads it; ``policy_score`` already scaled to 0-1."""
    today = today or dt.date.today()
    languages: dict[str, int] = {}
    for test in profile.language_tests:
        if test.language:
            languages[str(test.language)] = max(languages.get(str(test.language), 0), _test_cefr(test))
    return fit.CandidateProfile(
        id=profile.id,
        occupations=tuple(str(j.esco_occupation_uri) for j in profile.work_history if j.esco_occupation_uri),
        skills=tuple(str(s.esco_skill_uri) for s in profile.skills if s.esco_skill_uri),
        experience_years=_experience_years(profile, today),
        languages=languages,
        degree_level=max((e.level for e in profile.education), default=0),
        policy_score=float(min(max(policy_score, 0.0), 1.0)),
    )


def opportunity_input(opportunity: Any, accepted_offers: int = 0) -> fit.Opportunity:
    """An opportunity's requirements (prefetch ``skills``, ``occupations``, ``languages``) as the fit engine reads them."""
    skills = list(opportunity.skills.all())
    return fit.Opportunity(
        id=str(opportunity.pk),
        occupations=tuple(o.esco_uri for o in opportunity.occupations.all() if o.esco_uri),
        required_skills=tuple(s.esco_uri for s in skills if s.essential),
        optional_skills=tuple(s.esco_uri for s in skills if not s.essential),
        min_experience_years=float(opportunity.min_experience_years or 0),
        required_languages={lang.language: cefr_code(lang.min_level) for lang in opportunity.languages.all()},
        min_degree_level=int(opportunity.min_education_level or 0),
        places_left=max(int(opportunity.capacity) - accepted_offers, 0),
    )


def labels_of(opportunities: Sequence[Any]) -> Mapping[str, str]:
    """ESCO URI -> label for the reasons, from the opportunities' own requirement rows."""
    labels: dict[str, str] = {}
    for opportunity in opportunities:
        for row in [*opportunity.skills.all(), *opportunity.occupations.all()]:
            labels[row.esco_uri] = row.label
    return labels
