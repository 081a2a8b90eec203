"""Seeded random allocation instances of any size, built with NumPy, for the benchmarks and tests.

Candidates rank ``ranks`` distinct positions drawn with a popularity skew (some positions are
wanted by many); each position ranks the candidates who ranked it by a shared quality score plus
a personal noise term, and leaves off a small share of them (unacceptable). Capacities are drawn so
that there are about ``seat_ratio`` seats per candidate. With ``couple_share > 0`` that share of
candidates is paired into couples whose ranking combines the members' own lists (pairs in order of
the sum of the two ranks), ending with two "one member only" pairs.

>>> inst = random_instance(1_000, 120, 8, couple_share=0.02, seed=3)
>>> (inst.n_candidates, inst.n_positions, inst.n_couples)
(1000, 120, 10)
>>> int(np.diff(inst.candidate_ptr).max())
8
"""

from __future__ import annotations

import numpy as np

from talentgate.engines.matching.instance import NO_POSITION, AllocationInstance

__all__ = ["random_instance"]


def _distinct_choices(rng: np.random.Generator, n_rows: int, ranks: int, weights_cdf: np.ndarray) -> np.ndarray:
    """``n_rows`` rows of ``ranks`` distinct positions drawn by popularity; order within a row is the ranking."""
    n_positions = len(weights_cdf)
    chosen = np.searchsorted(weights_cdf, rng.random((n_rows, ranks))).astype(np.int32)
    np.minimum(chosen, n_positions - 1, out=chosen)
    while True:
        order = np.argsort(chosen, axis=1, kind="stable")
        ordered = np.take_along_axis(chosen, order, axis=1)
        repeated_sorted = np.zeros_like(chosen, dtype=bool)
        repeated_sorted[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
        if not repeated_sorted.any():
            return chosen
        repeated = np.zeros_like(repeated_sorted)
        np.put_along_axis(repeated, order, repeated_sorted, axis=1)
        rows, cols = np.nonzero(repeated)
        # Redraw repeats uniformly so rows with a very popular position still finish quickly.
        chosen[rows, cols] = rng.integers(0, n_positions, size=len(rows), dtype=np.int32)


def random_instance(
    n_candidates: int,
    n_positions: int,
    ranks: int,
    *,
    couple_share: float = 0.0,
    seat_ratio: float = 0.9,
    unacceptable_share: float = 0.02,
    seed: int = 0,
) -> AllocationInstance:
    """A random instance as described in the module docstring (not validated: :func:`prepare` does that)."""
    if ranks > n_positions:
        raise ValueError("ranks must not exceed n_positions")
    rng = np.random.default_rng(seed)
    popularity = rng.pareto(2.0, n_positions) + 1.0
    cdf = np.cumsum(popularity)
    cdf /= cdf[-1]
    lists = _distinct_choices(rng, n_candidates, ranks, cdf)

    quality = rng.standard_normal(n_candidates)
    owner = np.repeat(np.arange(n_candidates, dtype=np.int32), ranks)
    position = lists.ravel()
    score = quality[owner] + 0.5 * rng.standard_normal(len(owner))
    keep = rng.random(len(owner)) >= unacceptable_share
    order = np.lexsort((-score[keep], position[keep]))
    position_candidates = owner[keep][order]
    position_ptr = np.zeros(n_positions + 1, dtype=np.int64)
    np.cumsum(np.bincount(position[keep], minlength=n_positions), out=position_ptr[1:])

    mean_capacity = max(seat_ratio * n_candidates / n_positions, 1.0)
    capacities = rng.integers(1, round(2 * mean_capacity) + 1, size=n_positions).astype(np.int32)

    n_couples = int(n_candidates * couple_share) // 2
    members = rng.permutation(n_candidates)[: 2 * n_couples].astype(np.int32).reshape(-1, 2)
    lengths = np.full(n_candidates, ranks, dtype=np.int64)
    lengths[members.ravel()] = 0
    candidate_ptr = np.zeros(n_candidates + 1, dtype=np.int64)
    np.cumsum(lengths, out=candidate_ptr[1:])
    is_single = np.ones(n_candidates, dtype=bool)
    is_single[members.ravel()] = False
    candidate_positions = lists[is_single].ravel()

    couple_ptr = np.zeros(n_couples + 1, dtype=np.int64)
    pairs_per_couple = ranks + 2
    couple_positions = np.empty((n_couples * pairs_per_couple, 2), dtype=np.int32)
    i, j = np.meshgrid(np.arange(ranks), np.arange(ranks), indexing="ij")
    by_sum = np.lexsort((i.ravel(), (i + j).ravel()))[:ranks]
    first_rank, second_rank = i.ravel()[by_sum], j.ravel()[by_sum]
    for k in range(n_couples):
        a, b = lists[members[k, 0]], lists[members[k, 1]]
        rows = couple_positions[k * pairs_per_couple : (k + 1) * pairs_per_couple]
        rows[:ranks, 0] = a[first_rank]
        rows[:ranks, 1] = b[second_rank]
        rows[ranks] = (a[0], NO_POSITION)
        rows[ranks + 1] = (NO_POSITION, b[0])
        couple_ptr[k + 1] = (k + 1) * pairs_per_couple
    return AllocationInstance.from_arrays(
        candidate_ptr,
        candidate_positions,
        position_ptr,
        position_candidates,
        capacities,
        members,
        couple_ptr,
        couple_positions,
    )
