"""The stability certificate: hand-made cases for each rule, and a cross-check against brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest

from talentgate.engines.matching.allocation import allocate
from talentgate.engines.matching.instance import AllocationInstance
from talentgate.engines.matching.stability import check_stability


def _assignment(values: list[int | None]) -> np.ndarray:
    return np.array([-1 if v is None else v for v in values], dtype=np.int64)


def test_single_blocks_with_position_that_has_a_free_place():
    inst = AllocationInstance.from_lists([[0, 1], [1]], [[0], [1, 0]], [1, 2])
    certificate = check_stability(inst, _assignment([1, 1]))
    assert certificate.blocking_singles.tolist() == [[0, 0]]
    assert not certificate.stable
    assert certificate.valid


def test_single_does_not_block_where_the_position_prefers_all_its_holders():
    inst = AllocationInstance.from_lists([[0], [0], [0]], [[0, 1, 2]], [2])
    certificate = check_stability(inst, _assignment([0, 0, None]))
    assert certificate.stable
    certificate = check_stability(inst, _assignment([0, None, 0]))
    assert certificate.blocking_singles.tolist() == [[1, 0]]


def test_reports_over_capacity_unacceptable_and_broken_couples():
    inst = AllocationInstance.from_lists([[0], [], [], []], [[0, 1, 2], [2, 3]], [1, 1], couples=[((2, 3), [(1, 1)])])
    over = check_stability(inst, _assignment([0, 0, None, None]))
    assert over.over_capacity.tolist() == [0]
    assert not over.valid
    # Candidate 0 never ranked position 1 (and position 1 does not rank 0).
    assert check_stability(inst, _assignment([1, None, None, None])).unacceptable.tolist() == [0]
    split = check_stability(inst, _assignment([None, None, 1, None]))
    assert split.broken_couples.tolist() == [0]
    assert not split.stable


def test_couple_member_keeping_its_place_is_not_pushed_out_by_its_partner():
    # Couple (0, 1) holds (p0, None) and would rather have (p0, p0); p0 (capacity 1) holds member 0,
    # so member 1 can only enter by displacing its own partner, which does not count.
    inst = AllocationInstance.from_lists([[], []], [[1, 0]], [1], couples=[((0, 1), [(0, 0), (0, None)])])
    assert check_stability(inst, _assignment([0, None])).stable


def test_couple_blocks_a_pair_where_one_free_place_and_one_displacement_suffice():
    # p0 has capacity 3 and holds singles 2 (rank 0) and 3 (rank 3): one free place, and it prefers
    # member 0 (rank 1) to single 3, so the couple blocks with (p0, p0).
    inst = AllocationInstance.from_lists([[], [], [0], [0]], [[2, 0, 1, 3]], [3], couples=[((0, 1), [(0, 0)])])
    certificate = check_stability(inst, _assignment([None, None, 0, 0]))
    assert certificate.blocking_couples == [(0, 0)]


def test_couple_does_not_block_when_it_would_need_two_displacements_it_cannot_win():
    inst = AllocationInstance.from_lists([[], [], [0], [0]], [[2, 0, 3, 1]], [2], couples=[((0, 1), [(0, 0)])])
    # p0 is full with 2 (rank 0) and 3 (rank 2); member 1 (rank 3) beats nobody.
    assert check_stability(inst, _assignment([None, None, 0, 0])).stable


def _as_lists(inst, certificate):
    singles = {(int(c), int(p)) for c, p in certificate.blocking_singles.tolist()}
    return singles, set(certificate.blocking_couples)


def test_checker_agrees_with_brute_force_on_every_matching_of_small_instances(brute):
    """Cross-check: instances of at most 10 candidates, every feasible matching enumerated."""
    rng = np.random.default_rng(20110601)
    instances = matchings_checked = 0
    while instances < 120:
        small = brute.random_small_instance(rng, max_candidates=10)
        everything = brute.enumerate_matchings(small, limit=400)
        if everything is None:
            continue
        inst = small.to_instance()
        instances += 1
        for assignment in everything:
            certificate = check_stability(inst, _assignment(assignment))
            assert certificate.valid
            expected_singles, expected_couples = brute.blocking(small, assignment)
            assert _as_lists(inst, certificate) == (expected_singles, expected_couples), (small, assignment)
            matchings_checked += 1
    assert matchings_checked > 1000


@pytest.mark.parametrize("with_couples", [False, True])
def test_engine_results_are_certified_and_agree_with_enumeration(brute, with_couples):
    """Engine vs brute force: stable means stable; no stable matching means it says so.

    Without couples the result is also the candidate-optimal stable matching: every candidate gets
    the best place they hold in any stable matching.
    """
    rng = np.random.default_rng(1999 + with_couples)
    checked = found_when_exists = exists = 0
    while checked < 150:
        small = brute.random_small_instance(rng, max_candidates=10, max_couples=2 if with_couples else 0)
        if with_couples and not small.couples:
            continue
        everything = brute.enumerate_matchings(small, limit=3000)
        if everything is None:
            continue
        checked += 1
        stable_set = [m for m in everything if brute.blocking(small, m) == (set(), set())]
        result = allocate(small.to_instance())
        got = [None if p < 0 else int(p) for p in result.assignment.tolist()]
        if not stable_set:
            assert not result.stable
            assert result.status == "no_stable_matching_found"
            continue
        exists += 1
        if result.stable:
            found_when_exists += 1
            assert got in stable_set
        if not with_couples:
            assert result.stable
            for c, ranking in small.singles.items():

                def place(m, ranking=ranking, c=c):
                    return len(ranking) if m[c] is None else ranking.index(m[c])

                assert place(got) == min(place(m) for m in stable_set)
    if with_couples:
        # The procedure is a heuristic with couples; on these instances it finds one nearly always.
        assert found_when_exists >= 0.95 * exists
    else:
        assert found_when_exists == exists
