"""Stable allocation of candidates to positions with capacities and couples: the engine's front door.

:func:`allocate` validates the instance, runs candidate-proposing deferred acceptance for the single
candidates, places the couples with a Roth-Peranson-style procedure (:mod:`.couples`) and certifies
the outcome with the independent checker (:mod:`.stability`). Without couples the outcome is the
candidate-optimal stable matching. With couples a stable matching may not exist: the procedure is
re-run with other couple orders (seeded, so the result is reproducible) and, if none is stable, the
matching with the fewest blocking pairs is returned with ``stable=False``.

>>> inst = AllocationInstance.from_lists(
...     candidate_rankings=[[0, 1], [1, 0], [], []],
...     position_rankings=[[2, 0, 1], [1, 3, 0], [3]],
...     capacities=[1, 1, 1],
...     couples=[((2, 3), [(0, 2), (0, 1)])],
... )
>>> result = allocate(inst)
>>> result.assignment.tolist(), result.stable, result.status
([-1, 1, 0, 2], True, 'stable')
>>> result.stats["matched"], result.stats["seats"]  # the couple took candidate 0's place at position 0
(3, 3)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from talentgate.engines.matching.couples import SETTLED, place_couples
from talentgate.engines.matching.deferred_acceptance import run_singles
from talentgate.engines.matching.instance import AllocationInstance, InstanceError, prepare, ranking_from_scores
from talentgate.engines.matching.stability import Certificate, check_stability

__all__ = [
    "AllocationInstance",
    "AllocationResult",
    "Certificate",
    "InstanceError",
    "allocate",
    "check_stability",
    "ranking_from_scores",
]

STABLE = "stable"
NO_STABLE_FOUND = "no_stable_matching_found"
UNCERTIFIED = "uncertified"


@dataclass(frozen=True)
class AllocationResult:
    """``assignment[c]`` is candidate ``c``'s position (``-1``: unplaced).

    ``status`` is ``stable``, ``no_stable_matching_found`` (with couples, when every attempt ended
    in a cycle, at the step limit or with a blocking pair; the assignment is then the best found)
    or ``uncertified`` (no couples and ``certify=False``: stable by the deferred-acceptance theorem,
    not checked). ``certificate`` is the checker's verdict on the assignment returned.
    """

    assignment: np.ndarray
    stable: bool
    status: str
    certificate: Certificate | None
    stats: dict[str, Any] = field(default_factory=dict)


def allocate(
    instance: AllocationInstance,
    *,
    certify: bool = True,
    max_attempts: int = 8,
    seed: int = 0,
    max_applications: int | None = None,
) -> AllocationResult:
    """Allocate ``instance``; see the module docstring. Raises :class:`InstanceError` on a malformed instance.

    With couples the checker always runs (it decides whether to try another order). Attempt 0
    enters couples in index order; attempt ``i > 0`` in the ``i``-th permutation drawn from
    ``numpy.random.default_rng(seed)``. ``max_applications`` bounds each attempt (see
    :func:`.couples.place_couples`).
    """
    if max_attempts < 1:
        raise InstanceError("max_attempts", "must be >= 1")
    started = time.perf_counter()
    prepared = prepare(instance)
    state, proposals = run_singles(prepared)
    stats: dict[str, Any] = {
        "candidates": instance.n_candidates,
        "positions": instance.n_positions,
        "couples": instance.n_couples,
        "seats": int(instance.capacities.sum(dtype=np.int64)),
        "proposals": proposals,
    }
    if instance.n_couples == 0:
        certificate = check_stability(instance, state.position_of) if certify else None
        assignment = state.position_of
        stable = certificate.stable if certificate is not None else True
        status = (STABLE if stable else NO_STABLE_FOUND) if certificate is not None else UNCERTIFIED
        stats.update(attempts=0)
    else:
        assignment, certificate, attempts = _place_couples_best_of(
            prepared, state, max_attempts, seed, max_applications
        )
        stable = certificate.stable
        status = STABLE if stable else NO_STABLE_FOUND
        stats.update(
            attempts=len(attempts),
            applications=sum(a["applications"] for a in attempts),
            attempt_outcomes=[a["status"] for a in attempts],
        )
    stats.update(
        matched=int((assignment >= 0).sum()),
        unmatched=int((assignment < 0).sum()),
        blocking_pair_count=certificate.n_blocking if certificate is not None else 0,
        seconds=round(time.perf_counter() - started, 6),
    )
    return AllocationResult(assignment, stable, status, certificate, stats)


def _place_couples_best_of(prepared, single_state, max_attempts, seed, max_applications):
    """Run the couples procedure in up to ``max_attempts`` orders; stop at the first stable outcome."""
    instance = prepared.instance
    rng = np.random.default_rng(seed)
    best: tuple[int, int, np.ndarray, Certificate] | None = None
    attempts: list[dict[str, Any]] = []
    for attempt in range(max_attempts):
        order = np.arange(instance.n_couples) if attempt == 0 else rng.permutation(instance.n_couples)
        state = single_state.copy()
        outcome = place_couples(prepared, state, order, max_applications)
        certificate = check_stability(instance, state.position_of)
        status = outcome.status if outcome.status != SETTLED or certificate.stable else "blocked"
        attempts.append({"status": status, "applications": outcome.applications})
        # Rank outcomes: valid before invalid, then fewer blocking pairs, then the earlier attempt.
        score = (0 if certificate.valid else 1, certificate.n_blocking)
        if best is None or score < best[:2]:
            best = (score[0], score[1], state.position_of, certificate)
        if certificate.stable:
            break
    assert best is not None
    return best[2], best[3], attempts
