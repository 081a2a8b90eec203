"""Reads of matching runs, ranked lists and results, each filtered to what the actor may see.

* programme staff (officers, supervisors...) see every run, its results and its shortlists;
* a host member sees, for its own organisation's opportunities only, the ranked candidates with
  reasons and the placements, and only candidates who applied or gave the 'matched_hosts'
  consent (the rule of :func:`talentgate.hosts.selectors.profiles_open_to_hosts`);
* a candidate sees only their own placement and why, and the couples they are a member of.

``get_*_for`` raises ``NotFound`` both for a missing object and for one the actor may not see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import NotFound
from talentgate.hosts import selectors as host_selectors
from talentgate.hosts.models import Opportunity, OpportunityStatus, Verification
from talentgate.matching.models import (
    CandidatePreference,
    Couple,
    CoupleStatus,
    HostPreference,
    MatchingRun,
    MatchResult,
    RunStatus,
    ShortlistEntry,
)
from talentgate.programmes.models import Application, ApplicationStatus


def pool_of(run: MatchingRun) -> QuerySet[Application]:
    """The applications a run allocates: the programme's invited ones (only the round's when it names one), by id."""
    pool = Application.objects.filter(programme_id=run.programme_id, status=ApplicationStatus.INVITED)
    if run.selection_round_id is not None:
        pool = pool.filter(round_invitations__round_id=run.selection_round_id)
    return pool.order_by("pk")


def open_opportunities() -> QuerySet[Opportunity]:
    """The opportunities a run fills: published ones of verified organisations, by id."""
    return Opportunity.objects.filter(
        status=OpportunityStatus.PUBLISHED, organisation__verification=Verification.VERIFIED
    ).order_by("pk")


def accepts_preferences(run: MatchingRun) -> bool:
    """True while a run is a draft and its deadline for ranked lists has not passed."""
    return run.status == RunStatus.DRAFT and timezone.now() < run.preferences_deadline


# --- runs ---------------------------------------------------------------------------------------


def runs_visible_to(actor: Any) -> QuerySet[MatchingRun]:
    """Programme staff: every run. Candidates: runs of programmes they hold an invited or matched application to.
    Host members: every run (to submit ranked lists and see their own opportunities' results). Else none."""
    base = MatchingRun.objects.select_related("programme", "job", "selection_round")
    role = role_of(actor)
    if role is None:
        return base.none()
    if is_programme_staff(actor):
        return base.all()
    if role == Role.CANDIDATE:
        return base.filter(
            programme__applications__profile__user=actor,
            programme__applications__status__in=[ApplicationStatus.INVITED, ApplicationStatus.MATCHED],
        ).distinct()
    if host_selectors.membership_of(actor) is not None:
        return base.all()
    return base.none()


def get_run_for(actor: Any, run_id: int) -> MatchingRun:
    try:
        return runs_visible_to(actor).get(pk=run_id)
    except (MatchingRun.DoesNotExist, ValueError, TypeError):
        raise NotFound("run") from None


def get_staff_run_for(actor: Any, run_id: int) -> MatchingRun:
    """A run with its whole results: programme staff only (``NotFound`` for anyone else)."""
    if not is_programme_staff(actor):
        raise NotFound("run")
    return get_run_for(actor, run_id)


def results_of_run(actor: Any, run_id: int) -> QuerySet[MatchResult]:
    """Every application's placement in a run (programme staff only)."""
    run = get_staff_run_for(actor, run_id)
    return MatchResult.objects.filter(run=run).select_related("application__profile", "opportunity__organisation")


# --- candidates ---------------------------------------------------------------------------------


def own_results(actor: Any) -> QuerySet[MatchResult]:
    """The candidate's own placements in finished runs, newest run first (none for anyone else)."""
    if role_of(actor) != Role.CANDIDATE:
        return MatchResult.objects.none()
    return (
        MatchResult.objects.filter(application__profile__user=actor, run__status=RunStatus.DONE)
        .select_related("run__programme", "opportunity__organisation", "application")
        .order_by("-run__created_at", "-run__pk")
    )


def own_application_in(actor: Any, run: MatchingRun) -> Application:
    """The candidate's application in a run's pool; ``NotFound`` when they have none."""
    application = pool_of(run).filter(profile__user=actor).first() if role_of(actor) == Role.CANDIDATE else None
    if application is None:
        raise NotFound("application")
    return application


def own_candidate_preference(actor: Any, run: MatchingRun) -> CandidatePreference | None:
    """The ranked list the candidate submitted for a run, if any."""
    if role_of(actor) != Role.CANDIDATE:
        return None
    return CandidatePreference.objects.filter(run=run, application__profile__user=actor).first()


# --- couples -------------------------------------------------------------------------------------


def couples_visible_to(actor: Any) -> QuerySet[Couple]:
    """Programme staff: every couple. A candidate: the couples they proposed or were proposed to. Else none."""
    base = Couple.objects.select_related("run", "first__profile", "second__profile")
    if is_programme_staff(actor):
        return base.all()
    if role_of(actor) == Role.CANDIDATE:
        return base.filter(Q(first__profile__user=actor) | Q(second__profile__user=actor))
    return base.none()


def get_couple_for(actor: Any, couple_id: int) -> Couple:
    try:
        return couples_visible_to(actor).get(pk=couple_id)
    except (Couple.DoesNotExist, ValueError, TypeError):
        raise NotFound("couple") from None


def own_couple_in(actor: Any, run: MatchingRun) -> Couple | None:
    """The candidate's live (proposed or confirmed) couple in a run, if any."""
    if role_of(actor) != Role.CANDIDATE:
        return None
    return couples_visible_to(actor).filter(run=run).exclude(status=CoupleStatus.WITHDRAWN).first()


def matched_couples(run: MatchingRun) -> list[Couple]:
    """The couples a run matches as one: confirmed, with both members still in the run's pool, by id."""
    pool = set(pool_of(run).values_list("pk", flat=True))
    couples = Couple.objects.filter(run=run, status=CoupleStatus.CONFIRMED).order_by("pk")
    return [c for c in couples if c.first_id in pool and c.second_id in pool]


# --- hosts --------------------------------------------------------------------------------------


def _own_opportunity(actor: Any, opportunity_id: int) -> Opportunity:
    membership = host_selectors.membership_of(actor)
    opportunity = host_selectors.get_opportunity_for(actor, opportunity_id)
    if membership is None or opportunity.organisation_id != membership.organisation_id:
        raise NotFound("opportunity")
    return opportunity


def own_opportunities(actor: Any) -> QuerySet[Opportunity]:
    """The host member's organisation's published opportunities (those a run fills); none for anyone else."""
    membership = host_selectors.membership_of(actor)
    if membership is None:
        return Opportunity.objects.none()
    return open_opportunities().filter(organisation_id=membership.organisation_id)


def pool_visible_to_host(actor: Any, run_id: int) -> QuerySet[Application]:
    """A run's applicants a host member may rank: those open to hosts (applied or consented)."""
    run = get_run_for(actor, run_id)
    if host_selectors.membership_of(actor) is None:
        raise NotFound("run")
    return pool_of(run).filter(profile__in=host_selectors.profiles_open_to_hosts()).select_related("profile")


def shortlist_for_host(actor: Any, run_id: int, opportunity_id: int) -> QuerySet[ShortlistEntry]:
    """An own opportunity's ranked candidates in a run, with reasons, only candidates open to hosts.

    Programme staff see every opportunity's shortlist; another organisation's opportunity is ``NotFound``.
    """
    run = get_run_for(actor, run_id)
    if is_programme_staff(actor):
        opportunity = host_selectors.get_opportunity_for(actor, opportunity_id)
    else:
        opportunity = _own_opportunity(actor, opportunity_id)
    return (
        ShortlistEntry.objects.filter(run=run, opportunity=opportunity)
        .filter(application__profile__in=host_selectors.profiles_open_to_hosts())
        .select_related("application__profile", "opportunity")
        .order_by("rank")
    )


def host_placements(actor: Any, run_id: int) -> QuerySet[MatchResult]:
    """Who a finished run placed on the host's own opportunities (the basis for the host's offers)."""
    run = get_run_for(actor, run_id)
    membership = host_selectors.membership_of(actor)
    if membership is None:
        raise NotFound("run")
    return (
        MatchResult.objects.filter(run=run, opportunity__organisation_id=membership.organisation_id)
        .filter(application__profile__in=host_selectors.profiles_open_to_hosts())
        .select_related("application__profile", "opportunity")
        .order_by("opportunity_id", "choice_rank", "application_id")
    )


def host_preference_for(actor: Any, run: MatchingRun, opportunity_id: int) -> HostPreference | None:
    """The ranked list the host submitted for an own opportunity in a run, if any."""
    opportunity = _own_opportunity(actor, opportunity_id)
    return HostPreference.objects.filter(run=run, opportunity=opportunity).first()
