"""API routes of the assessment domain: scores with their explanation, "where would I qualify?", policy versions
and their governance with the impact preview, pool reassessment jobs, and selection rounds.

Every operation calls ``assessment.services``, ``assessment.rounds`` or ``assessment.selectors`` only.
Reasons come in the language asked for (``lang=en|ru``; default the request's language).
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.assessment import rounds, selectors, services

router = Router(tags=["assessment"])

Lang = Literal["en", "ru"]


def _lang(lang: str | None) -> str:
    return lang or ("ru" if (get_language() or "").startswith("ru") else "en")


# --- schemas -------------------------------------------------------------------------------------


class GateOut(Schema):
    gate: str
    passed: bool
    reason: str


class FactorOut(Schema):
    factor: str
    group: str
    points: float
    rule: str = Field(description="The band, row or rule of the policy that gave the points.")
    reason: str


class AssessmentOut(Schema):
    id: int
    application_id: int
    policy: str
    version: str
    on: IsoDate
    eligible: bool
    total: float
    groups: dict[str, float]
    categories: list[str]
    gates: list[GateOut]
    factors: list[FactorOut]
    missing: list[str] = Field(description="Profile paths to fill in for a complete assessment.")
    notes: list[str] = Field(
        default_factory=list,
        description="How inputs were derived, e.g. 'converted from EUR with annual-average-usd 2025'.",
    )
    inputs_hash: str
    created_at: dt.datetime


class ThresholdOut(Schema):
    threshold: str
    min_total: float
    reached: bool


class ComparisonOut(Schema):
    policy: str
    version: str
    title: str
    eligible: bool
    total: float
    max_total: float | None
    groups: dict[str, float]
    categories: list[str]
    category_labels: list[str]
    thresholds: list[ThresholdOut]
    gates: list[GateOut]
    factors: list[FactorOut]
    missing: list[str]
    inputs_hash: str


class PolicyVersionOut(Schema):
    id: int
    policy_id: str
    version: str
    title_en: str
    title_ru: str
    effective_from: IsoDate
    effective_to: IsoDate | None
    source: str
    status: str
    author_id: int | None
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    published_by_id: int | None
    published_at: dt.datetime | None
    impact: dict[str, Any]
    impact_at: dt.datetime | None


class PolicyVersionDetailOut(PolicyVersionOut):
    yaml_text: str


class PolicyDraftIn(Schema):
    yaml_text: str = Field(description="The policy as YAML (see `talentgate policy schema`).")


class ImpactOut(Schema):
    on: IsoDate
    pool: int
    baseline: str | None
    eligible_after: int
    became_eligible: int
    became_ineligible: int
    category_changes: int
    score_shift: dict[str, Any]


class ReassessIn(Schema):
    policy_id: str | None = Field(None, description="Default: the programme's policy.")


class ProgrammePolicyIn(Schema):
    policy_id: str = Field(description="A published policy's id.")


class ProgrammePolicyOut(Schema):
    programme_id: int
    policy_id: str


class JobOut(Schema):
    id: int
    kind: str
    status: str
    total: int
    done: int
    progress: float
    result: dict[str, Any]
    error: str
    created_at: dt.datetime


class RoundIn(Schema):
    programme_id: int
    name: str = Field(max_length=120)
    policy_id: str
    version: str | None = Field(None, description="Default: the published version in force today.")
    category: str = ""
    invitations: int | None = None
    cutoff: float | None = None


class RoundOut(Schema):
    id: int
    programme_id: int
    name: str
    policy_id: str
    version: str
    category: str
    invitations: int | None
    cutoff: float | None
    status: str
    defined_by_id: int
    preview: dict[str, Any]
    previewed_at: dt.datetime | None
    approved_by_id: int | None
    approved_at: dt.datetime | None
    run_by_id: int | None
    run_at: dt.datetime | None
    result: dict[str, Any] = Field(
        description="After the run: invited count, skipped applications and the ranked pool."
    )
    created_at: dt.datetime


class RoundInvitationOut(Schema):
    application_id: int
    rank: int
    total: float
    created_at: dt.datetime


class FairnessOut(Schema):
    round: int
    policy: str
    version: str
    by_region: list[dict[str, Any]]
    by_sex: list[dict[str, Any]]
    note: str


# --- scores --------------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/assessment",
    response={200: AssessmentOut, **error_responses(401, 404, 422)},
    summary="Latest assessment of an application",
)
def get_application_assessment(request: HttpRequest, application_id: int, lang: Lang | None = None) -> dict[str, Any]:
    """The newest assessment of an application, with reasons in ``lang``: the candidate's own, or any for staff."""
    found = selectors.latest_assessment(actor_of(request), application_id)
    return selectors.explained(found, _lang(lang))


@router.get(
    "/applications/{application_id}/assessments",
    response={200: list[AssessmentOut], **error_responses(401, 404, 422)},
    summary="Every assessment of an application",
)
@paginate(LimitOffsetPage)
def list_application_assessments(request: HttpRequest, application_id: int, lang: Lang | None = None) -> list[Any]:
    """Every stored assessment of an application, newest first (one per policy version and inputs)."""
    found = selectors.assessments_of_application(actor_of(request), application_id)
    chosen = _lang(lang)
    return [selectors.explained(a, chosen) for a in found]


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **error_responses(401, 404, 422)},
    summary="Get an assessment",
)
def get_assessment(request: HttpRequest, assessment_id: int, lang: Lang | None = None) -> dict[str, Any]:
    """One stored assessment with its reasons in ``lang``."""
    return selectors.explained(selectors.get_assessment_for(actor_of(request), assessment_id), _lang(lang))


@router.post(
    "/applications/{application_id}/assess",
    response={200: AssessmentOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Assess an application now",
)
def assess_application(request: HttpRequest, application_id: int, lang: Lang | None = None) -> dict[str, Any]:
    """Assess a submitted application under its programme's policy in force today (the stored row if unchanged)."""
    stored = services.assess_application(actor_of(request), application_id)
    return selectors.explained(stored, _lang(lang))


def _comparison(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        **row,
        "title": row["title"][lang],
        "category_labels": [label[lang] for label in row["category_labels"]],
        "gates": [{**g, "reason": g["reason"][lang]} for g in row["gates"]],
        "factors": [{**f, "reason": f["reason"][lang]} for f in row["factors"]],
    }


@router.get(
    "/compare",
    response={200: list[ComparisonOut], **error_responses(401, 403, 404, 422)},
    summary="Where would I qualify?",
)
def compare_policies(
    request: HttpRequest, profile: str | None = None, lang: Lang | None = None
) -> list[dict[str, Any]]:
    """A profile under every published policy in force today, side by side: the caller's own profile, or
    (programme staff) the profile with external id ``profile``. Nothing is stored."""
    chosen = _lang(lang)
    return [_comparison(row, chosen) for row in services.compare_policies(actor_of(request), profile)]


# --- policy versions -----------------------------------------------------------------------------


@router.get(
    "/policies",
    response={200: list[PolicyVersionOut], **error_responses(401, 422)},
    summary="List policy versions",
)
@paginate(LimitOffsetPage)
def list_policy_versions(
    request: HttpRequest,
    policy_id: str | None = None,
    status: Literal["draft", "reviewed", "published", "retired"] | None = None,
) -> Any:
    """Policy versions the caller may see (staff: all; others: published), filtered by policy and status."""
    found = selectors.policy_versions_visible_to(actor_of(request))
    if policy_id:
        found = found.filter(policy_id=policy_id)
    if status:
        found = found.filter(status=status)
    return found.order_by("policy_id", "-effective_from", "pk")


@router.get(
    "/policies/{version_id}",
    response={200: PolicyVersionDetailOut, **error_responses(401, 404, 422)},
    summary="Get a policy version",
)
def get_policy_version(request: HttpRequest, version_id: int) -> Any:
    """One policy version with its YAML text and its last impact preview."""
    return selectors.get_policy_version_for(actor_of(request), version_id)


@router.post(
    "/policies",
    response={201: PolicyVersionDetailOut, **error_responses(400, 401, 403, 422)},
    summary="Create a draft policy version",
)
def create_policy_draft(request: HttpRequest, payload: PolicyDraftIn) -> Status:
    """A draft from policy YAML; an invalid policy is refused naming the line, the path and the rule."""
    return Status(201, services.create_policy_draft(actor_of(request), payload.yaml_text))


@router.post(
    "/policies/{version_id}/review",
    response={200: PolicyVersionOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Review a draft policy version",
)
def review_policy_version(request: HttpRequest, version_id: int) -> Any:
    """Someone other than the author marks a draft reviewed."""
    return services.review_policy_version(actor_of(request), version_id)


@router.post(
    "/policies/{version_id}/impact",
    response={200: ImpactOut, **error_responses(401, 403, 404, 422)},
    summary="Preview a policy version's impact on the pool",
)
def preview_policy_impact(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """How the current pool would move against the published version it replaces (kept on the version)."""
    return services.impact_preview(actor_of(request), version_id)


@router.post(
    "/policies/{version_id}/publish",
    response={200: PolicyVersionOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Publish a reviewed policy version",
)
def publish_policy_version(request: HttpRequest, version_id: int) -> Any:
    """A supervisor who did not review it publishes a reviewed version after its impact preview."""
    return services.publish_policy_version(actor_of(request), version_id)


@router.post(
    "/policies/{version_id}/retire",
    response={200: PolicyVersionOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Retire a published policy version",
)
def retire_policy_version(request: HttpRequest, version_id: int) -> Any:
    """A supervisor retires a published version; stored assessments keep it."""
    return services.retire_policy_version(actor_of(request), version_id)


# --- pool reassessment ---------------------------------------------------------------------------


def _job_out(job: Any) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "progress": job.progress,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at,
    }


@router.put(
    "/programmes/{programme_id}/policy",
    response={200: ProgrammePolicyOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Set a programme's policy",
)
def set_programme_policy(request: HttpRequest, programme_id: int, payload: ProgrammePolicyIn) -> dict[str, Any]:
    """Choose the published policy a programme assesses its applications with (administrators and supervisors)."""
    link = services.set_programme_policy(actor_of(request), programme_id, payload.policy_id)
    return {"programme_id": link.programme_id, "policy_id": link.policy_id}


@router.post(
    "/programmes/{programme_id}/reassess",
    response={202: JobOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Reassess a programme's pool",
)
def reassess_pool(request: HttpRequest, programme_id: int, payload: ReassessIn) -> Status:
    """Queue the reassessment of every open submitted application of the programme; follow the job's progress."""
    job = services.reassess_pool(actor_of(request), programme_id, payload.policy_id)
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.get(
    "/jobs/{job_id}",
    response={200: JobOut, **error_responses(401, 404, 422)},
    summary="Progress of a reassessment job",
)
def get_reassessment_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """A pool reassessment's progress and result (programme staff)."""
    return _job_out(services.get_reassessment_job(actor_of(request), job_id))


# --- selection rounds ----------------------------------------------------------------------------


@router.get(
    "/rounds", response={200: list[RoundOut], **error_responses(401, 403, 422)}, summary="List selection rounds"
)
@paginate(LimitOffsetPage)
def list_rounds(
    request: HttpRequest,
    programme_id: int | None = None,
    status: Literal["draft", "previewed", "approved", "run"] | None = None,
) -> Any:
    """Selection rounds (programme staff), newest first, filtered by programme and status."""
    found = selectors.rounds_listed_for(actor_of(request))
    if programme_id is not None:
        found = found.filter(programme_id=programme_id)
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


@router.post("/rounds", response={201: RoundOut, **error_responses(400, 401, 403, 404, 422)}, summary="Define a round")
def define_round(request: HttpRequest, payload: RoundIn) -> Status:
    """An officer defines a round: policy (version), optional category, invitations or cutoff; ties by submission time."""
    fields = payload.dict()
    return Status(201, rounds.define_round(actor_of(request), **fields))


@router.get("/rounds/{round_id}", response={200: RoundOut, **error_responses(401, 404, 422)}, summary="Get a round")
def get_round(request: HttpRequest, round_id: int) -> Any:
    return selectors.get_round_for(actor_of(request), round_id)


@router.post(
    "/rounds/{round_id}/preview",
    response={200: RoundOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Preview a round (what-if)",
)
def preview_round(request: HttpRequest, round_id: int) -> Any:
    """Compute the round's what-if now: invited count, cutoff, distributions by sector and category, histogram."""
    return rounds.preview_round(actor_of(request), round_id)


@router.post(
    "/rounds/{round_id}/approve",
    response={200: RoundOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Approve a previewed round",
)
def approve_round(request: HttpRequest, round_id: int) -> Any:
    """A supervisor who did not define the round approves it."""
    return rounds.approve_round(actor_of(request), round_id)


@router.post(
    "/rounds/{round_id}/run",
    response={200: RoundOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Run an approved round",
)
def run_round(request: HttpRequest, round_id: int) -> Any:
    """Invite the selected applications, once; running again is refused (409) and invites nobody."""
    return rounds.run_round(actor_of(request), round_id)


@router.get(
    "/rounds/{round_id}/invitations",
    response={200: list[RoundInvitationOut], **error_responses(401, 404, 422)},
    summary="Invitations of a round",
)
@paginate(LimitOffsetPage)
def list_round_invitations(request: HttpRequest, round_id: int) -> Any:
    return selectors.invitations_of_round(actor_of(request), round_id)


@router.get(
    "/rounds/{round_id}/fairness",
    response={200: FairnessOut, **error_responses(401, 404, 409, 422)},
    summary="Fairness report of a round",
)
def get_round_fairness(request: HttpRequest, round_id: int) -> dict[str, Any]:
    """Score distributions of the ranked pool and the invited by world region and by sex (never inputs)."""
    return rounds.round_fairness(actor_of(request), round_id)
