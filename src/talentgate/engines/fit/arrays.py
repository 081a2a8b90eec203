"""A pool of candidates and opportunities encoded as SciPy CSR matrices and NumPy arrays for the vectorised fit.

Skills and occupations become binary rows over a shared vocabulary. Hard requirements on
languages and degrees become threshold features ("Russian at least B1", "degree at least
master"): a candidate row has every threshold it reaches, an opportunity row the thresholds it
requires, so one sparse product counts the requirements met and a pair is eligible when the
count equals the number required. Dates and places are per-row arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from talentgate.engines.fit.model import CandidateProfile, FitWeights, Opportunity

__all__ = ["FitArrays", "ScoreFactors", "encode_pool"]

_MAX_CEFR = 6
_MAX_DEGREE = 8
_NO_DATE_EARLY = np.iinfo(np.int32).min
_NO_DATE_LATE = np.iinfo(np.int32).max


@dataclass
class ScoreFactors:
    """Per-opportunity factors of the weighted score, precomputed once (float32).

    With ``W`` the weights' total, a pair scores::

        required_matched * required_scale + optional_matched * optional_scale
        + min(occupations_shared, 1) * occupation_scale
        + min(experience_years * experience_inverse + experience_free, 1) * experience_scale
        + policy_score * policy_scale + constant

    where an empty requirement (no skills listed, no occupation, no minimum experience) is worth
    its full weight through ``constant`` and ``experience_free``.
    """

    required_scale: np.ndarray
    optional_scale: np.ndarray
    experience_inverse: np.ndarray
    experience_free: np.ndarray
    constant: np.ndarray
    closed: np.ndarray  # no places left
    occupation_scale: np.float32
    experience_scale: np.float32
    policy_scale: np.float32

    @classmethod
    def build(
        cls,
        weights: FitWeights,
        required_count: np.ndarray,
        optional_count: np.ndarray,
        occupation_count: np.ndarray,
        min_experience_years: np.ndarray,
        places_left: np.ndarray,
    ) -> ScoreFactors:
        total = weights.total
        w_req, w_opt, w_occ = (
            weights.required_skills / total,
            weights.optional_skills / total,
            weights.occupation / total,
        )
        has_minimum = min_experience_years > 0
        constant = w_req * (required_count == 0) + w_opt * (optional_count == 0) + w_occ * (occupation_count == 0)
        return cls(
            required_scale=(w_req / np.maximum(required_count, 1.0)).astype(np.float32),
            optional_scale=(w_opt / np.maximum(optional_count, 1.0)).astype(np.float32),
            experience_inverse=np.where(
                has_minimum, 1.0 / np.where(has_minimum, min_experience_years, 1.0), 0.0
            ).astype(np.float32),
            experience_free=(~has_minimum).astype(np.float32),
            constant=constant.astype(np.float32),
            closed=places_left <= 0,
            occupation_scale=np.float32(w_occ),
            experience_scale=np.float32(weights.experience / total),
            policy_scale=np.float32(weights.policy_score / total),
        )


@dataclass
class FitArrays:
    """Both sides of a pool in matrix form; rows follow the order of the inputs to :func:`encode_pool`."""

    candidate_ids: list[str]
    opportunity_ids: list[str]
    skill_vocabulary: list[str]
    candidate_skills: sp.csr_matrix  # candidates x skills, 1.0 where held
    candidate_skills_t: sp.csr_matrix  # skills x candidates
    candidate_occupations: sp.csr_matrix
    candidate_occupations_t: sp.csr_matrix
    candidate_thresholds: sp.csr_matrix  # candidates x threshold features reached
    candidate_thresholds_t: sp.csr_matrix
    required_t: sp.csr_matrix  # skills x opportunities, required skills
    optional_t: sp.csr_matrix
    occupations_t: sp.csr_matrix
    thresholds_t: sp.csr_matrix  # threshold features x opportunities, required thresholds
    required: sp.csr_matrix  # opportunities x skills
    optional: sp.csr_matrix
    occupations: sp.csr_matrix
    thresholds: sp.csr_matrix
    required_count: np.ndarray  # per opportunity
    optional_count: np.ndarray
    occupation_count: np.ndarray
    threshold_count: np.ndarray
    min_experience_years: np.ndarray
    latest_start_day: np.ndarray  # date ordinal, int32 max when open-ended
    places_left: np.ndarray
    experience_years: np.ndarray  # per candidate
    policy_score: np.ndarray
    available_day: np.ndarray  # date ordinal, int32 min when unknown (available)
    weights: FitWeights
    factors: ScoreFactors


def _binary_rows(rows: Sequence[Sequence[int]], width: int) -> sp.csr_matrix:
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(indices.size, dtype=np.float32)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # a skill listed twice still counts once
    return matrix


def _day(value: dt.date | None, default: int) -> int:
    return value.toordinal() if value is not None else default


def encode_pool(
    candidates: Sequence[CandidateProfile], opportunities: Sequence[Opportunity], weights: FitWeights | None = None
) -> FitArrays:
    """Encode a pool once; queries and batches then run on the matrices only."""
    skills: dict[str, int] = {}
    occupations: dict[str, int] = {}
    languages: dict[str, int] = {}

    def ids(values: Sequence[str], vocabulary: dict[str, int]) -> list[int]:
        return [vocabulary.setdefault(v, len(vocabulary)) for v in dict.fromkeys(values)]

    def language_feature(code: str, level: int) -> int:
        return languages.setdefault(code, len(languages)) * _MAX_CEFR + (level - 1)

    cand_skill_rows = [ids(c.skills, skills) for c in candidates]
    cand_occ_rows = [ids(c.occupations, occupations) for c in candidates]
    req_rows = [ids(o.required_skills, skills) for o in opportunities]
    opt_rows = [ids(o.optional_skills, skills) for o in opportunities]
    occ_rows = [ids(o.occupations, occupations) for o in opportunities]
    for profile in candidates:
        for code, level in profile.languages.items():
            _check_level(f"candidate {profile.id}: languages.{code}", level, _MAX_CEFR)
    for opportunity in opportunities:
        for code, level in opportunity.required_languages.items():
            _check_level(f"opportunity {opportunity.id}: required_languages.{code}", level, _MAX_CEFR)
        if opportunity.min_experience_years < 0:
            raise ValueError(f"opportunity {opportunity.id}: min_experience_years: must not be negative")
    # Language features first (their count is known only after every code is seen), degrees after.
    cand_lang = [
        [language_feature(code, lv) for code, level in c.languages.items() for lv in range(1, level + 1)]
        for c in candidates
    ]
    opp_lang = [[language_feature(code, level) for code, level in o.required_languages.items()] for o in opportunities]
    degree_base = len(languages) * _MAX_CEFR
    cand_thresholds = [
        row + [degree_base + lv - 1 for lv in range(1, min(c.degree_level, _MAX_DEGREE) + 1)]
        for row, c in zip(cand_lang, candidates, strict=True)
    ]
    opp_thresholds = [
        row + ([degree_base + min(o.min_degree_level, _MAX_DEGREE) - 1] if o.min_degree_level > 0 else [])
        for row, o in zip(opp_lang, opportunities, strict=True)
    ]
    width_thresholds = degree_base + _MAX_DEGREE

    weights = weights or FitWeights()
    c_skills = _binary_rows(cand_skill_rows, len(skills))
    c_occ = _binary_rows(cand_occ_rows, len(occupations))
    c_thr = _binary_rows(cand_thresholds, width_thresholds)
    o_req = _binary_rows(req_rows, len(skills))
    o_opt = _binary_rows(opt_rows, len(skills))
    o_occ = _binary_rows(occ_rows, len(occupations))
    o_thr = _binary_rows(opp_thresholds, width_thresholds)
    min_experience = np.array([o.min_experience_years for o in opportunities], dtype=np.float32)
    places = np.array([o.places_left for o in opportunities], dtype=np.int32)
    counts = [np.diff(m.indptr).astype(np.float32) for m in (o_req, o_opt, o_occ, o_thr)]
    return FitArrays(
        candidate_ids=[c.id for c in candidates],
        opportunity_ids=[o.id for o in opportunities],
        skill_vocabulary=list(skills),
        candidate_skills=c_skills,
        candidate_skills_t=c_skills.T.tocsr(),
        candidate_occupations=c_occ,
        candidate_occupations_t=c_occ.T.tocsr(),
        candidate_thresholds=c_thr,
        candidate_thresholds_t=c_thr.T.tocsr(),
        required_t=o_req.T.tocsr(),
        optional_t=o_opt.T.tocsr(),
        occupations_t=o_occ.T.tocsr(),
        thresholds_t=o_thr.T.tocsr(),
        required=o_req,
        optional=o_opt,
        occupations=o_occ,
        thresholds=o_thr,
        required_count=counts[0],
        optional_count=counts[1],
        occupation_count=counts[2],
        threshold_count=counts[3],
        min_experience_years=min_experience,
        latest_start_day=np.array([_day(o.latest_start, _NO_DATE_LATE) for o in opportunities], dtype=np.int32),
        places_left=places,
        experience_years=np.array([c.experience_years for c in candidates], dtype=np.float32),
        policy_score=np.clip(np.array([c.policy_score for c in candidates], dtype=np.float32), 0.0, 1.0),
        available_day=np.array([_day(c.available_from, _NO_DATE_EARLY) for c in candidates], dtype=np.int32),
        weights=weights,
        factors=ScoreFactors.build(weights, counts[0], counts[1], counts[2], min_experience, places),
    )


def _check_level(where: str, level: int, maximum: int) -> None:
    if not 0 <= level <= maximum:
        raise ValueError(f"{where}: CEFR level must be 0-{maximum} (A1=1 ... C2=6), not {level}")
