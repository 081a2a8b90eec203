"""Every read of competitions that leaves the app, with the object-level check.

Calls are public to signed-in users. A submission is visible to its candidate, to programme staff, and to a
reviewer only while assigned to it; anyone else gets ``NotFound`` (never told it exists). Conflicts, runs and the
panel ranking are staff-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from talentgate.accounts.roles import Role
from talentgate.common.access import STAFF_ROLES, has_role, require_role, role_of
from talentgate.common.errors import NotFound
from talentgate.competitions.models import (
    AssignmentRun,
    Award,
    Call,
    ConflictOfInterest,
    Criterion,
    Review,
    ReviewAssignment,
    Submission,
)

STAFF = tuple(STAFF_ROLES)


def calls_visible_to(actor: Any) -> QuerySet[Call]:
    """Every call for a signed-in user; nothing for an anonymous one."""
    if role_of(actor) is None:
        return Call.objects.none()
    return Call.objects.all()


def get_call_for(actor: Any, call_id: int) -> Call:
    """One call, or ``NotFound``."""
    call = calls_visible_to(actor).filter(pk=call_id).first() if str(call_id).isdigit() else None
    if call is None:
        raise NotFound("call")
    return call


def submissions_visible_to(actor: Any) -> QuerySet[Submission]:
    """Staff: all; candidate: their own; reviewer: the ones assigned to them; anyone else: none."""
    role = role_of(actor)
    base = Submission.objects.select_related("call", "candidate")
    if role in STAFF_ROLES:
        return base.all()
    if role == Role.CANDIDATE:
        return base.filter(candidate=actor)
    if role == Role.REVIEWER:
        return base.filter(assignments__reviewer=actor).distinct()
    return base.none()


def get_submission_for(actor: Any, submission_id: int) -> Submission:
    """One visible submission, or ``NotFound`` (an unassigned reviewer cannot tell it exists)."""
    found = submissions_visible_to(actor).filter(pk=submission_id).first() if str(submission_id).isdigit() else None
    if found is None:
        raise NotFound("submission")
    return found


def assignments_of(actor: Any) -> QuerySet[ReviewAssignment]:
    """The reviewer's own assignments (with the call and submission), newest call first."""
    if not has_role(actor, Role.REVIEWER):
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.select_related("call", "submission")
        .filter(reviewer=actor)
        .order_by("-call__opens_on", "submission__pk")
    )


def review_of(actor: Any, submission_id: int) -> Review | None:
    """The actor's own review of a submission assigned to them, if written."""
    return Review.objects.filter(assignment__reviewer=actor, assignment__submission_id=submission_id).first()


def conflicts_of_call(actor: Any, call_id: int) -> QuerySet[ConflictOfInterest]:
    """The recorded conflicts of a call with reasons (programme staff)."""
    require_role(actor, *STAFF)
    call = get_call_for(actor, call_id)
    return ConflictOfInterest.objects.filter(call=call).select_related("reviewer", "submission")


def latest_run(actor: Any, call_id: int) -> AssignmentRun | None:
    """The call's latest assignment run (programme staff)."""
    require_role(actor, *STAFF)
    return AssignmentRun.objects.filter(call=get_call_for(actor, call_id)).order_by("-run_at", "-pk").first()


def awards_of_call(actor: Any, call_id: int) -> QuerySet[Award]:
    """The awards of a call (programme staff)."""
    require_role(actor, *STAFF)
    return Award.objects.filter(call=get_call_for(actor, call_id)).select_related("submission")


@dataclass(frozen=True)
class RankedSubmission:
    """One row of the panel ranking."""

    rank: int
    submission: Submission
    weighted_mean: float
    first_criterion_mean: float
    conflicts: int
    reviews: int


def weighted_score(criteria: Sequence[Criterion], scores: dict[str, float]) -> float:
    """One review's weighted mean of its criterion scores (weights as given on the rubric)."""
    total_weight = sum(float(c.weight) for c in criteria)
    return sum(float(c.weight) * float(scores[c.code]) for c in criteria) / total_weight


def rank_key(row: RankedSubmission) -> tuple[float, float, int, Any, int]:
    """The documented tie rules, in order: higher weighted mean, then higher mean on the rubric's first criterion,
    then fewer recorded conflicts (a submission more reviewers could read), then earlier submission, then lower id."""
    return (
        -row.weighted_mean,
        -row.first_criterion_mean,
        row.conflicts,
        row.submission.submitted_at,
        row.submission.pk,
    )


def panel_ranking(actor: Any, call_id: int) -> list[RankedSubmission]:
    """Eligible submissions with at least one review, ranked by :func:`rank_key` (programme staff)."""
    require_role(actor, *STAFF)
    call = get_call_for(actor, call_id)
    criteria = list(call.criteria.order_by("position"))
    first = criteria[0].code
    reviews: dict[int, list[dict[str, float]]] = {}
    for review in Review.objects.filter(assignment__call=call).select_related("assignment"):
        reviews.setdefault(review.assignment.submission_id, []).append(review.scores)
    conflict_counts: dict[int, int] = {}
    for submission_id in ConflictOfInterest.objects.filter(call=call).values_list("submission_id", flat=True):
        conflict_counts[submission_id] = conflict_counts.get(submission_id, 0) + 1
    rows = [
        RankedSubmission(
            rank=0,
            submission=s,
            weighted_mean=round(sum(weighted_score(criteria, r) for r in reviews[s.pk]) / len(reviews[s.pk]), 6),
            first_criterion_mean=round(sum(float(r[first]) for r in reviews[s.pk]) / len(reviews[s.pk]), 6),
            conflicts=conflict_counts.get(s.pk, 0),
            reviews=len(reviews[s.pk]),
        )
        for s in call.submissions.filter(eligible=True).select_related("candidate")
        if s.pk in reviews
    ]
    rows.sort(key=rank_key)
    return [
        RankedSubmission(i + 1, r.submission, r.weighted_mean, r.first_criterion_mean, r.conflicts, r.reviews)
        for i, r in enumerate(rows)
    ]
