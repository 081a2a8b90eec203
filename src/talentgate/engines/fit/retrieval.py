"""Top-k retrieval over a pool by sparse matrix products: never a Python loop over pairs.

One candidate against every opportunity is the candidate's sparse skill row times the weighted
skill matrix (done as a gather and weighted ``bincount`` over the CSR arrays: the same product
without SciPy's per-call overhead, which dominates a single query), the occupations it shares
marked the same way, then a few NumPy operations over the opportunity axis for experience, the
policy score and the hard constraints. One opportunity against every candidate is the mirror
image. The batch scores a block of candidates against every opportunity at once (the skill part
as one sparse x dense product per block) and a compiled loop (numba) adds the per-pair terms,
applies the hard constraints and keeps each row's best ``k``, block by block, so memory stays at
``chunk x opportunities`` floats.

Scores equal :func:`~talentgate.engines.fit.explain.explain_fit` up to float32 rounding; an
ineligible pair (a hard constraint broken) is never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
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


def _gather(query: sp.csr_matrix, row: int, transposed: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Columns (and their weights) listed under each feature of ``query[row]`` in ``transposed``."""
    features = query.indices[query.indptr[row] : query.indptr[row + 1]]
    if features.size == 0:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
    starts, ends = transposed.indptr[features], transposed.indptr[features + 1]
    slices = [slice(b, e) for b, e in zip(starts, ends, strict=True)]
    columns = np.concatenate([transposed.indices[s] for s in slices])
    weights = np.concatenate([transposed.data[s] for s in slices])
    return columns, weights


def _eligible_for_candidate(a: FitArrays, candidate: int) -> np.ndarray:
    levels = a.candidate_language_levels[candidate]
    ok = np.all(levels[a.required_language] >= a.required_level, axis=1)
    ok &= a.candidate_degree[candidate] >= a.min_degree
    ok &= a.available_day[candidate] <= a.latest_start_day
    ok &= ~a.closed
    return ok


def score_candidate_row(a: FitArrays, candidate: int) -> np.ndarray:
    """Scores of one candidate against every opportunity (-inf where ineligible)."""
    n = len(a.opportunity_ids)
    columns, weights = _gather(a.candidate_skills, candidate, a.skill_weights_t)
    score = np.bincount(columns, weights=weights, minlength=n).astype(np.float32)
    shared_occupation, _ = _gather(a.candidate_occupations, candidate, a.occupations_t)
    occupation = np.zeros(n, dtype=bool)
    occupation[shared_occupation] = True
    score += occupation * a.occupation_scale
    experience = np.minimum(a.experience_years[candidate] * a.experience_inverse + a.experience_free, 1.0)
    score += experience * a.experience_scale
    score += a.constant
    score += a.policy_scale * a.policy_score[candidate]
    score[~_eligible_for_candidate(a, candidate)] = -np.inf
    return score


def score_opportunity_column(a: FitArrays, opportunity: int) -> np.ndarray:
    """Scores of every candidate against one opportunity (-inf where ineligible)."""
    n = len(a.candidate_ids)
    skills = a.skill_weights.indices[a.skill_weights.indptr[opportunity] : a.skill_weights.indptr[opportunity + 1]]
    skill_weight = a.skill_weights.data[a.skill_weights.indptr[opportunity] : a.skill_weights.indptr[opportunity + 1]]
    t = a.candidate_skills_t
    pieces = [t.indices[t.indptr[s] : t.indptr[s + 1]] for s in skills]
    if pieces:
        rows = np.concatenate(pieces)
        per_row = np.repeat(skill_weight, [p.size for p in pieces])
        score = np.bincount(rows, weights=per_row, minlength=n).astype(np.float32)
    else:
        score = np.zeros(n, dtype=np.float32)
    shared, _ = _gather(a.occupations, opportunity, a.candidate_occupations_t)
    occupation = np.zeros(n, dtype=bool)
    occupation[shared] = True
    score += occupation * a.occupation_scale
    experience = np.minimum(
        a.experience_years * a.experience_inverse[opportunity] + a.experience_free[opportunity], 1.0
    )
    score += experience * a.experience_scale
    score += a.constant[opportunity]
    score += a.policy_scale * a.policy_score
    levels = a.candidate_language_levels[:, a.required_language[opportunity]]
    ok = np.all(levels >= a.required_level[opportunity], axis=1)
    ok &= a.candidate_degree >= a.min_degree[opportunity]
    ok &= a.available_day <= a.latest_start_day[opportunity]
    if a.closed[opportunity]:
        ok[:] = False
    score[~ok] = -np.inf
    return score


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    eligible = np.flatnonzero(scores > -np.inf)
    if eligible.size > k:
        part = np.argpartition(-scores[eligible], k - 1)[:k]
        eligible = eligible[part]
    order = np.lexsort((eligible, -scores[eligible]))
    return eligible[order]


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k: must be at least 1, not {k}")


def top_opportunities_for(a: FitArrays, candidate: int, k: int = 20) -> TopK:
    """The ``k`` best eligible opportunities for candidate row ``candidate``, best first (lower index on ties)."""
    _check_k(k)
    scores = score_candidate_row(a, candidate)
    best = _top(scores, k)
    return TopK(best, [a.opportunity_ids[i] for i in best], scores[best])


def top_candidates_for(a: FitArrays, opportunity: int, k: int = 20) -> TopK:
    """The ``k`` best eligible candidates for opportunity row ``opportunity``, best first (lower index on ties)."""
    _check_k(k)
    scores = score_opportunity_column(a, opportunity)
    best = _top(scores, k)
    return TopK(best, [a.candidate_ids[i] for i in best], scores[best])


@numba.njit(cache=True, nogil=True)
def _batch_kernel(  # pragma: no cover - compiled; covered through batch_top_opportunities
    first_row: int,
    last_row: int,
    skill_indptr: np.ndarray,
    skill_indices: np.ndarray,
    weights_indptr: np.ndarray,
    weights_indices: np.ndarray,
    weights_data: np.ndarray,
    occupation_indptr: np.ndarray,
    occupation_indices: np.ndarray,
    occupations_t_indptr: np.ndarray,
    occupations_t_indices: np.ndarray,
    occupation_scale: float,
    experience_years: np.ndarray,
    policy_part: np.ndarray,
    available_day: np.ndarray,
    degree: np.ndarray,
    levels: np.ndarray,
    experience_inverse: np.ndarray,
    experience_free: np.ndarray,
    experience_scale: float,
    constant: np.ndarray,
    latest_start_day: np.ndarray,
    min_degree: np.ndarray,
    closed: np.ndarray,
    required_language: np.ndarray,
    required_level: np.ndarray,
    k: int,
    out_indices: np.ndarray,
    out_scores: np.ndarray,
) -> None:
    """Score candidate rows ``first_row``..``last_row`` against every opportunity and keep each row's best ``k``.

    Per row: the skill part is the candidate's CSR row times the weighted skill matrix, done as a
    scatter-add of the opportunities listed under each of its skills (the sparse product, row by
    row); shared occupations add their weight once; then one pass over the opportunities adds
    the per-pair terms, skips ineligible pairs and keeps a sorted best ``k`` (ties: lower index
    first). One row buffer of opportunities, no other temporaries.
    """
    n_cols = constant.shape[0]
    slots = required_language.shape[1]
    row_score = np.zeros(n_cols, dtype=np.float32)
    occupation_stamp = np.full(n_cols, -1, dtype=np.int64)
    for i in range(first_row, last_row):
        row_score[:] = 0.0
        for p in range(skill_indptr[i], skill_indptr[i + 1]):
            skill = skill_indices[p]
            for q in range(weights_indptr[skill], weights_indptr[skill + 1]):
                row_score[weights_indices[q]] += weights_data[q]
        for p in range(occupation_indptr[i], occupation_indptr[i + 1]):
            occupation = occupation_indices[p]
            for q in range(occupations_t_indptr[occupation], occupations_t_indptr[occupation + 1]):
                j = occupations_t_indices[q]
                if occupation_stamp[j] != i:
                    occupation_stamp[j] = i
                    row_score[j] += occupation_scale
        out = i - first_row
        count = 0
        for j in range(n_cols):
            if closed[j] or available_day[i] > latest_start_day[j] or degree[i] < min_degree[j]:
                continue
            ok = True
            for s in range(slots):
                if levels[i, required_language[j, s]] < required_level[j, s]:
                    ok = False
                    break
            if not ok:
                continue
            experience = experience_years[i] * experience_inverse[j] + experience_free[j]
            if experience > 1.0:
                experience = 1.0
            value = row_score[j] + experience * experience_scale + constant[j] + policy_part[i]
            if count == k and value <= out_scores[out, k - 1]:
                continue
            # Insert into the row's sorted best-k (only a strictly greater value moves up, so earlier j wins ties).
            position = count if count < k else k - 1
            while position > 0 and out_scores[out, position - 1] < value:
                out_scores[out, position] = out_scores[out, position - 1]
                out_indices[out, position] = out_indices[out, position - 1]
                position -= 1
            out_scores[out, position] = value
            out_indices[out, position] = j
            if count < k:
                count += 1


def batch_top_opportunities(a: FitArrays, k: int = 20, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate's ``k`` best eligible opportunities: (indices, scores), each candidates x k, best first.

    Missing places (fewer than ``k`` eligible) hold index -1 and score -inf. Ties keep the lower
    opportunity index first. ``chunk`` rows are scored per compiled call.
    """
    _check_k(k)
    n_candidates = len(a.candidate_ids)
    indices = np.full((n_candidates, k), -1, dtype=np.int32)
    scores = np.full((n_candidates, k), -np.inf, dtype=np.float32)
    policy_part = (a.policy_scale * a.policy_score).astype(np.float32)
    skills, weights_t = a.candidate_skills, a.skill_weights_t
    occupations, occupations_t = a.candidate_occupations, a.occupations_t
    for start in range(0, n_candidates, chunk):
        stop = min(start + chunk, n_candidates)
        _batch_kernel(
            start,
            stop,
            skills.indptr,
            skills.indices,
            weights_t.indptr,
            weights_t.indices,
            weights_t.data,
            occupations.indptr,
            occupations.indices,
            occupations_t.indptr,
            occupations_t.indices,
            float(a.occupation_scale),
            a.experience_years,
            policy_part,
            a.available_day,
            a.candidate_degree,
            a.candidate_language_levels,
            a.experience_inverse,
            a.experience_free,
            float(a.experience_scale),
            a.constant,
            a.latest_start_day,
            a.min_degree,
            a.closed,
            a.required_language,
            a.required_level,
            k,
            indices[start:stop],
            scores[start:stop],
        )
    return indices, scores
