"""Top-k retrieval over a pool by sparse matrix products: never a Python loop over pairs.

One candidate against every opportunity is one sparse row times the opportunity matrices'
transposes (done as a gather and ``bincount`` over the CSR arrays, the same product without
SciPy's per-call overhead), then a few NumPy operations over the opportunity axis; one opportunity against every
candidate is the mirror image. The batch scores a block of candidates against every opportunity
at once (a block of rows times the transposes) and keeps each row's best ``k``, block by block,
so memory stays at ``chunk x opportunities`` floats.

Scores equal :func:`~talentgate.engines.fit.explain.explain_fit` up to float32 rounding; an
ineligible pair (a hard constraint broken) is never returned. Ties keep the lower index first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from talentgate.engines.fit.arrays import FitArrays

__all__ = [
    "TopK",
    "batch_top_opportunities",
    "score_candidate_row",
    "score_opportunity_column",
    "top_candidates_for",
    "top_opportunities_for",
]


@dataclass(frozen=True)
class TopK:
    """Best matches of one query: row indices into the other side, their ids and scores, best first."""

    indices: np.ndarray
    ids: list[str]
    scores: np.ndarray


def _dense(product: sp.spmatrix) -> np.ndarray:
    return np.asarray(product.toarray(), dtype=np.float32)


def _combine(
    a: FitArrays,
    required: np.ndarray,
    optional: np.ndarray,
    occupation: np.ndarray,
    thresholds: np.ndarray,
    experience_years: np.ndarray | np.floating,
    policy: np.ndarray | np.floating,
    available_day: np.ndarray | np.integer,
    opp: slice | np.ndarray,
) -> np.ndarray:
    """Weighted score over broadcast candidate x opportunity shapes; -inf where a hard constraint fails.

    The per-opportunity factors (weights over counts, what an empty requirement is worth) are
    precomputed in :class:`FitArrays`, so this is a handful of float32 multiply-adds.
    """
    f = a.factors
    score = required * f.required_scale[opp]
    score += optional * f.optional_scale[opp]
    score += np.minimum(occupation, 1.0) * f.occupation_scale
    experience = np.minimum(experience_years * f.experience_inverse[opp] + f.experience_free[opp], 1.0)
    score += experience * f.experience_scale
    score += f.constant[opp]
    score += np.float32(f.policy_scale) * policy
    ineligible = thresholds < a.threshold_count[opp]
    ineligible |= available_day > a.latest_start_day[opp]
    ineligible |= f.closed[opp]
    score[ineligible] = -np.inf
    return score


def _row_counts(query: sp.csr_matrix, row: int, transposed: sp.csr_matrix) -> np.ndarray:
    """Row ``row`` of ``query`` times ``transposed``, for binary matrices: how many features each column shares.

    The same product as ``query[row] @ transposed`` without SciPy's per-call overhead, which
    dominates a single query: gather the columns listed under each feature and count them.
    """
    features = query.indices[query.indptr[row] : query.indptr[row + 1]]
    width = transposed.shape[1]
    if features.size == 0:
        return np.zeros(width, dtype=np.float32)
    starts, ends = transposed.indptr[features], transposed.indptr[features + 1]
    hits = np.concatenate([transposed.indices[b:e] for b, e in zip(starts, ends, strict=True)])
    return np.bincount(hits, minlength=width).astype(np.float32)


def score_candidate_row(a: FitArrays, candidate: int) -> np.ndarray:
    """Scores of one candidate against every opportunity (-inf where ineligible)."""
    return _combine(
        a,
        _row_counts(a.candidate_skills, candidate, a.required_t),
        _row_counts(a.candidate_skills, candidate, a.optional_t),
        _row_counts(a.candidate_occupations, candidate, a.occupations_t),
        _row_counts(a.candidate_thresholds, candidate, a.thresholds_t),
        a.experience_years[candidate],
        a.policy_score[candidate],
        a.available_day[candidate],
        slice(None),
    )


def score_opportunity_column(a: FitArrays, opportunity: int) -> np.ndarray:
    """Scores of every candidate against one opportunity (-inf where ineligible)."""
    index = np.array([opportunity])
    return _combine(
        a,
        _row_counts(a.required, opportunity, a.candidate_skills_t),
        _row_counts(a.optional, opportunity, a.candidate_skills_t),
        _row_counts(a.occupations, opportunity, a.candidate_occupations_t),
        _row_counts(a.thresholds, opportunity, a.candidate_thresholds_t),
        a.experience_years,
        a.policy_score,
        a.available_day,
        index,
    )


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    eligible = np.flatnonzero(np.isfinite(scores))
    if eligible.size > k:
        part = np.argpartition(-scores[eligible], k - 1)[:k]
        eligible = eligible[part]
    order = np.lexsort((eligible, -scores[eligible]))
    return eligible[order]


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k: must be at least 1, not {k}")


def top_opportunities_for(a: FitArrays, candidate: int, k: int = 20) -> TopK:
    """The ``k`` best eligible opportunities for candidate row ``candidate``, best first."""
    _check_k(k)
    scores = score_candidate_row(a, candidate)
    best = _top(scores, k)
    return TopK(best, [a.opportunity_ids[i] for i in best], scores[best])


def top_candidates_for(a: FitArrays, opportunity: int, k: int = 20) -> TopK:
    """The ``k`` best eligible candidates for opportunity row ``opportunity``, best first."""
    _check_k(k)
    scores = score_opportunity_column(a, opportunity)
    best = _top(scores, k)
    return TopK(best, [a.candidate_ids[i] for i in best], scores[best])


def batch_top_opportunities(a: FitArrays, k: int = 20, chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate's ``k`` best eligible opportunities: (indices, scores), each candidates x k, best first.

    Missing places (fewer than ``k`` eligible) hold index -1 and score -inf.
    """
    _check_k(k)
    n_candidates, n_opportunities = len(a.candidate_ids), len(a.opportunity_ids)
    k_eff = min(k, n_opportunities)
    indices = np.full((n_candidates, k), -1, dtype=np.int32)
    scores = np.full((n_candidates, k), -np.inf, dtype=np.float32)
    everything = slice(None)
    for start in range(0, n_candidates, chunk):
        rows = slice(start, min(start + chunk, n_candidates))
        skills = a.candidate_skills[rows]
        block = _combine(
            a,
            _dense(skills @ a.required_t),
            _dense(skills @ a.optional_t),
            _dense(a.candidate_occupations[rows] @ a.occupations_t),
            _dense(a.candidate_thresholds[rows] @ a.thresholds_t),
            a.experience_years[rows, None],
            a.policy_score[rows, None],
            a.available_day[rows, None],
            everything,
        )
        if k_eff < n_opportunities:
            part = np.argpartition(-block, k_eff - 1, axis=1)[:, :k_eff]
        else:
            part = np.broadcast_to(np.arange(n_opportunities), block.shape).copy()
        part_scores = np.take_along_axis(block, part, axis=1)
        # Best first, lower index first on ties: sort by index, then stably by score.
        by_index = np.argsort(part, axis=1, kind="stable")
        part = np.take_along_axis(part, by_index, axis=1)
        part_scores = np.take_along_axis(part_scores, by_index, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        part = np.take_along_axis(part, order, axis=1)
        part_scores = np.take_along_axis(part_scores, order, axis=1)
        finite = np.isfinite(part_scores)
        indices[rows, :k_eff] = np.where(finite, part, -1)
        scores[rows, :k_eff] = part_scores
    return indices, scores
