"""Candidate-proposing deferred acceptance with capacities (hospitals/residents), compiled with numba.

Each free candidate proposes down their list; a position holds its best offers up to capacity and
rejects the rest, so the outcome is the candidate-optimal stable matching (Gale and Shapley 1962;
Roth 1984 for capacities). Candidates start proposing in index order; because that outcome does not
depend on the order, the result is deterministic whatever the order.

A position remembers which entries of its own ranked list it holds (one byte per entry) and the rank
of its worst holder; once full, that pointer only moves towards better ranks, so each position's
list is walked at most once and the whole run is linear in the size of the lists.

>>> from talentgate.engines.matching.instance import AllocationInstance
>>> inst = AllocationInstance.from_lists(
...     candidate_rankings=[[0, 1], [0, 1], [0]],
...     position_rankings=[[2, 1, 0], [0, 1]],
...     capacities=[1, 1],
... )
>>> result = deferred_acceptance(inst)
>>> result.assignment.tolist()   # position 0 prefers candidate 2; candidate 0 is 1st at position 1
[1, -1, 0]
>>> result.proposals
5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from talentgate.engines.matching.instance import AllocationInstance, PreparedInstance, prepare

__all__ = ["AllocationState", "DeferredAcceptanceResult", "deferred_acceptance", "run_singles"]


@dataclass
class AllocationState:
    """The tentative matching as the kernels keep it; ``position_of`` is the assignment (``-1``: unplaced).

    ``held[position_ptr[p] + r]`` is 1 when position ``p`` holds the candidate it ranks ``r``-th;
    ``worst[p]`` is the largest such ``r`` (``-1``: holds nobody). ``assigned_entry[c]`` is the entry
    of a single candidate's list they hold, ``next_entry[c]`` the next entry they will propose to.
    """

    held: np.ndarray
    count: np.ndarray
    worst: np.ndarray
    position_of: np.ndarray
    assigned_entry: np.ndarray
    next_entry: np.ndarray

    @classmethod
    def empty(cls, instance: AllocationInstance) -> AllocationState:
        return cls(
            held=np.zeros(len(instance.position_candidates), dtype=np.uint8),
            count=np.zeros(instance.n_positions, dtype=np.int32),
            worst=np.full(instance.n_positions, -1, dtype=np.int32),
            position_of=np.full(instance.n_candidates, -1, dtype=np.int32),
            assigned_entry=np.full(instance.n_candidates, -1, dtype=np.int64),
            next_entry=instance.candidate_ptr[:-1].copy(),
        )

    def copy(self) -> AllocationState:
        return AllocationState(
            self.held.copy(),
            self.count.copy(),
            self.worst.copy(),
            self.position_of.copy(),
            self.assigned_entry.copy(),
            self.next_entry.copy(),
        )


@dataclass(frozen=True)
class DeferredAcceptanceResult:
    """``assignment[c]`` is the position of candidate ``c`` or ``-1``; ``proposals`` counts offers made."""

    assignment: np.ndarray
    proposals: int


@njit(cache=True)
def _propose_singles(
    candidate_ptr,
    candidate_positions,
    candidate_rank,
    position_ptr,
    position_candidates,
    capacities,
    held,
    count,
    worst,
    position_of,
    assigned_entry,
    next_entry,
):
    """Run deferred acceptance for every candidate with a list of their own; returns the number of proposals."""
    proposals = 0
    for first in range(len(candidate_ptr) - 1):
        c = first
        # Follow the chain of displaced candidates to the end instead of keeping a queue.
        while c >= 0:
            e = next_entry[c]
            if e >= candidate_ptr[c + 1]:
                break
            next_entry[c] = e + 1
            proposals += 1
            r = candidate_rank[e]
            if r < 0:
                continue
            p = candidate_positions[e]
            base = position_ptr[p]
            if count[p] < capacities[p]:
                held[base + r] = 1
                count[p] += 1
                if r > worst[p]:
                    worst[p] = r
                position_of[c] = p
                assigned_entry[c] = e
                c = -1
            elif capacities[p] > 0 and r < worst[p]:
                w = worst[p]
                displaced = position_candidates[base + w]
                held[base + w] = 0
                held[base + r] = 1
                k = w - 1
                while held[base + k] == 0:
                    k -= 1
                worst[p] = k
                position_of[c] = p
                assigned_entry[c] = e
                position_of[displaced] = -1
                assigned_entry[displaced] = -1
                c = displaced
    return proposals


def run_singles(prepared: PreparedInstance) -> tuple[AllocationState, int]:
    """Deferred acceptance over the single candidates (couple members have no list of their own and stay out)."""
    instance = prepared.instance
    state = AllocationState.empty(instance)
    proposals = _propose_singles(
        instance.candidate_ptr,
        instance.candidate_positions,
        prepared.candidate_rank,
        instance.position_ptr,
        instance.position_candidates,
        instance.capacities,
        state.held,
        state.count,
        state.worst,
        state.position_of,
        state.assigned_entry,
        state.next_entry,
    )
    return state, int(proposals)


def deferred_acceptance(instance: AllocationInstance) -> DeferredAcceptanceResult:
    """Validate ``instance`` and return its candidate-optimal stable matching (couples, if any, stay unplaced).

    Use :func:`talentgate.engines.matching.allocation.allocate` for instances with couples.
    """
    state, proposals = run_singles(prepare(instance))
    return DeferredAcceptanceResult(state.position_of, proposals)
