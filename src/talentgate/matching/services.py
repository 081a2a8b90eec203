"""Writes of the matching domain: runs (create, start, the background work), ranked lists, and their audit.

A run's preferences: each applicant's submitted ranked list of opportunities, or where there is
none, the eligible opportunities by fit score (at most :data:`MAX_RANKS`); each opportunity's
submitted ranked list of applicants, or the eligible applicants by fit score. Ties in fit are
broken by one lottery seeded with the run's seed, so the same data and seed give the same result.
Confirmed couples rank pairs of opportunities (their joint list, or where they submitted none,
pairs of each member's best eligible opportunities by summed fit) and are placed together or not
at all. Offers are not made here: DESIGN.md has host staff make offers, so the host sees the run's
placements and makes each offer itself (``hosts.services.make_offer``, prefilled by the portal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.common import audit, jobs
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.engines import fit
from talentgate.engines.matching.allocation import AllocationInstance, allocate, ranking_from_scores
from talentgate.matching import fit_inputs, selectors
from talentgate.matching.models import (
    CandidatePreference,
    Couple,
    CoupleStatus,
    HostPreference,
    MatchingRun,
    MatchResult,
    PreferenceSource,
    RunStatus,
    ShortlistEntry,
)
from talentgate.programmes.services import chain_for_profile

#: Opportunities ranked from the fit score for an applicant without a list of their own.
MAX_RANKS = 20
#: Each member's best opportunities combined into a couple's pairs when it submitted no joint list.
COUPLE_FIT_OPTIONS = 5
#: Candidates stored per opportunity for the host to see (placed ones are always kept).
SHORTLIST_SIZE = 20
JOB_KIND = "matching.run"


def chain_for_run(run: MatchingRun) -> str:
    from talentgate.programmes.services import chain_for_programme

    return chain_for_programme(run.programme_id)


# --- runs ---------------------------------------------------------------------------------------


def create_matching_run(
    actor: Any,
    *,
    programme_id: int,
    preferences_deadline: dt.datetime,
    selection_round_id: int | None = None,
    seed: int = 0,
) -> MatchingRun:
    """Open a draft run that collects ranked lists until ``preferences_deadline`` (officers and supervisors)."""
    from talentgate.assessment.models import SelectionRound
    from talentgate.programmes.selectors import get_programme_for

    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    programme = get_programme_for(actor, programme_id)
    errors: list[FieldError] = []
    if not isinstance(preferences_deadline, dt.datetime) or preferences_deadline <= timezone.now():
        errors.append(
            FieldError(
                "preferences_deadline", "future", gettext("The deadline for ranked lists must be in the future.")
            )
        )
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 2**31 - 1:
        errors.append(FieldError("seed", "range", gettext("The seed must be a whole number from 0 to 2147483647.")))
    if (
        selection_round_id is not None
        and not SelectionRound.objects.filter(pk=selection_round_id, programme=programme).exists()
    ):
        errors.append(
            FieldError("selection_round_id", "unknown", gettext("No selection round of this programme has this id."))
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        run = MatchingRun.objects.create(
            programme=programme,
            selection_round_id=selection_round_id,
            preferences_deadline=preferences_deadline,
            seed=seed,
            started_by=None,
        )
        audit.record(
            actor,
            "matching.run_created",
            run,
            chain=chain_for_run(run),
            fields=["programme", "selection_round", "preferences_deadline", "seed"],
        )
    return run


def start_matching_run(actor: Any, run_id: int) -> MatchingRun:
    """Start a draft run now (officers and supervisors): the allocation runs as a background job with progress.

    Ranked lists are closed from this moment even if the deadline has not passed.
    """
    from talentgate.matching.tasks import matching_run_task

    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().filter(pk=selectors.get_staff_run_for(actor, run_id).pk).get()
        if run.status != RunStatus.DRAFT:
            raise Conflict(
                "status",
                "draft",
                gettext("Only a run still collecting ranked lists can be started; this one is %(status)s.")
                % {"status": RunStatus(run.status).label},
            )
        job = jobs.start_job(JOB_KIND, started_by=actor, total=selectors.pool_of(run).count())
        run.status = RunStatus.RUNNING
        run.started_by = actor
        run.started_at = timezone.now()
        run.job = job
        run.save(update_fields=["status", "started_by", "started_at", "job"])
        audit.record(actor, "matching.run_started", run, chain=chain_for_run(run), fields=["status", "job"])
    result = matching_run_task.enqueue(job.pk, run.pk)
    job.task_result_id = str(result.id)
    job.save(update_fields=["task_result_id"])
    run.refresh_from_db()
    return run


@dataclass
class Plan:
    """What a run decides, before anything is stored: rows follow ``applications`` and columns ``opportunities``."""

    applications: list[Any]
    opportunities: list[Any]
    candidates: list[fit.CandidateProfile]
    fit_inputs: list[fit.Opportunity]
    scores: np.ndarray  # applications x opportunities, -inf where ineligible
    candidate_rankings: list[list[int]]
    candidate_sources: list[str]
    position_rankings: list[list[int]]
    position_sources: list[str]
    couples: list[Couple]
    couple_rankings: list[list[tuple[int | None, int | None]]]  # column pairs, best first
    couple_rows: list[tuple[int, int]]  # each couple's (first, second) application rows
    couple_of_row: dict[int, int]  # application row -> index into ``couples``
    assignment: np.ndarray
    stable: bool
    status: str
    stats: dict[str, Any]
    certificate: dict[str, Any]


def _policy_scores(applications: Sequence[Any]) -> dict[int, float]:
    """Each application's latest assessment total scaled by the pool's highest (0-1; 0 when never assessed)."""
    from talentgate.assessment.models import Assessment

    latest: dict[int, float] = {}
    rows = Assessment.objects.filter(application__in=[a.pk for a in applications]).order_by("created_at", "pk")
    for application_id, total in rows.values_list("application_id", "total"):
        latest[application_id] = float(total)
    top = max(latest.values(), default=0.0)
    return {k: (v / top if top > 0 else 0.0) for k, v in latest.items()}


def _ranked(scores: np.ndarray, seed: int, limit: int | None) -> list[int]:
    order = ranking_from_scores(scores, lottery_seed=seed)
    eligible = order[np.isfinite(scores[order])]
    return [int(i) for i in (eligible[:limit] if limit is not None else eligible)]


def plan_run(run: MatchingRun, progress: Any = None) -> Plan:
    """Build the preferences and allocate, writing nothing (deterministic for the same data and seed)."""
    from talentgate.candidates.models import Profile
    from talentgate.candidates.selectors import canonical_profiles
    from talentgate.hosts.models import OfferStatus

    applications = list(selectors.pool_of(run).select_related("profile"))
    opportunities = list(
        selectors.open_opportunities()
        .prefetch_related("skills", "occupations", "languages")
        .select_related("organisation")
    )
    policy = _policy_scores(applications)
    canonical = {
        p.id: p for p in canonical_profiles(Profile.objects.filter(pk__in=[a.profile_id for a in applications]))
    }
    candidates = [
        fit_inputs.candidate_input(canonical[a.profile.external_id], policy.get(a.pk, 0.0)) for a in applications
    ]
    accepted: dict[int, int] = {}
    for opportunity in opportunities:
        accepted[opportunity.pk] = opportunity.offers.filter(status=OfferStatus.ACCEPTED).count()
    wanted = [fit_inputs.opportunity_input(o, accepted[o.pk]) for o in opportunities]
    n_c, n_o = len(applications), len(opportunities)
    scores = np.full((n_c, n_o), -np.inf, dtype=np.float32)  # the fit engine's precision; half the memory
    if n_c and n_o:
        arrays = fit.encode_pool(candidates, wanted)
        for i in range(n_c):  # one sparse product per applicant; the pool is one programme's invited applicants
            scores[i] = fit.score_candidate_row(arrays, i)
            if progress is not None and (i + 1) % 500 == 0:
                progress(500)
        if progress is not None and n_c % 500:
            progress(n_c % 500)

    column_of = {o.pk: j for j, o in enumerate(opportunities)}
    row_of = {a.pk: i for i, a in enumerate(applications)}
    submitted_c = {p.application_id: p.ranking for p in CandidatePreference.objects.filter(run=run)}
    submitted_h = {p.opportunity_id: p.ranking for p in HostPreference.objects.filter(run=run)}
    capacities = [w.places_left for w in wanted]

    couples = selectors.matched_couples(run)
    couple_of_row: dict[int, int] = {}
    couple_rows: list[tuple[int, int]] = []
    couple_rankings: list[list[tuple[int | None, int | None]]] = []
    couple_sources: list[str] = []
    for k, couple in enumerate(couples):
        first, second = row_of[couple.first_id], row_of[couple.second_id]
        couple_of_row[first] = couple_of_row[second] = k
        couple_rows.append((first, second))
        if couple.ranking:
            couple_rankings.append(_couple_columns(couple.ranking, column_of))
            couple_sources.append(PreferenceSource.SUBMITTED)
        else:
            couple_rankings.append(_couple_pairs_by_fit(scores[first], scores[second], capacities, run.seed))
            couple_sources.append(PreferenceSource.FIT)

    candidate_rankings: list[list[int]] = []
    candidate_sources: list[str] = []
    for i, application in enumerate(applications):
        if i in couple_of_row:
            # A couple member ranks only as part of the couple (the engine refuses a list of its own).
            ranking = []
            candidate_sources.append(couple_sources[couple_of_row[i]])
        elif application.pk in submitted_c:
            # An opportunity closed since the list was submitted simply drops out.
            ranking = [column_of[o] for o in submitted_c[application.pk] if o in column_of]
            candidate_sources.append(PreferenceSource.SUBMITTED)
        else:
            ranking = _ranked(scores[i], run.seed, MAX_RANKS)
            candidate_sources.append(PreferenceSource.FIT)
        candidate_rankings.append(ranking)
    position_rankings: list[list[int]] = []
    position_sources: list[str] = []
    for j, opportunity in enumerate(opportunities):
        if opportunity.pk in submitted_h:
            ranking = [row_of[a] for a in submitted_h[opportunity.pk] if a in row_of]
            position_sources.append(PreferenceSource.SUBMITTED)
        else:
            ranking = _ranked(scores[:, j], run.seed, None)
            position_sources.append(PreferenceSource.FIT)
        position_rankings.append(ranking)

    instance = AllocationInstance.from_lists(
        candidate_rankings,
        position_rankings,
        capacities,
        couples=list(zip(couple_rows, couple_rankings, strict=True)),
    )
    result = allocate(instance, seed=run.seed)
    certificate: dict[str, Any] = {}
    if result.certificate is not None:
        cert = result.certificate
        certificate = {
            "valid": cert.valid,
            "blocking_pairs": cert.n_blocking,
            "over_capacity": len(cert.over_capacity),
            "unacceptable": len(cert.unacceptable),
            "broken_couples": len(cert.broken_couples),
        }
    stats = {k: v for k, v in result.stats.items() if k != "seconds"}
    stats["from_submitted_lists"] = {
        "candidates": candidate_sources.count(PreferenceSource.SUBMITTED),
        "opportunities": position_sources.count(PreferenceSource.SUBMITTED),
        "couples": couple_sources.count(PreferenceSource.SUBMITTED),
    }
    stats["couples"] = len(couples)
    return Plan(
        applications=applications,
        opportunities=opportunities,
        candidates=candidates,
        fit_inputs=wanted,
        scores=scores,
        candidate_rankings=candidate_rankings,
        candidate_sources=candidate_sources,
        position_rankings=position_rankings,
        position_sources=position_sources,
        couples=couples,
        couple_rankings=couple_rankings,
        couple_rows=couple_rows,
        couple_of_row=couple_of_row,
        assignment=result.assignment,
        stable=result.stable,
        status=result.status,
        stats=stats,
        certificate=certificate,
    )


def _couple_columns(
    ranking: Sequence[Sequence[int | None]], column_of: dict[int, int]
) -> list[tuple[int | None, int | None]]:
    """A couple's submitted pairs of opportunity ids as column pairs; a pair naming a closed opportunity drops out."""
    pairs: list[tuple[int | None, int | None]] = []
    for first, second in ranking:
        if (first is not None and first not in column_of) or (second is not None and second not in column_of):
            continue
        pair = (None if first is None else column_of[first], None if second is None else column_of[second])
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def _couple_pairs_by_fit(
    first_scores: np.ndarray, second_scores: np.ndarray, capacities: Sequence[int], seed: int
) -> list[tuple[int | None, int | None]]:
    """Pairs of each member's best eligible opportunities, by summed fit (at most :data:`MAX_RANKS`).

    Both members are placed in every pair; the same opportunity twice only where it has two places left.
    """
    firsts = _ranked(first_scores, seed, COUPLE_FIT_OPTIONS)
    seconds = _ranked(second_scores, seed, COUPLE_FIT_OPTIONS)
    pairs = [
        (float(first_scores[a]) + float(second_scores[b]), a, b)
        for a in firsts
        for b in seconds
        if a != b or capacities[a] >= 2
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))  # ties by column, so the order is reproducible
    return [(a, b) for _, a, b in pairs[:MAX_RANKS]]


def _choice_rank(plan: Plan, i: int) -> int | None:
    """1 = the candidate's (or their couple's) first choice; None when the placement is not on the list."""
    j = int(plan.assignment[i])
    if i in plan.couple_of_row:
        k = plan.couple_of_row[i]
        got = tuple(None if int(plan.assignment[r]) < 0 else int(plan.assignment[r]) for r in plan.couple_rows[k])
        ranking = plan.couple_rankings[k]
        return ranking.index(got) + 1 if got in ranking else None  # type: ignore[arg-type]
    return plan.candidate_rankings[i].index(j) + 1 if j in plan.candidate_rankings[i] else None


def _finite(value: float) -> float:
    return float(value) if np.isfinite(value) else 0.0


def _store(run: MatchingRun, plan: Plan, actor: Any) -> None:
    from talentgate.programmes.services import mark_application_matched

    labels = fit_inputs.labels_of(plan.opportunities)

    def explained(i: int, j: int) -> fit.FitExplanation:
        return fit.explain_fit(plan.candidates[i], plan.fit_inputs[j], labels=labels)

    results = []
    for i, application in enumerate(plan.applications):
        j = int(plan.assignment[i])
        couple = plan.couples[plan.couple_of_row[i]] if i in plan.couple_of_row else None
        if j < 0:
            results.append(
                MatchResult(
                    run=run,
                    application=application,
                    preference_source=plan.candidate_sources[i],
                    reasons=[],
                    couple=couple,
                )
            )
            continue
        explanation = explained(i, j)
        results.append(
            MatchResult(
                run=run,
                application=application,
                opportunity=plan.opportunities[j],
                choice_rank=_choice_rank(plan, i),
                fit_score=round(explanation.score, 4),
                reasons=explanation.reasons,
                preference_source=plan.candidate_sources[i],
                couple=couple,
            )
        )
    MatchResult.objects.bulk_create(results)
    entries = []
    for j, opportunity in enumerate(plan.opportunities):
        ranking = plan.position_rankings[j]
        placed = {i for i in ranking if int(plan.assignment[i]) == j}
        kept = [(rank, i) for rank, i in enumerate(ranking, start=1) if rank <= SHORTLIST_SIZE or i in placed]
        for rank, i in kept:
            explanation = explained(i, j)
            entries.append(
                ShortlistEntry(
                    run=run,
                    opportunity=opportunity,
                    application=plan.applications[i],
                    rank=rank,
                    fit_score=round(_finite(explanation.score), 4),
                    eligible=explanation.eligible,
                    reasons=explanation.reasons,
                    placed=i in placed,
                    preference_source=plan.position_sources[j],
                )
            )
    ShortlistEntry.objects.bulk_create(entries)
    for i, application in enumerate(plan.applications):
        if int(plan.assignment[i]) >= 0:
            mark_application_matched(actor, application.pk)


def run_matching(job_id: int, run_id: int) -> dict[str, Any]:
    """The work of :func:`start_matching_run` (run by the task worker): plan, store results, mark the matched."""
    run = MatchingRun.objects.select_related("started_by").get(pk=run_id)
    plan = plan_run(run, progress=lambda n: jobs.advance(job_id, n))
    actor = run.started_by
    with transaction.atomic():
        _store(run, plan, actor)
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
        run.stable = plan.stable
        run.stats = plan.stats
        run.certificate = {"status": plan.status, **plan.certificate}
        run.save(update_fields=["status", "finished_at", "stable", "stats", "certificate"])
        audit.record(actor, "matching.run_done", run, chain=chain_for_run(run), fields=["status", "stable", "stats"])
    return {"run": run.pk, "stable": plan.stable, **{k: plan.stats.get(k) for k in ("matched", "unmatched", "seats")}}


def fail_run(run_id: int, error: str) -> None:
    """Record that a run's job failed, so the run does not stay 'running' for ever."""
    MatchingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# --- ranked lists -------------------------------------------------------------------------------


def _open_run(actor: Any, run_id: int) -> MatchingRun:
    run = selectors.get_run_for(actor, run_id)
    if not selectors.accepts_preferences(run):
        raise Conflict(
            "run", "deadline", gettext("This run no longer accepts ranked lists (its deadline passed or it started).")
        )
    return run


def _id_list(field: str, values: Any, known: set[int], rule: str, message: str) -> list[int]:
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed.single(field, "list", gettext("Give a list of ids, best first."))
    errors: list[FieldError] = []
    seen: set[int] = set()
    for k, value in enumerate(values):
        path = f"{field}[{k}]"
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(FieldError(path, "integer", gettext("Each entry must be a whole-number id.")))
        elif value in seen:
            errors.append(FieldError(path, "duplicate", gettext("Id %(id)d is listed twice.") % {"id": value}))
        elif value not in known:
            errors.append(FieldError(path, rule, message % {"id": value}))
        else:
            seen.add(value)
    if errors:
        raise ValidationFailed(errors)
    return list(values)


def submit_candidate_preference(actor: Any, run_id: int, opportunity_ids: Any) -> CandidatePreference:
    """The applicant ranks open opportunities for a run, best first (replacing an earlier list), before its deadline.

    An unknown or closed opportunity id is refused naming its entry (``opportunity_ids[2]``); nothing is saved.
    """
    require_role(actor, Role.CANDIDATE)
    with transaction.atomic():
        run = _open_run(actor, run_id)
        application = selectors.own_application_in(actor, run)
        known = set(selectors.open_opportunities().values_list("pk", flat=True))
        ranking = _id_list(
            "opportunity_ids",
            opportunity_ids,
            known,
            "unknown_opportunity",
            gettext("No open opportunity has id %(id)d."),
        )
        preference, _ = CandidatePreference.objects.update_or_create(
            run=run,
            application=application,
            defaults={"ranking": ranking, "submitted_by": actor, "submitted_at": timezone.now()},
        )
        audit.record(
            actor,
            "matching.candidate_ranked",
            preference,
            chain=chain_for_profile(application.profile),
            fields=["ranking"],
        )
    return preference


def submit_host_preference(actor: Any, run_id: int, opportunity_id: int, application_ids: Any) -> HostPreference:
    """A host member ranks a run's applicants for an own opportunity, best first, before the run's deadline.

    Only applicants in the run's pool and open to hosts may be listed; any other id is refused
    naming its entry (``application_ids[0]``); nothing is saved.
    """
    with transaction.atomic():
        run = _open_run(actor, run_id)
        if not selectors.own_opportunities(actor).filter(pk=opportunity_id).exists():
            raise NotFound("opportunity")
        opportunity = selectors.own_opportunities(actor).get(pk=opportunity_id)
        known = set(selectors.pool_visible_to_host(actor, run.pk).values_list("pk", flat=True))
        ranking = _id_list(
            "application_ids",
            application_ids,
            known,
            "unknown_application",
            gettext("No applicant in this run has application id %(id)d."),
        )
        preference, _ = HostPreference.objects.update_or_create(
            run=run,
            opportunity=opportunity,
            defaults={"ranking": ranking, "submitted_by": actor, "submitted_at": timezone.now()},
        )
        audit.record(
            actor,
            "matching.host_ranked",
            preference,
            chain=audit.chain_for_organisation(opportunity.organisation_id),
            fields=["ranking"],
        )
    return preference


# --- couples ------------------------------------------------------------------------------------


def _live_couple_of(run: MatchingRun, application_id: int) -> Couple | None:
    return (
        Couple.objects.select_for_update()
        .filter(run=run)
        .exclude(status=CoupleStatus.WITHDRAWN)
        .filter(Q(first_id=application_id) | Q(second_id=application_id))
        .first()
    )


def propose_couple(actor: Any, run_id: int, partner_application_id: Any) -> Couple:
    """An applicant proposes a dual-career couple with another applicant of the same run, before its deadline.

    The partner is named by their application id (they tell it to the proposer); the couple counts
    only once the partner confirms. Refused, naming the field, when the partner is not another
    applicant of the run or either of them is already in a couple for it; nothing is saved.
    """
    require_role(actor, Role.CANDIDATE)
    with transaction.atomic():
        run = _open_run(actor, run_id)
        own = selectors.own_application_in(actor, run)
        field = "partner_application_id"
        if not isinstance(partner_application_id, int) or isinstance(partner_application_id, bool):
            raise ValidationFailed.single(field, "integer", gettext("Give your partner's application id."))
        if partner_application_id == own.pk or not selectors.pool_of(run).filter(pk=partner_application_id).exists():
            raise ValidationFailed.single(
                field,
                "unknown_applicant",
                gettext("No other applicant in this run has application id %(id)d.") % {"id": partner_application_id},
            )
        if _live_couple_of(run, own.pk) is not None:
            raise Conflict(
                "run", "already_in_couple", gettext("You are already in a couple for this run; withdraw from it first.")
            )
        if _live_couple_of(run, partner_application_id) is not None:
            raise Conflict(field, "partner_in_couple", gettext("This applicant is already in a couple for this run."))
        couple = Couple.objects.create(run=run, first=own, second_id=partner_application_id)
        audit.record(
            actor, "matching.couple_proposed", couple, chain=chain_for_profile(own.profile), fields=["first", "second"]
        )
    return couple


def _own_couple(actor: Any, couple_id: int) -> tuple[Couple, Any]:
    """The couple (locked) and the actor's application in it, while its run accepts ranked lists."""
    require_role(actor, Role.CANDIDATE)
    couple = Couple.objects.select_for_update().get(pk=selectors.get_couple_for(actor, couple_id).pk)
    _open_run(actor, couple.run_id)
    mine = couple.first if couple.first.profile.user_id == actor.pk else couple.second
    return couple, mine


def confirm_couple(actor: Any, couple_id: int) -> Couple:
    """The partner confirms a proposed couple; from then on the run matches the two as one."""
    with transaction.atomic():
        couple, mine = _own_couple(actor, couple_id)
        if couple.status != CoupleStatus.PROPOSED:
            raise Conflict(
                "status",
                "proposed",
                gettext("Only a proposed couple can be confirmed; this one is %(status)s.")
                % {"status": CoupleStatus(couple.status).label},
            )
        if mine.pk != couple.second_id:
            # Not a state the proposer can change: only the partner may say yes, so it is a refusal (403).
            raise PermissionRefused(gettext("Your partner confirms the couple, not you."), rule="partner_confirms")
        couple.status = CoupleStatus.CONFIRMED
        couple.confirmed_at = timezone.now()
        couple.save(update_fields=["status", "confirmed_at"])
        audit.record(
            actor, "matching.couple_confirmed", couple, chain=chain_for_profile(mine.profile), fields=["status"]
        )
    return couple


def withdraw_couple(actor: Any, couple_id: int) -> Couple:
    """Either member withdraws (or the partner declines) before the deadline; both then rank on their own."""
    with transaction.atomic():
        couple, mine = _own_couple(actor, couple_id)
        if couple.status == CoupleStatus.WITHDRAWN:
            raise Conflict("status", "live", gettext("This couple has already been withdrawn."))
        couple.status = CoupleStatus.WITHDRAWN
        couple.withdrawn_at = timezone.now()
        couple.save(update_fields=["status", "withdrawn_at"])
        audit.record(
            actor, "matching.couple_withdrawn", couple, chain=chain_for_profile(mine.profile), fields=["status"]
        )
    return couple


def _pairs(values: Any, known: set[int]) -> list[list[int | None]]:
    """Validate a joint ranked list: pairs of open opportunity ids or null, at least one id each, no pair twice."""
    field = "pairs"
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed.single(field, "list", gettext("Give a list of pairs of opportunity ids, best first."))
    errors: list[FieldError] = []
    seen: list[list[int | None]] = []
    for k, pair in enumerate(values):
        path = f"{field}[{k}]"
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            errors.append(
                FieldError(
                    path, "pair", gettext("Each entry is a pair: [first member's id or null, second's or null].")
                )
            )
            continue
        ok = True
        for m, value in enumerate(pair):
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                errors.append(FieldError(f"{path}[{m}]", "integer", gettext("Each id must be a whole number or null.")))
                ok = False
            elif value not in known:
                errors.append(
                    FieldError(
                        f"{path}[{m}]",
                        "unknown_opportunity",
                        gettext("No open opportunity has id %(id)d.") % {"id": value},
                    )
                )
                ok = False
        if not ok:
            continue
        if pair[0] is None and pair[1] is None:
            errors.append(FieldError(path, "empty_pair", gettext("A pair must place at least one of you.")))
        elif list(pair) in seen:
            errors.append(
                FieldError(
                    path,
                    "duplicate",
                    gettext("This pair is already ranked at entry %(entry)d.") % {"entry": seen.index(list(pair)) + 1},
                )
            )
        else:
            seen.append(list(pair))
    if errors:
        raise ValidationFailed(errors)
    return seen


def submit_couple_preference(actor: Any, couple_id: int, pairs: Any) -> Couple:
    """Either member of a confirmed couple submits the joint ranked list, best first (replacing an earlier one).

    Each pair is ``[first member's opportunity id or null, second member's or null]``, ``first``
    being the member who proposed; null leaves that member unplaced in that pair. A bad entry is
    refused naming it (``pairs[2][1]``); nothing is saved.
    """
    with transaction.atomic():
        couple, mine = _own_couple(actor, couple_id)
        if couple.status != CoupleStatus.CONFIRMED:
            raise Conflict(
                "status", "confirmed", gettext("A joint ranked list needs a couple both members have confirmed.")
            )
        known = set(selectors.open_opportunities().values_list("pk", flat=True))
        couple.ranking = _pairs(pairs, known)
        couple.ranking_submitted_by = actor
        couple.ranking_submitted_at = timezone.now()
        couple.save(update_fields=["ranking", "ranking_submitted_by", "ranking_submitted_at"])
        audit.record(actor, "matching.couple_ranked", couple, chain=chain_for_profile(mine.profile), fields=["ranking"])
    return couple
