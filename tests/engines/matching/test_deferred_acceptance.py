"""Deferred acceptance with capacities: small exact cases and equality with the PyPI package ``matching``."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from matching.games import HospitalResident

from talentgate.engines.matching.allocation import allocate
from talentgate.engines.matching.deferred_acceptance import deferred_acceptance
from talentgate.engines.matching.instance import AllocationInstance
from talentgate.engines.matching.synthetic import random_instance


def test_position_keeps_its_best_applicants_up_to_capacity():
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0], [0], [0], [0, 1]],
        position_rankings=[[3, 1, 0, 2], [3]],
        capacities=[2, 1],
    )
    result = deferred_acceptance(inst)
    # Position 0 holds 3 and 1 (its two best); candidate 3 prefers 0 to 1.
    assert result.assignment.tolist() == [-1, 0, -1, 0]


def test_never_places_where_either_side_did_not_rank_the_other_or_capacity_is_zero():
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0, 1, 2], [2]],
        position_rankings=[[1], [0], [0, 1]],
        capacities=[1, 1, 0],
    )
    assert deferred_acceptance(inst).assignment.tolist() == [1, -1]


def test_result_is_candidate_optimal_not_position_optimal():
    # Two stable matchings: {0: p0, 1: p1} (candidates' first choices) and the positions' one.
    inst = AllocationInstance.from_lists([[0, 1], [1, 0]], [[1, 0], [0, 1]], [1, 1])
    assert deferred_acceptance(inst).assignment.tolist() == [0, 1]


def test_large_result_is_certified_stable_and_deterministic():
    inst = random_instance(20_000, 2_000, 10, seed=4)
    first = allocate(inst)
    second = allocate(inst)
    assert first.stable
    assert first.status == "stable"
    assert first.certificate is not None
    assert first.certificate.valid
    assert np.array_equal(first.assignment, second.assignment)
    assert first.stats["matched"] + first.stats["unmatched"] == 20_000


def _random_lists(rng: np.random.Generator, n: int):
    """Non-reciprocal lists on purpose: positions rank some who never applied and miss some who did."""
    n_positions = max(1, n // 8)
    candidate_rankings = [
        rng.permutation(n_positions)[: int(rng.integers(0, min(8, n_positions) + 1))].tolist() for _ in range(n)
    ]
    applicants: list[set[int]] = [set() for _ in range(n_positions)]
    for c, ranking in enumerate(candidate_rankings):
        for p in ranking:
            applicants[p].add(c)
    position_rankings = []
    for p in range(n_positions):
        pool = [c for c in applicants[p] if rng.random() < 0.9]
        pool += rng.choice(n, size=min(n, 3), replace=False).tolist()
        position_rankings.append([int(c) for c in rng.permutation(sorted(set(pool)))])
    capacities = rng.integers(0, 6, size=n_positions).tolist()
    return candidate_rankings, position_rankings, capacities


def _matching_package_assignment(candidate_rankings, position_rankings, capacities) -> list[int]:
    """The resident-optimal matching of ``matching.games.HospitalResident`` on the same instance.

    The package wants reciprocal lists (a hospital ranks exactly who ranked it) and capacities >= 1,
    so pairs that are not mutually acceptable, and positions without a place, are removed first;
    neither changes the set of stable matchings.
    """
    ranked_by = [set(r) for r in position_rankings]
    open_positions = {p for p, cap in enumerate(capacities) if cap > 0}
    resident_prefs = {}
    for c, ranking in enumerate(candidate_rankings):
        mutual = [f"p{p}" for p in ranking if p in open_positions and c in ranked_by[p]]
        if mutual:
            resident_prefs[f"c{c}"] = mutual
    wanted = {c for c, prefs in resident_prefs.items() for _ in prefs}
    hospital_prefs = {}
    for p in open_positions:
        applied = {f"c{c}" for c in range(len(candidate_rankings)) if p in candidate_rankings[c]}
        hospital_prefs[f"p{p}"] = [f"c{c}" for c in position_rankings[p] if f"c{c}" in applied and f"c{c}" in wanted]
    hospital_capacities = {f"p{p}": capacities[p] for p in open_positions}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings about positions nobody applied to
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, hospital_capacities)
        solved = game.solve(optimal="resident")
    assignment = [-1] * len(candidate_rankings)
    for hospital, residents in solved.items():
        for resident in residents:
            assignment[int(resident.name[1:])] = int(hospital.name[1:])
    return assignment


@pytest.fixture
def deep_recursion():
    """The package deep-copies its linked players recursively (upstream issue 139): allow deep recursion."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 100_000))
    yield
    sys.setrecursionlimit(old)


@pytest.mark.parametrize("n", [1, 2, 5, 13, 40, 100, 250, 500])
def test_equals_resident_optimal_matching_of_the_matching_package(n, deep_recursion):
    rng = np.random.default_rng(139 + n)
    for _ in range(3 if n >= 250 else 10):
        candidate_rankings, position_rankings, capacities = _random_lists(rng, n)
        inst = AllocationInstance.from_lists(candidate_rankings, position_rankings, capacities)
        ours = allocate(inst)
        assert ours.stable
        expected = _matching_package_assignment(candidate_rankings, position_rankings, capacities)
        assert ours.assignment.tolist() == expected
