"""The reviewer-assignment core: no conflicted pair, k distinct reviews, optimal largest load, infeasibility named."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentgate.engines.review_assignment import (
    CAPACITY_USED,
    LEAST_LARGEST_LOAD,
    PARTIAL,
    TOO_FEW_ELIGIBLE,
    AssignmentProblem,
    UncoveredSubmission,
    assign_reviewers,
)
from talentgate.engines.review_assignment import core as core_module


def brute_force_best_max_load(conflicted: np.ndarray, k: int) -> int | None:
    """Smallest largest load over every choice of k eligible reviewers per submission (None: impossible)."""
    n, m = conflicted.shape
    options = [list(itertools.combinations([r for r in range(m) if not conflicted[s, r]], k)) for s in range(n)]
    if any(not o for o in options):
        return None
    best: int | None = None
    for choice in itertools.product(*options):
        loads = np.zeros(m, int)
        for reviewers in choice:
            loads[list(reviewers)] += 1
        best = int(loads.max()) if best is None else min(best, int(loads.max()))
    return best


instances = st.integers(1, 4).flatmap(
    lambda n: st.integers(1, 4).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n),
            st.integers(1, m),
        )
    )
)


def _check_valid(result, conflicted: np.ndarray, k: int) -> None:
    assert len(set(result.pairs)) == len(result.pairs)
    for s, r in result.pairs:
        assert not conflicted[s, r]
    per_submission = np.bincount([s for s, _ in result.pairs], minlength=conflicted.shape[0])
    assert (per_submission <= k).all()
    if result.feasible:
        assert (per_submission == k).all()
    assert result.loads.tolist() == np.bincount([r for _, r in result.pairs], minlength=conflicted.shape[1]).tolist()


@settings(max_examples=150, deadline=None)
@given(instances)
def test_tiny_instances_match_brute_force_and_never_assign_a_conflicted_pair(instance):
    rows, k = instance
    conflicted = np.array(rows, dtype=bool)
    result = assign_reviewers(AssignmentProblem(conflicted=conflicted, reviews_per_submission=k))
    _check_valid(result, conflicted, k)
    best = brute_force_best_max_load(conflicted, k)
    if best is None:
        assert not result.feasible
        assert result.uncovered
    else:
        assert result.feasible
        assert result.max_load <= best + 1
        assert result.max_load == best


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 25),
    m=st.integers(1, 10),
    k=st.integers(1, 3),
    density=st.floats(0.0, 0.6),
    seed=st.integers(0, 2**31 - 1),
)
def test_random_instances_meet_k_with_load_at_the_average_bound_when_conflicts_allow(n, m, k, density, seed):
    rng = np.random.default_rng(seed)
    conflicted = rng.random((n, m)) < density
    result = assign_reviewers(AssignmentProblem(conflicted=conflicted, reviews_per_submission=k))
    _check_valid(result, conflicted, k)
    coverable = ((~conflicted).sum(axis=1) >= k).all()
    assert result.feasible == bool(coverable)
    if result.feasible:
        assert result.max_load >= result.lower_bound
    if not conflicted.any() and k <= m:
        # Without conflicts the average-load bound is always reachable.
        assert result.max_load == result.lower_bound


def test_infeasible_instance_names_the_submission_that_cannot_be_covered():
    conflicted = np.array([[False, False, False], [True, True, False]])
    reasons = {(1, 0): ["same_institution"], (1, 1): ["coauthorship"]}
    result = assign_reviewers(
        AssignmentProblem(conflicted=conflicted, reviews_per_submission=2, conflict_reasons=reasons)
    )
    assert not result.feasible
    assert [(u.submission, u.assigned, u.eligible_reviewers) for u in result.uncovered] == [(1, 1, 1)]
    assert result.uncovered[0] == UncoveredSubmission(
        submission=1, assigned=1, eligible_reviewers=1, code=TOO_FEW_ELIGIBLE, reviewers=3, needed=2, capacity=None
    )
    assert len(result.reviewers_of(0)) == 2
    assert {(e.submission, e.reviewer, e.reasons) for e in result.exclusions} == {
        (1, 0, ("same_institution",)),
        (1, 1, ("coauthorship",)),
    }
    assert {e.code for e in result.explanations} == {PARTIAL}


def test_capacity_shortage_is_reported_as_such():
    conflicted = np.zeros((3, 2), dtype=bool)
    result = assign_reviewers(AssignmentProblem(conflicted=conflicted, reviews_per_submission=1, capacity=1))
    assert not result.feasible
    assert len(result.pairs) == 2
    assert [(u.code, u.eligible_reviewers, u.capacity) for u in result.uncovered] == [(CAPACITY_USED, 2, 1)]


def test_each_pair_is_explained_with_the_load():
    conflicted = np.zeros((2, 2), dtype=bool)
    result = assign_reviewers(AssignmentProblem(conflicted=conflicted, reviews_per_submission=1))
    assert result.max_load == 1
    assert [(e.submission, e.reviewer) for e in result.explanations] == result.pairs
    assert [(e.code, e.load) for e in result.explanations] == [(LEAST_LARGEST_LOAD, 1), (LEAST_LARGEST_LOAD, 1)]


@pytest.mark.parametrize(
    ("shape", "k", "message"),
    [((2,), 1, "2-D"), ((2, 2), 0, "at least 1")],
)
def test_bad_problems_are_refused(shape, k, message):
    with pytest.raises(ValueError, match=message):
        assign_reviewers(AssignmentProblem(conflicted=np.zeros(shape, bool), reviews_per_submission=k))


def test_docstring_examples_run():
    assert doctest.testmod(core_module).failed == 0
