"""API routes of the matching domain: runs (officers create, start and follow them), ranked lists (candidates
rank opportunities, hosts rank a run's applicants for their own opportunities), and results (officers see a
run's placements, hosts their own opportunities' ranked candidates with reasons and placements, candidates
their own placement and why), and dual-career couples (an applicant proposes one with another applicant of the
run, the partner confirms, either member submits the joint ranked list of pairs of opportunities).

Every operation calls ``matching.services`` or ``matching.selectors`` only. Offers are not made here: a host
makes each offer for a placement itself with ``POST /api/hosts/offers`` (DESIGN.md: offers come from host staff).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.pagination import LimitOffsetPage
from talentgate.matching import selectors, services
from talentgate.matching.reasons import render_reasons

router = Router(tags=["matching"])


def _reason_codes(reasons: Any) -> list[dict[str, Any]]:
    return [r for r in reasons or [] if isinstance(r, dict)]


def _name(profile: Any) -> str:
    return f"{profile.given_names_latin} {profile.family_name_latin}".strip()


# --- schemas -------------------------------------------------------------------------------------


class RunIn(Schema):
    programme_id: int
    preferences_deadline: dt.datetime = Field(description="Ranked lists are accepted until this moment.")
    selection_round_id: int | None = Field(None, description="Only the applications this round invited.")
    seed: int = Field(0, description="Seeds the tie-breaking lottery; the same data and seed give the same result.")


class RunOut(Schema):
    id: int
    programme_id: int
    selection_round_id: int | None
    status: str
    preferences_deadline: dt.datetime
    seed: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    stable: bool | None = Field(description="The independent checker's verdict; empty until the run is done.")
    stats: dict[str, Any]
    certificate: dict[str, Any]
    job_id: int | None
    progress: float | None = Field(description="Share of the applicants scored, 0-1, while running.")
    error: str

    @staticmethod
    def resolve_job_id(run: Any) -> int | None:
        return run.job_id

    @staticmethod
    def resolve_progress(run: Any) -> float | None:
        return run.job.progress if run.job_id else None


class ResultOut(Schema):
    application_id: int
    profile_external_id: str
    opportunity_id: int | None
    opportunity_title: str | None
    organisation_name: str | None
    choice_rank: int | None = Field(description="1 = the candidate's first choice.")
    fit_score: float | None
    reasons: list[str] = Field(description="The fit reasons in the caller's language (Accept-Language).")
    reason_codes: list[dict[str, Any]] = Field(
        description="The same reasons as codes with parameters (languages as ISO 639-1, CEFR levels, ISCED degrees)."
    )

    @staticmethod
    def resolve_reasons(row: Any) -> list[str]:
        return render_reasons(row.reasons)

    @staticmethod
    def resolve_reason_codes(row: Any) -> list[dict[str, Any]]:
        return _reason_codes(row.reasons)

    preference_source: str = Field(description="'submitted' (a ranked list) or 'fit' (the fit score).")
    couple_id: int | None = Field(
        description="Set when the applicant was matched as a member of a couple: both placed together, or neither."
    )

    @staticmethod
    def resolve_profile_external_id(result: Any) -> str:
        return str(result.application.profile.external_id)

    @staticmethod
    def resolve_opportunity_title(result: Any) -> str | None:
        return result.opportunity.title if result.opportunity_id else None

    @staticmethod
    def resolve_organisation_name(result: Any) -> str | None:
        return result.opportunity.organisation.name if result.opportunity_id else None


class MyPlacementOut(ResultOut):
    run_id: int
    programme_id: int
    run_finished_at: dt.datetime | None

    @staticmethod
    def resolve_programme_id(result: Any) -> int:
        return int(result.run.programme_id)

    @staticmethod
    def resolve_run_finished_at(result: Any) -> dt.datetime | None:
        return result.run.finished_at


class ShortlistOut(Schema):
    rank: int
    application_id: int
    profile_external_id: str
    candidate_name: str
    fit_score: float
    eligible: bool
    reasons: list[str] = Field(description="The fit reasons in the caller's language (Accept-Language).")
    reason_codes: list[dict[str, Any]] = Field(
        description="The same reasons as codes with parameters (languages as ISO 639-1, CEFR levels, ISCED degrees)."
    )

    @staticmethod
    def resolve_reasons(row: Any) -> list[str]:
        return render_reasons(row.reasons)

    @staticmethod
    def resolve_reason_codes(row: Any) -> list[dict[str, Any]]:
        return _reason_codes(row.reasons)

    placed: bool
    preference_source: str

    @staticmethod
    def resolve_profile_external_id(entry: Any) -> str:
        return str(entry.application.profile.external_id)

    @staticmethod
    def resolve_candidate_name(entry: Any) -> str:
        return _name(entry.application.profile)


class PoolEntryOut(Schema):
    application_id: int
    profile_external_id: str
    candidate_name: str

    @staticmethod
    def resolve_application_id(application: Any) -> int:
        return int(application.pk)

    @staticmethod
    def resolve_profile_external_id(application: Any) -> str:
        return str(application.profile.external_id)

    @staticmethod
    def resolve_candidate_name(application: Any) -> str:
        return _name(application.profile)


class CandidateRankingIn(Schema):
    opportunity_ids: list[Any] = Field(description="Open opportunity ids, best first.")


class HostRankingIn(Schema):
    application_ids: list[Any] = Field(description="Application ids of the run's applicants, best first.")


class CoupleIn(Schema):
    partner_application_id: Any = Field(description="The partner's application id in the same run (they tell it).")


class CoupleRankingIn(Schema):
    pairs: Any = Field(
        description="Pairs [first member's opportunity id or null, second member's or null], best first; "
        "the first member is the one who proposed; null leaves that member unplaced in that pair."
    )


class CoupleOut(Schema):
    id: int
    run_id: int
    first_application_id: int = Field(description="The applicant who proposed.")
    second_application_id: int = Field(description="The partner, who confirms.")
    status: str = Field(description="proposed, confirmed or withdrawn; only a confirmed couple is matched as one.")
    ranking: list[list[int | None]]
    proposed_at: dt.datetime
    confirmed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    ranking_submitted_at: dt.datetime | None

    @staticmethod
    def resolve_first_application_id(couple: Any) -> int:
        return int(couple.first_id)

    @staticmethod
    def resolve_second_application_id(couple: Any) -> int:
        return int(couple.second_id)


class RankingOut(Schema):
    run_id: int
    ranking: list[int]
    submitted_at: dt.datetime


# --- runs ----------------------------------------------------------------------------------------


@router.post(
    "/runs", response={201: RunOut, **error_responses(400, 401, 403, 404, 422)}, summary="Create a matching run"
)
def create_run(request: HttpRequest, payload: RunIn) -> Status:
    """Open a run that collects ranked lists until its deadline (officers and supervisors)."""
    run = services.create_matching_run(
        actor_of(request),
        programme_id=payload.programme_id,
        preferences_deadline=payload.preferences_deadline,
        selection_round_id=payload.selection_round_id,
        seed=payload.seed,
    )
    return Status(201, run)


@router.get("/runs", response={200: list[RunOut], **error_responses(401, 422)}, summary="List matching runs")
@paginate(LimitOffsetPage)
def list_runs(request: HttpRequest, programme_id: int | None = None, status: str | None = None) -> Any:
    """Runs the caller may see, newest first, optionally of one programme or in one status."""
    runs = selectors.runs_visible_to(actor_of(request))
    if programme_id is not None:
        runs = runs.filter(programme_id=programme_id)
    if status:
        runs = runs.filter(status=status)
    return runs


@router.get("/runs/{run_id}", response={200: RunOut, **error_responses(401, 404, 422)}, summary="Get a matching run")
def get_run(request: HttpRequest, run_id: int) -> Any:
    """A run with its status, progress, stability verdict and statistics."""
    return selectors.get_run_for(actor_of(request), run_id)


@router.post(
    "/runs/{run_id}/start",
    response={202: RunOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Start a matching run",
)
def start_run(request: HttpRequest, run_id: int) -> Status:
    """Close the ranked lists and allocate in the background; follow ``progress`` and ``status``."""
    return Status(202, services.start_matching_run(actor_of(request), run_id))


@router.get(
    "/runs/{run_id}/results",
    response={200: list[ResultOut], **error_responses(401, 404, 422)},
    summary="List a run's placements",
)
@paginate(LimitOffsetPage)
def list_run_results(request: HttpRequest, run_id: int, placed: bool | None = None) -> Any:
    """Every applicant's placement in a run (programme staff); ``placed`` filters placed or unplaced ones."""
    results = selectors.results_of_run(actor_of(request), run_id)
    if placed is not None:
        results = results.filter(opportunity__isnull=not placed)
    return results


# --- candidates ----------------------------------------------------------------------------------


@router.get(
    "/my/placements", response={200: list[MyPlacementOut], **error_responses(401, 422)}, summary="List my placements"
)
@paginate(LimitOffsetPage)
def list_my_placements(request: HttpRequest) -> Any:
    """The caller's own placements in finished runs, newest first, with the reasons."""
    return selectors.own_results(actor_of(request))


@router.put(
    "/runs/{run_id}/ranking",
    response={200: RankingOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Submit my ranked list of opportunities",
)
def submit_my_ranking(request: HttpRequest, run_id: int, payload: CandidateRankingIn) -> Any:
    """The applicant ranks open opportunities, best first, before the run's deadline (replacing an earlier list)."""
    preference = services.submit_candidate_preference(actor_of(request), run_id, payload.opportunity_ids)
    return preference


# --- hosts ---------------------------------------------------------------------------------------


@router.get(
    "/runs/{run_id}/pool",
    response={200: list[PoolEntryOut], **error_responses(401, 404, 422)},
    summary="List a run's applicants a host may rank",
)
@paginate(LimitOffsetPage)
def list_run_pool(request: HttpRequest, run_id: int) -> Any:
    """A run's applicants open to hosts (applied or consented), for a host's ranked list."""
    return selectors.pool_visible_to_host(actor_of(request), run_id)


@router.put(
    "/runs/{run_id}/opportunities/{opportunity_id}/ranking",
    response={200: RankingOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Submit a host's ranked list for an opportunity",
)
def submit_opportunity_ranking(request: HttpRequest, run_id: int, opportunity_id: int, payload: HostRankingIn) -> Any:
    """A host member ranks the run's applicants for an own opportunity, best first, before the deadline."""
    preference = services.submit_host_preference(actor_of(request), run_id, opportunity_id, payload.application_ids)
    return preference


@router.get(
    "/runs/{run_id}/opportunities/{opportunity_id}/shortlist",
    response={200: list[ShortlistOut], **error_responses(401, 404, 422)},
    summary="List an opportunity's ranked candidates",
)
@paginate(LimitOffsetPage)
def list_shortlist(request: HttpRequest, run_id: int, opportunity_id: int) -> Any:
    """The candidates the run ranked for an own opportunity, best first, with the reasons and who was placed."""
    return selectors.shortlist_for_host(actor_of(request), run_id, opportunity_id)


@router.get(
    "/runs/{run_id}/placements",
    response={200: list[ResultOut], **error_responses(401, 404, 422)},
    summary="List who a run placed on my organisation's opportunities",
)
@paginate(LimitOffsetPage)
def list_host_placements(request: HttpRequest, run_id: int) -> Any:
    """Placements on the caller's organisation's opportunities: make each offer with ``POST /api/hosts/offers``."""
    return selectors.host_placements(actor_of(request), run_id)


# --- couples -------------------------------------------------------------------------------------


@router.post(
    "/runs/{run_id}/couples",
    response={201: CoupleOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Propose a dual-career couple",
)
def propose_couple(request: HttpRequest, run_id: int, payload: CoupleIn) -> Status:
    """The applicant proposes a couple with another applicant of the run; it counts once the partner confirms."""
    return Status(201, services.propose_couple(actor_of(request), run_id, payload.partner_application_id))


@router.get("/couples", response={200: list[CoupleOut], **error_responses(401, 422)}, summary="List couples")
@paginate(LimitOffsetPage)
def list_couples(request: HttpRequest, run_id: int | None = None) -> Any:
    """Couples the caller is a member of (programme staff: every couple), optionally of one run."""
    couples = selectors.couples_visible_to(actor_of(request))
    return couples.filter(run_id=run_id) if run_id is not None else couples


@router.get("/couples/{couple_id}", response={200: CoupleOut, **error_responses(401, 404, 422)}, summary="Get a couple")
def get_couple(request: HttpRequest, couple_id: int) -> Any:
    """One couple the caller is a member of (or any, for programme staff)."""
    return selectors.get_couple_for(actor_of(request), couple_id)


@router.post(
    "/couples/{couple_id}/confirm",
    response={200: CoupleOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Confirm a couple",
)
def confirm_couple(request: HttpRequest, couple_id: int) -> Any:
    """The partner confirms a proposed couple, before the run's deadline."""
    return services.confirm_couple(actor_of(request), couple_id)


@router.post(
    "/couples/{couple_id}/withdraw",
    response={200: CoupleOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Withdraw from a couple",
)
def withdraw_couple(request: HttpRequest, couple_id: int) -> Any:
    """Either member withdraws (the partner declines) before the deadline; both then rank on their own."""
    return services.withdraw_couple(actor_of(request), couple_id)


@router.put(
    "/couples/{couple_id}/ranking",
    response={200: CoupleOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Submit a couple's joint ranked list",
)
def submit_couple_ranking(request: HttpRequest, couple_id: int, payload: CoupleRankingIn) -> Any:
    """Either member of a confirmed couple submits the joint ranked list of pairs, best first (replacing it)."""
    return services.submit_couple_preference(actor_of(request), couple_id, payload.pairs)
