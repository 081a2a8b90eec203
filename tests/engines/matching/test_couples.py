"""Couples: placed together or not at all, no stable matching reported as such, bounded and reproducible."""

from __future__ import annotations

import numpy as np

from talentgate.engines.matching.allocation import allocate
from talentgate.engines.matching.couples import place_couples
from talentgate.engines.matching.deferred_acceptance import run_singles
from talentgate.engines.matching.instance import AllocationInstance, prepare
from talentgate.engines.matching.synthetic import random_instance


def test_couple_takes_its_first_pair_both_positions_accept():
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0], [], []],
        position_rankings=[[0, 1, 2], [2, 1]],
        capacities=[1, 1],
        couples=[((1, 2), [(0, 1), (1, 1), (1, None)])],
    )
    result = allocate(inst)
    # (p0, p1) fails: p0 prefers single 0; (p1, p1) needs two places; (p1, None) is accepted.
    assert result.assignment.tolist() == [0, 1, -1]
    assert result.stable


def test_couple_displacing_a_single_sends_them_down_their_list():
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0, 1], [], []],
        position_rankings=[[1, 0], [0, 2], [2]],
        capacities=[1, 1, 1],
        couples=[((1, 2), [(0, 2)])],
    )
    result = allocate(inst)
    assert result.assignment.tolist() == [1, 0, 2]
    assert result.stable


def test_a_displaced_member_takes_the_partner_out_and_the_couple_falls_back_to_its_next_pair():
    # Singles 0 [p0, p2] and 1 [p2, p1]; the couple (2, 3) ranks (p0, p1) then (p3, p3). Taking
    # (p0, p1) pushes 0 to p2 and 1 to p1, which evicts member 3, so member 2 leaves p0 too. Every
    # matching of this instance is blocked, so the procedure cycles and says so.
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0, 2], [2, 1], [], []],
        position_rankings=[[2, 0], [1, 3], [0, 1], [2, 3]],
        capacities=[1, 1, 1, 2],
        couples=[((2, 3), [(0, 1), (3, 3)])],
    )
    result = allocate(inst, max_attempts=1)
    assert result.stats["attempt_outcomes"] == ["cycle"]
    assert not result.stable
    assert result.certificate is not None
    assert result.certificate.valid
    members = tuple(result.assignment[[2, 3]].tolist())
    assert members in ((-1, -1), (0, 1), (3, 3))


def test_reports_when_no_stable_matching_exists_and_returns_the_best_found():
    # One position, two places, ranking [member 2, single 0, member 1]; the couple wants (p0, p0).
    # Couple out: it blocks with the free place (p0 prefers member 2 to 0). Couple in: single 0
    # blocks (p0 prefers 0 to member 1). Nothing is stable.
    inst = AllocationInstance.from_lists(
        candidate_rankings=[[0], [], []],
        position_rankings=[[2, 0, 1]],
        capacities=[2],
        couples=[((1, 2), [(0, 0)])],
    )
    result = allocate(inst, max_attempts=3)
    assert not result.stable
    assert result.status == "no_stable_matching_found"
    assert result.stats["attempt_outcomes"] == ["cycle", "cycle", "cycle"]
    assert result.certificate is not None
    assert result.certificate.valid
    assert result.certificate.n_blocking == 1
    members = result.assignment[[1, 2]].tolist()
    assert members in ([-1, -1], [0, 0])


def test_application_limit_stops_the_procedure():
    inst = random_instance(3_000, 300, 8, couple_share=0.1, seed=2)
    prepared = prepare(inst)
    state, _ = run_singles(prepared)
    outcome = place_couples(prepared, state, np.arange(inst.n_couples), max_applications=10)
    assert outcome.status == "step_limit"
    assert outcome.applications <= 10 + inst.couple_ranking(0).shape[0] + 8


def test_members_are_always_together_on_a_ranked_pair_or_both_unplaced():
    inst = random_instance(10_000, 900, 10, couple_share=0.1, seed=6)
    result = allocate(inst)
    assert result.certificate is not None
    assert result.certificate.valid  # includes: no broken couple, no capacity exceeded
    for k in range(inst.n_couples):
        a, b = inst.couple_members[k]
        placed = (int(result.assignment[a]), int(result.assignment[b]))
        listed = [tuple(pair) for pair in inst.couple_ranking(k).tolist()]
        assert placed == (-1, -1) or placed in listed


def test_same_seed_gives_the_same_allocation():
    inst = random_instance(5_000, 500, 8, couple_share=0.2, seed=8)
    first = allocate(inst, seed=3)
    second = allocate(inst, seed=3)
    assert np.array_equal(first.assignment, second.assignment)
    assert first.stats["attempt_outcomes"] == second.stats["attempt_outcomes"]
