"""A pool of candidates and opportunities encoded as SciPy CSR matrices and NumPy arrays for the vectorised fit.

Skills and occupations become binary rows over a shared vocabulary. The skill part of the score
is linear in the skills a pair shares, so the required and desirable skills of every opportunity
are folded into one weighted matrix (``skill_weights_t``, skills x opportunities, each entry the
weight of that skill for that opportunity): one sparse product gives a candidate's skill score
against every opportunity. Hard requirements are small dense arrays: each opportunity's required
languages as (language index, CEFR level) slots, its minimum degree, its latest start and its
places; each candidate's language levels as a dense row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from talentgate.engines.fit.model import CandidateProfile, FitWeights, Opportunity

__all__ = ["FitArrays", "encode_pool"]

_MAX_CEFR = 6
_NO_DATE_EARLY = np.iinfo(np.int32).min
_NO_DATE_LATE = np.iinfo(np.int32).max


@dataclass
class FitArrays:
    """Both sides of a pool in matrix form; rows follow the order of the inputs to :func:`encode_pool`.

    With ``W`` the weights' total, a pair scores::

        sum of skill_weights over shared skills
        + occupation_scale if an occupation is shared
        + min(experience_years * experience_inverse + experience_free, 1) * experience_scale
        + policy_score * policy_scale + constant

    where an empty requirement (no skills listed, no occupation, no minimum experience) is worth
    its full weight through ``constant`` and ``experience_free``; and is eligible when every
    language slot, the degree, the dates and the places allow it.
    """

    candidate_ids: list[str]
    opportunity_ids: list[str]
    skill_vocabulary: list[str]
    candidate_skills: sp.csr_matrix  # candidates x skills, 1.0 where held
    candidate_skills_t: sp.csr_matrix  # skills x candidates
    candidate_occupations: sp.csr_matrix
    candidate_occupations_t: sp.csr_matrix
    skill_weights: sp.csr_matrix  # opportunities x skills, weighted
    skill_weights_t: sp.csr_matrix  # skills x opportunities, weighted
    occupations: sp.csr_matrix  # opportunities x occupations
    occupations_t: sp.csr_matrix
    candidate_language_levels: np.ndarray  # candidates x (languages + 1), int8; last column always 0
    required_language: np.ndarray  # opportunities x slots, language column (the last = none required)
    required_level: np.ndarray  # opportunities x slots, int8 (0 for an empty slot)
    candidate_degree: np.ndarray  # int8
    min_degree: np.ndarray  # int8
    available_day: np.ndarray  # date ordinal, int32 min when unknown (available)
    latest_start_day: np.ndarray  # date ordinal, int32 max when open-ended
    closed: np.ndarray  # bool, no places left
    experience_years: np.ndarray  # float32 per candidate
    policy_score: np.ndarray  # float32 per candidate, clipped to 0-1
    experience_inverse: np.ndarray  # float32 per opportunity (0 when no minimum)
    experience_free: np.ndarray  # float32 per opportunity (1 when no minimum)
    constant: np.ndarray  # float32 per opportunity
    occupation_scale: np.float32
    experience_scale: np.float32
    policy_scale: np.float32
    weights: FitWeights


def _binary_rows(rows: Sequence[Sequence[int]], width: int) -> sp.csr_matrix:
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(indices.size, dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def _day(value: dt.date | None, default: int) -> int:
    return value.toordinal() if value is not None else default


def _check_level(where: str, level: int) -> None:
    if not 0 <= level <= _MAX_CEFR:
        raise ValueError(f"{where}: CEFR level must be 0-{_MAX_CEFR} (A1=1 ... C2=6), not {level}")


def encode_pool(
    candidates: Sequence[CandidateProfile], opportunities: Sequence[Opportunity], weights: FitWeights | None = None
) -> FitArrays:
    """Encode a pool once; queries and batches then run on the matrices only.

    Raises ValueError naming the record and field for a CEFR level outside 0-6 or a negative
    minimum experience.
    """
    weights = weights or FitWeights()
    skills: dict[str, int] = {}
    occupations: dict[str, int] = {}
    languages: dict[str, int] = {}

    def ids(values: Sequence[str], vocabulary: dict[str, int]) -> list[int]:
        return [vocabulary.setdefault(v, len(vocabulary)) for v in dict.fromkeys(values)]

    for profile in candidates:
        for code, level in profile.languages.items():
            _check_level(f"candidate {profile.id}: languages.{code}", level)
            languages.setdefault(code, len(languages))
    for opportunity in opportunities:
        for code, level in opportunity.required_languages.items():
            _check_level(f"opportunity {opportunity.id}: required_languages.{code}", level)
            languages.setdefault(code, len(languages))
        if opportunity.min_experience_years < 0:
            raise ValueError(f"opportunity {opportunity.id}: min_experience_years: must not be negative")

    c_skill_rows = [ids(c.skills, skills) for c in candidates]
    c_occ_rows = [ids(c.occupations, occupations) for c in candidates]
    req_rows = [ids(o.required_skills, skills) for o in opportunities]
    opt_rows = [ids(o.optional_skills, skills) for o in opportunities]
    occ_rows = [ids(o.occupations, occupations) for o in opportunities]
    n_skills = len(skills)
    c_skills = _binary_rows(c_skill_rows, n_skills)
    c_occ = _binary_rows(c_occ_rows, len(occupations))
    o_occ = _binary_rows(occ_rows, len(occupations))

    total = weights.total
    w_req, w_opt, w_occ = weights.required_skills / total, weights.optional_skills / total, weights.occupation / total
    required_count = np.array([len(r) for r in req_rows], dtype=np.float64)
    optional_count = np.array([len(r) for r in opt_rows], dtype=np.float64)
    required = _binary_rows(req_rows, n_skills).multiply((w_req / np.maximum(required_count, 1.0))[:, None])
    optional = _binary_rows(opt_rows, n_skills).multiply((w_opt / np.maximum(optional_count, 1.0))[:, None])
    # A skill both required and desirable is worth both weights: the sum keeps the two parts additive.
    skill_weights = sp.csr_matrix(required + optional, dtype=np.float32)

    n_languages = len(languages)
    levels = np.zeros((len(candidates), n_languages + 1), dtype=np.int8)
    for i, profile in enumerate(candidates):
        for code, level in profile.languages.items():
            levels[i, languages[code]] = level
    slots = max((len(o.required_languages) for o in opportunities), default=0) or 1
    required_language = np.full((len(opportunities), slots), n_languages, dtype=np.int32)
    required_level = np.zeros((len(opportunities), slots), dtype=np.int8)
    for j, opportunity in enumerate(opportunities):
        for slot, (code, level) in enumerate(sorted(opportunity.required_languages.items())):
            required_language[j, slot] = languages[code]
            required_level[j, slot] = level

    min_experience = np.array([o.min_experience_years for o in opportunities], dtype=np.float64)
    has_minimum = min_experience > 0
    occupation_count = np.diff(o_occ.indptr)
    constant = w_req * (required_count == 0) + w_opt * (optional_count == 0) + w_occ * (occupation_count == 0)
    return FitArrays(
        candidate_ids=[c.id for c in candidates],
        opportunity_ids=[o.id for o in opportunities],
        skill_vocabulary=list(skills),
        candidate_skills=c_skills,
        candidate_skills_t=c_skills.T.tocsr(),
        candidate_occupations=c_occ,
        candidate_occupations_t=c_occ.T.tocsr(),
        skill_weights=skill_weights,
        skill_weights_t=skill_weights.T.tocsr(),
        occupations=o_occ,
        occupations_t=o_occ.T.tocsr(),
        candidate_language_levels=levels,
        required_language=required_language,
        required_level=required_level,
        candidate_degree=np.array([c.degree_level for c in candidates], dtype=np.int8),
        min_degree=np.array([o.min_degree_level for o in opportunities], dtype=np.int8),
        available_day=np.array([_day(c.available_from, _NO_DATE_EARLY) for c in candidates], dtype=np.int32),
        latest_start_day=np.array([_day(o.latest_start, _NO_DATE_LATE) for o in opportunities], dtype=np.int32),
        closed=np.array([o.places_left <= 0 for o in opportunities], dtype=bool),
        experience_years=np.array([c.experience_years for c in candidates], dtype=np.float32),
        policy_score=np.clip(np.array([c.policy_score for c in candidates], dtype=np.float32), 0.0, 1.0),
        experience_inverse=np.where(has_minimum, 1.0 / np.where(has_minimum, min_experience, 1.0), 0.0).astype(
            np.float32
        ),
        experience_free=(~has_minimum).astype(np.float32),
        constant=constant.astype(np.float32),
        occupation_scale=np.float32(w_occ),
        experience_scale=np.float32(weights.experience / total),
        policy_scale=np.float32(weights.policy_score / total),
        weights=weights,
    )
