"""Framework-free reviewer assignment: k reviews per submission, the smallest possible largest load, no conflicted pair.

``assign_reviewers`` is the front door; see :mod:`.core` for the method and a runnable example.
"""

from talentgate.engines.review_assignment.core import (
    CAPACITY_USED,
    LEAST_LARGEST_LOAD,
    PARTIAL,
    TOO_FEW_ELIGIBLE,
    Assignment,
    AssignmentProblem,
    Exclusion,
    PairExplanation,
    UncoveredSubmission,
    assign_reviewers,
)

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
