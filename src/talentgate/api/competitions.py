"""The competitions API: calls, submissions, reviewer declarations, assignment runs, reviews, ranking and awards.

Operations call only :mod:`talentgate.competitions.services` and :mod:`talentgate.competitions.selectors`, so a
reviewer sees exactly what the portal shows them: the submissions assigned to them, nothing else (404).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import DecimalColumn, IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.competitions import selectors, services
from talentgate.competitions.models import (
    AssignmentRun,
    Award,
    Call,
    ConflictOfInterest,
    Criterion,
    ReviewAssignment,
    Submission,
)

router = Router(tags=["competitions"])


class CriterionIn(Schema):
    code: str
    label: str
    weight: Annotated[Decimal, DecimalColumn(Criterion, "weight")]
    min_score: int = 0
    max_score: int = 10


class CriterionOut(Schema):
    code: str
    label: str
    weight: Decimal
    min_score: int
    max_score: int


class CallIn(Schema):
    title: str
    kind: Literal["competition", "grant", "fellowship"] = "competition"
    description: str = ""
    opens_on: IsoDate
    closes_on: IsoDate
    review_deadline: IsoDate
    policy_id: str
    policy_version: str
    reviews_per_submission: int = 2
    same_country_conflict: bool = False
    coauthorship_years: int = 3
    award_count: int = 1
    award_outcome: Literal["relocation_case", "mobility_slot"] = "relocation_case"
    case_kind: str = "researcher"
    criteria: list[CriterionIn]


class CallOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    opens_on: IsoDate
    closes_on: IsoDate
    review_deadline: IsoDate
    policy_id: str
    policy_version: str
    reviews_per_submission: int
    same_country_conflict: bool
    coauthorship_years: int
    award_count: int
    award_outcome: str
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Any]:
        return list(obj.criteria.order_by("position"))


class CallFilters(Schema):
    kind: Literal["competition", "grant", "fellowship"] | None = None
    open_on: IsoDate | None = None


class PanelMemberIn(Schema):
    reviewer_id: int
    institution: str
    country: str


class PanelMemberOut(Schema):
    id: int
    reviewer_id: int
    institution: str
    country: str


class SubmissionIn(Schema):
    title: str
    abstract: str
    institution: str
    country: str
    eligibility_inputs: dict[str, Any] = {}


class EntryOut(Schema):
    id: int
    call_id: int
    title: str
    abstract: str
    institution: str
    country: str
    eligible: bool
    eligibility_explanation: dict[str, Any]
    has_attachment: bool
    submitted_at: dt.datetime

    @staticmethod
    def resolve_has_attachment(obj: Submission) -> bool:
        return bool(obj.attachment)


class DeclarationIn(Schema):
    kind: Literal["conflict", "coauthorship"]
    person_email: str
    year: int | None = None
    note: str = ""


class DeclarationOut(Schema):
    id: int
    kind: str
    person_email: str
    year: int | None
    note: str


class ConflictOut(Schema):
    reviewer_id: int
    submission_id: int
    reasons: list[dict[str, str]]


class AssignmentRunOut(Schema):
    id: int
    call_id: int
    run_at: dt.datetime
    feasible: bool
    max_load: int
    lower_bound: int
    summary: str
    uncovered: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    assignments: list[dict[str, Any]]

    @staticmethod
    def resolve_assignments(obj: AssignmentRun) -> list[dict[str, Any]]:
        return [
            {"reviewer_id": a.reviewer_id, "submission_id": a.submission_id, "reason": a.reason}
            for a in obj.assignments.order_by("submission_id", "reviewer_id")
        ]


class AssignmentOut(Schema):
    id: int
    call_id: int
    submission_id: int
    submission_title: str
    reason: str
    reviewed: bool

    @staticmethod
    def resolve_submission_title(obj: ReviewAssignment) -> str:
        return obj.submission.title

    @staticmethod
    def resolve_reviewed(obj: ReviewAssignment) -> bool:
        return hasattr(obj, "review")


class ReviewIn(Schema):
    scores: dict[str, Any]
    comment: str = ""


class ReviewOut(Schema):
    id: int
    submission_id: int
    scores: dict[str, float]
    comment: str

    @staticmethod
    def resolve_submission_id(obj: Any) -> int:
        return int(obj.assignment.submission_id)


class RankingRowOut(Schema):
    rank: int
    submission_id: int
    title: str
    weighted_mean: float
    first_criterion_mean: float
    conflicts: int
    reviews: int


class AwardIn(Schema):
    submission_id: int
    mobility_slot: str = ""


class AwardOut(Schema):
    id: int
    call_id: int
    submission_id: int
    rank: int
    outcome: str
    case_id: int | None
    mobility_slot: str


@router.get("/calls", response={200: list[CallOut], **error_responses(401, 422)}, summary="List calls")
@paginate(LimitOffsetPage)
def list_calls(request: HttpRequest, filters: Query[CallFilters]) -> QuerySet[Call]:
    """Calls, newest first; ``open_on`` keeps those taking submissions on that day."""
    calls = selectors.calls_visible_to(actor_of(request))
    if filters.kind:
        calls = calls.filter(kind=filters.kind)
    if filters.open_on:
        calls = calls.filter(opens_on__lte=filters.open_on, closes_on__gte=filters.open_on)
    return calls


@router.post("/calls", response={201: CallOut, **error_responses(400, 401, 403, 422)}, summary="Create a call (staff)")
def create_competition_call(request: HttpRequest, payload: CallIn) -> Status:
    """A call with its rubric; its eligibility policy must be a published version."""
    data = payload.model_dump()
    criteria = data.pop("criteria")
    return Status(201, services.create_call(actor_of(request), criteria=criteria, **data))


@router.get("/calls/{call_id}", response={200: CallOut, **error_responses(401, 404, 422)}, summary="Get a call")
def get_competition_call(request: HttpRequest, call_id: int) -> Call:
    """One call with its rubric."""
    return selectors.get_call_for(actor_of(request), call_id)


@router.post(
    "/calls/{call_id}/panel",
    response={201: PanelMemberOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Put a reviewer on the panel (staff)",
)
def add_call_panel_member(request: HttpRequest, call_id: int, payload: PanelMemberIn) -> Status:
    """A reviewer with the institution and country conflicts are checked against."""
    return Status(201, services.add_panel_member(actor_of(request), call_id, **payload.model_dump()))


@router.post(
    "/calls/{call_id}/submissions",
    response={201: EntryOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Submit to a call (candidate)",
)
def submit_call_entry(request: HttpRequest, call_id: int, payload: SubmissionIn) -> Status:
    """One submission per candidate while the call is open; the answer carries the eligibility explanation."""
    return Status(201, services.submit_entry(actor_of(request), call_id, **payload.model_dump()))


@router.get(
    "/submissions", response={200: list[EntryOut], **error_responses(401, 422)}, summary="List visible submissions"
)
@paginate(LimitOffsetPage)
def list_competition_submissions(request: HttpRequest, call_id: int | None = None) -> QuerySet[Submission]:
    """Staff: all; candidates: their own; reviewers: those assigned to them."""
    found = selectors.submissions_visible_to(actor_of(request))
    return found.filter(call_id=call_id) if call_id is not None else found


@router.get(
    "/submissions/{submission_id}",
    response={200: EntryOut, **error_responses(401, 404, 422)},
    summary="Get a submission",
)
def get_competition_submission(request: HttpRequest, submission_id: int) -> Submission:
    """One submission the caller may read (an unassigned reviewer gets 404)."""
    return selectors.get_submission_for(actor_of(request), submission_id)


@router.post(
    "/calls/{call_id}/declarations",
    response={201: DeclarationOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Declare a conflict or co-authorship (panel reviewer)",
)
def declare_reviewer_conflict(request: HttpRequest, call_id: int, payload: DeclarationIn) -> Status:
    """The person is named by e-mail; a co-authorship needs its year."""
    return Status(201, services.declare(actor_of(request), call_id, **payload.model_dump()))


@router.get(
    "/calls/{call_id}/conflicts",
    response={200: list[ConflictOut], **error_responses(401, 403, 404, 422)},
    summary="List a call's conflicts (staff)",
)
@paginate(LimitOffsetPage)
def list_call_conflicts(request: HttpRequest, call_id: int) -> QuerySet[ConflictOfInterest]:
    """Every recorded conflict with its reasons."""
    return selectors.conflicts_of_call(actor_of(request), call_id)


@router.post(
    "/calls/{call_id}/assignment-runs",
    response={201: AssignmentRunOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Assign reviewers (staff)",
)
def run_reviewer_assignment(request: HttpRequest, call_id: int) -> Status:
    """Detect conflicts and assign k conflict-free reviewers per eligible submission at the smallest largest load."""
    return Status(201, services.run_assignment(actor_of(request), call_id))


@router.get(
    "/calls/{call_id}/assignment-runs/latest",
    response={200: AssignmentRunOut | None, **error_responses(401, 403, 404, 422)},
    summary="Get the latest assignment run (staff)",
)
def get_latest_assignment_run(request: HttpRequest, call_id: int) -> AssignmentRun | None:
    """The latest run with its explanation (null before the first run)."""
    return selectors.latest_run(actor_of(request), call_id)


@router.get(
    "/assignments", response={200: list[AssignmentOut], **error_responses(401, 422)}, summary="List my assignments"
)
@paginate(LimitOffsetPage)
def list_my_review_assignments(request: HttpRequest) -> QuerySet[ReviewAssignment]:
    """The caller's review assignments (reviewers; empty for anyone else)."""
    return selectors.assignments_of(actor_of(request))


@router.put(
    "/submissions/{submission_id}/review",
    response={200: ReviewOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Score an assigned submission (reviewer)",
)
def submit_submission_review(request: HttpRequest, submission_id: int, payload: ReviewIn) -> Any:
    """Scores per rubric criterion, each within its range; a score out of range is refused naming the criterion."""
    return services.submit_review(actor_of(request), submission_id, **payload.model_dump())


@router.get(
    "/calls/{call_id}/ranking",
    response={200: list[RankingRowOut], **error_responses(401, 403, 404, 422)},
    summary="Panel ranking (staff)",
)
def get_call_ranking(request: HttpRequest, call_id: int) -> list[dict[str, Any]]:
    """Weighted mean of the reviews; ties broken by the first criterion, fewer conflicts, earlier submission."""
    return [
        {
            "rank": r.rank,
            "submission_id": r.submission.pk,
            "title": r.submission.title,
            "weighted_mean": r.weighted_mean,
            "first_criterion_mean": r.first_criterion_mean,
            "conflicts": r.conflicts,
            "reviews": r.reviews,
        }
        for r in selectors.panel_ranking(actor_of(request), call_id)
    ]


@router.post(
    "/calls/{call_id}/awards",
    response={201: AwardOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Make an award (staff)",
)
def make_call_award(request: HttpRequest, call_id: int, payload: AwardIn) -> Status:
    """Award a ranked submission: opens a relocation case, or records a mobility slot."""
    award: Award = services.make_award(
        actor_of(request), call_id, payload.submission_id, mobility_slot=payload.mobility_slot
    )
    return Status(201, award)
