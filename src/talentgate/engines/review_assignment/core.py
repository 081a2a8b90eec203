"""Reviewer assignment as a maximum flow: every submission gets ``k`` distinct reviewers, no reviewer gets a
conflicted submission, and the largest reviewer load is the smallest any valid assignment can have.

Method. For a load limit ``L`` the assignment is a flow in the network
``source -> submission (capacity k) -> reviewer (capacity 1, only for non-conflicted pairs) -> sink (capacity L)``;
an assignment that meets ``k`` for every submission exists exactly when the maximum flow is ``n_submissions * k``
(integral flows are integral assignments). The smallest such ``L`` is found by binary search between the
average-load bound ``ceil(n * k / m)`` and ``n``; SciPy's ``maximum_flow`` (Dinic) solves each network. The
optimum is exact, so the reported ``max_load`` is the optimum of the instance.

When no load limit works, some submissions have fewer than ``k`` non-conflicted reviewers (or, with a reviewer
``capacity``, too few free slots): the result is marked infeasible, names the submissions that cannot be covered and
why, and still carries the largest partial assignment.

Every "why" is a code with its numbers (``PairExplanation.code``, ``UncoveredSubmission.code``), never a sentence:
the caller words it in the reader's language.

>>> import numpy as np
>>> conflicted = np.array([[True, False, False], [False, False, False]])
>>> result = assign_reviewers(AssignmentProblem(conflicted=conflicted, reviews_per_submission=2))
>>> result.feasible, result.max_load, sorted(result.reviewers_of(0))
(True, 2, [1, 2])
>>> assign_reviewers(AssignmentProblem(conflicted=np.ones((1, 2), bool), reviews_per_submission=1)).uncovered
[UncoveredSubmission(submission=0, assigned=0, eligible_reviewers=0, code='too_few_eligible', reviewers=2, needed=1, capacity=None)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

__all__ = [
    "CAPACITY_USED",
    "LEAST_LARGEST_LOAD",
    "PARTIAL",
    "TOO_FEW_ELIGIBLE",
    "Assignment",
    "AssignmentProblem",
    "Exclusion",
    "PairExplanation",
    "UncoveredSubmission",
    "assign_reviewers",
]


#: Why a pair was assigned: the load is the smallest largest load that gives every submission its reviews.
LEAST_LARGEST_LOAD = "least_largest_load"
#: Why a pair was assigned when no complete assignment exists: part of the largest partial assignment.
PARTIAL = "partial"
#: Why a submission is uncovered: fewer non-conflicted reviewers than reviews needed.
TOO_FEW_ELIGIBLE = "too_few_eligible"
#: Why a submission is uncovered: enough non-conflicted reviewers, but their capacity is used up.
CAPACITY_USED = "capacity_used"


@dataclass(frozen=True)
class AssignmentProblem:
    """One instance: ``conflicted[s, r]`` is True when reviewer ``r`` may not review submission ``s``.

    ``conflict_reasons`` maps ``(s, r)`` to the reasons the caller found (echoed in the explanation);
    ``capacity`` optionally caps every reviewer's load.
    """

    conflicted: np.ndarray
    reviews_per_submission: int
    conflict_reasons: Mapping[tuple[int, int], Sequence[str]] = field(default_factory=dict)
    capacity: int | None = None

    @property
    def n_submissions(self) -> int:
        return int(self.conflicted.shape[0])

    @property
    def n_reviewers(self) -> int:
        return int(self.conflicted.shape[1])


@dataclass(frozen=True)
class PairExplanation:
    """Why reviewer ``reviewer`` got submission ``submission``: ``code`` (:data:`LEAST_LARGEST_LOAD` or
    :data:`PARTIAL`) and the reviewer's ``load`` (the assignment's largest load and ``k`` complete the sentence).
    """

    submission: int
    reviewer: int
    code: str
    load: int


@dataclass(frozen=True)
class Exclusion:
    """A pair the assignment never considered, and why."""

    submission: int
    reviewer: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class UncoveredSubmission:
    """A submission that could not get its ``needed`` reviews: ``code`` is :data:`TOO_FEW_ELIGIBLE` (only
    ``eligible_reviewers`` of ``reviewers`` are free of conflicts) or :data:`CAPACITY_USED` (their ``capacity``
    is used up).
    """

    submission: int
    assigned: int
    eligible_reviewers: int
    code: str
    reviewers: int
    needed: int
    capacity: int | None


@dataclass(frozen=True)
class Assignment:
    """The assignment, its loads and its explanation."""

    pairs: list[tuple[int, int]]
    loads: np.ndarray
    max_load: int
    lower_bound: int
    feasible: bool
    explanations: list[PairExplanation]
    exclusions: list[Exclusion]
    uncovered: list[UncoveredSubmission]

    def reviewers_of(self, submission: int) -> list[int]:
        """The reviewers assigned to ``submission``."""
        return [r for s, r in self.pairs if s == submission]


def _validate(problem: AssignmentProblem) -> np.ndarray:
    conflicted = np.asarray(problem.conflicted, dtype=bool)
    if conflicted.ndim != 2:
        raise ValueError("conflicted must be a 2-D boolean matrix (submissions x reviewers)")
    if problem.reviews_per_submission < 1:
        raise ValueError("reviews_per_submission must be at least 1")
    if problem.capacity is not None and problem.capacity < 0:
        raise ValueError("capacity must not be negative")
    return conflicted


def _flow(conflicted: np.ndarray, k: int, load_limit: int) -> tuple[int, np.ndarray]:
    """Maximum flow with reviewer load ``load_limit``; returns its value and the (submission x reviewer) 0/1 matrix."""
    n, m = conflicted.shape
    source, sink = 0, n + m + 1
    sub_s, rev_r = np.nonzero(~conflicted)
    rows = np.concatenate([np.zeros(n, np.int64), 1 + sub_s, 1 + n + np.arange(m)])
    cols = np.concatenate([1 + np.arange(n), 1 + n + rev_r, np.full(m, sink)])
    caps = np.concatenate([np.full(n, k), np.ones(len(sub_s), np.int64), np.full(m, load_limit)]).astype(np.int32)
    graph = csr_array((caps, (rows, cols)), shape=(n + m + 2, n + m + 2))
    result = maximum_flow(graph, source, sink, method="dinic")
    flow = result.flow.toarray()[1 : n + 1, n + 1 : n + m + 1]
    return int(result.flow_value), (flow > 0)


def assign_reviewers(problem: AssignmentProblem) -> Assignment:
    """Assign ``k`` non-conflicted reviewers to each submission with the smallest possible largest load."""
    conflicted = _validate(problem)
    n, m = conflicted.shape
    k = problem.reviews_per_submission
    exclusions = [
        Exclusion(int(s), int(r), tuple(problem.conflict_reasons.get((int(s), int(r)), ("conflicted",))))
        for s, r in zip(*np.nonzero(conflicted), strict=True)
    ]
    if n == 0:
        return Assignment([], np.zeros(m, np.int64), 0, 0, True, [], exclusions, [])
    lower = math.ceil(n * k / m) if m else 0
    upper = n if problem.capacity is None else min(n, problem.capacity)
    needed = n * k
    chosen: np.ndarray | None = None
    if m and lower <= upper:
        value, matrix = _flow(conflicted, k, upper)
        if value == needed:
            chosen = matrix
            low, high = lower, upper
            # Binary search for the smallest load limit that still carries every review.
            while low < high:
                mid = (low + high) // 2
                value, matrix = _flow(conflicted, k, mid)
                if value == needed:
                    chosen, high = matrix, mid
                else:
                    low = mid + 1
    feasible = chosen is not None
    if chosen is None:
        chosen = _flow(conflicted, k, max(upper, 0))[1] if m else np.zeros((n, 0), bool)
    loads = chosen.sum(axis=0).astype(np.int64)
    max_load = int(loads.max()) if m else 0
    pairs = [(int(s), int(r)) for s, r in zip(*np.nonzero(chosen), strict=True)]
    eligible_counts = (~conflicted).sum(axis=1)
    pair_code = LEAST_LARGEST_LOAD if feasible else PARTIAL
    explanations = [PairExplanation(s, r, pair_code, int(loads[r])) for s, r in pairs]
    uncovered: list[UncoveredSubmission] = []
    got = chosen.sum(axis=1)
    for s in range(n):
        if got[s] >= k:
            continue
        eligible = int(eligible_counts[s])
        code = TOO_FEW_ELIGIBLE if eligible < k else CAPACITY_USED
        uncovered.append(UncoveredSubmission(s, int(got[s]), eligible, code, m, k, problem.capacity))
    return Assignment(pairs, loads, max_load, lower, feasible, explanations, exclusions, uncovered)
