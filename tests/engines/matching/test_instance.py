"""Structural validation of integer-coded instances, tie-breaking, and the engine modules' runnable examples."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

from talentgate.engines.matching.instance import AllocationInstance, InstanceError, prepare, ranking_from_scores
from talentgate.engines.matching.synthetic import random_instance

ENGINE_MODULES = ["instance", "deferred_acceptance", "couples", "stability", "allocation", "io", "synthetic"]


@pytest.mark.parametrize("name", ENGINE_MODULES)
def test_module_examples_run(name):
    module = importlib.import_module(f"talentgate.engines.matching.{name}")
    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failures == 0


def _lists(**overrides):
    base = {
        "candidate_rankings": [[0, 1], [1], []],
        "position_rankings": [[0, 1], [1, 0, 2]],
        "capacities": [1, 1],
        "couples": (),
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"candidate_rankings": [[0, 2], [1], []]}, "candidates[0].ranking[1]: position 2 does not exist (0..1)"),
        ({"candidate_rankings": [[1, 1], [1], []]}, "candidates[0].ranking[1]: position 1 is ranked twice"),
        ({"position_rankings": [[0, 3], [1]]}, "positions[0].ranking[1]: candidate 3 does not exist (0..2)"),
        ({"position_rankings": [[0, 0], [1]]}, "positions[0].ranking[1]: candidate 0 is ranked twice"),
        ({"capacities": [1, -1]}, "positions[1].capacity: must be >= 0 (got -1)"),
        ({"capacities": [1]}, "capacities: must hold one capacity per position (2)"),
        (
            {"couples": [((2, 1), [(0, 1)])]},
            "couples[0].members[1]: candidate 1 also has a ranking of its own (a couple member ranks only as part of the couple)",
        ),
        ({"couples": [((2, 2), [(0, 1)])]}, "couples[0].members: the two members must be different candidates"),
        ({"couples": [((2, 5), [(0, 1)])]}, "couples[0].members[1]: candidate 5 does not exist (0..2)"),
    ],
)
def test_refuses_malformed_lists_naming_the_entry(overrides, message):
    with pytest.raises(InstanceError) as caught:
        AllocationInstance.from_lists(**_lists(**overrides))
    assert str(caught.value) == message


def test_refuses_couple_faults_naming_the_pair():
    singles = [[0], [], [], [], []]
    positions = [[0, 1, 2, 3, 4], [1, 2, 3, 4]]
    with pytest.raises(
        InstanceError, match=r"^couples\[1\]\.members\[0\]: candidate is already a member of couples\[0\]$"
    ):
        AllocationInstance.from_lists(singles, positions, [1, 1], [((1, 2), [(0, 1)]), ((2, 3), [(0, 1)])])
    with pytest.raises(InstanceError, match=r"^couples\[0\]\.ranking\[1\]: a pair must place at least one member$"):
        AllocationInstance.from_lists(singles, positions, [1, 1], [((1, 2), [(0, 1), (None, None)])])
    with pytest.raises(
        InstanceError,
        match=r"^couples\[0\]\.ranking\[2\]: the same pair is already ranked at couples\[0\]\.ranking\[0\]$",
    ):
        AllocationInstance.from_lists(singles, positions, [1, 1], [((1, 2), [(0, 1), (1, 1), (0, 1)])])
    with pytest.raises(InstanceError, match=r"^couples\[0\]\.ranking\[0\]: position 7 does not exist"):
        AllocationInstance.from_lists(singles, positions, [1, 1], [((1, 2), [(7, None)])])


def test_refuses_inconsistent_offsets():
    good = random_instance(50, 6, 3, seed=1)
    broken = AllocationInstance.from_arrays(
        [*good.candidate_ptr[:-1].tolist(), good.candidate_ptr[-1] + 1],
        good.candidate_positions,
        good.position_ptr,
        good.position_candidates,
        good.capacities,
    )
    with pytest.raises(InstanceError, match=r"^candidate_ptr\[50\]: offsets must"):
        prepare(broken)


def test_prepare_looks_up_ranks_on_both_sides():
    inst = AllocationInstance.from_lists(
        [[1, 0], [], []], [[2, 0], [0]], [1, 2], couples=[((1, 2), [(1, 0), (0, None)])]
    )
    prepared = prepare(inst)
    # Candidate 0 is ranked 0th by position 1 and 1st by position 0.
    assert prepared.candidate_rank.tolist() == [0, 1]
    # Member 1 is not on position 1's list; member 2 is 0th at position 0; None stays -1.
    assert prepared.couple_rank.tolist() == [[-1, 0], [-1, -1]]
    assert prepared.couple_of.tolist() == [-1, 0, 0]
    assert prepared.member_slot.tolist() == [0, 0, 1]


def test_ranking_from_scores_breaks_ties_by_index_or_one_seeded_lottery():
    scores = np.array([2.0, 5.0, 2.0, 2.0, 1.0])
    assert ranking_from_scores(scores).tolist() == [1, 0, 2, 3, 4]
    lottery = ranking_from_scores(scores, lottery_seed=42).tolist()
    assert lottery[0] == 1
    assert lottery[-1] == 4
    assert sorted(lottery[1:4]) == [0, 2, 3]
    assert ranking_from_scores(scores, lottery_seed=42).tolist() == lottery


def test_synthetic_instances_are_valid_and_reproducible():
    first = random_instance(2_000, 150, 6, couple_share=0.05, seed=9)
    second = random_instance(2_000, 150, 6, couple_share=0.05, seed=9)
    prepare(first)
    assert first.n_couples == 50
    for name in ("candidate_positions", "position_candidates", "capacities", "couple_positions"):
        assert np.array_equal(getattr(first, name), getattr(second, name))
