"""Matching runs over a small world: capacities, reproducibility, ranked lists and who sees what."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.matching import selectors, services
from talentgate.matching.models import CandidatePreference, HostPreference, MatchResult, RunStatus, ShortlistEntry
from talentgate.programmes.models import Application

pytestmark = pytest.mark.django_db


def _placements(run) -> dict[int, int | None]:
    return dict(MatchResult.objects.filter(run=run).values_list("application_id", "opportunity_id"))


def test_a_run_places_within_capacity_and_marks_the_matched(world):
    run = services.start_matching_run(world.officer, world.draft_run().pk)
    assert (run.status, run.stable, run.job.status, run.job.done) == (RunStatus.DONE, True, "succeeded", 4)
    placements = _placements(run)
    assert len(placements) == 4
    opps = world.opportunities
    for opportunity in opps.values():
        assert sum(1 for o in placements.values() if o == opportunity.pk) <= opportunity.capacity
    apps = world.applications
    # dan is eligible nowhere; the other three fill at most 3 of the 4 seats (Comms needs cat's Russian).
    assert placements[apps["dan"].pk] is None
    assert all(placements[apps[n].pk] is not None for n in ("ann", "bob", "cat"))
    assert placements[apps["bob"].pk] in {opps["Propulsion"].pk, opps["Avionics"].pk}
    assert run.stats["matched"] == 3
    assert run.stats["seats"] == 4
    assert run.certificate["blocking_pairs"] == 0
    statuses = dict(Application.objects.filter(pk__in=[a.pk for a in apps.values()]).values_list("pk", "status"))
    assert statuses == {apps["dan"].pk: "invited", **{apps[n].pk: "matched" for n in ("ann", "bob", "cat")}}
    cat = MatchResult.objects.get(run=run, application=apps["cat"])
    assert cat.preference_source == "fit"
    assert cat.choice_rank in (1, 2)
    assert any(r["code"] == "required_skills" and r["params"]["required"] == 1 for r in cat.reasons)
    assert any(text.startswith("matches 1 of 1 required skill: skill ") for text in cat.reason_texts)


def test_the_same_data_and_seed_give_the_same_result(world):
    run = world.draft_run(seed=7)
    first = services.plan_run(run)
    second = services.plan_run(run)
    assert first.assignment.tolist() == second.assignment.tolist()
    assert first.candidate_rankings == second.candidate_rankings
    assert first.position_rankings == second.position_rankings
    done = services.start_matching_run(world.officer, run.pk)
    stored = _placements(done)
    planned = {
        a.pk: (first.opportunities[j].pk if j >= 0 else None)
        for a, j in zip(first.applications, first.assignment.tolist(), strict=True)
    }
    assert stored == planned


def test_ties_are_broken_by_the_seeded_lottery_alone(world):
    # Two identical applicants for one place: the order depends on the seed only, and the same seed repeats it.
    run_a, run_b = world.draft_run(seed=1), world.draft_run(seed=1)
    assert services.plan_run(run_a).position_rankings == services.plan_run(run_b).position_rankings
    orders = {tuple(services.plan_run(world.draft_run(seed=s)).position_rankings[2]) for s in range(8)}
    assert all(sorted(o) == sorted(next(iter(orders))) for o in orders)


def test_submitted_ranked_lists_override_the_fit(world):
    run = world.draft_run()
    opps, apps = world.opportunities, world.applications
    services.submit_candidate_preference(world.candidates["ann"], run.pk, [opps["Avionics"].pk])
    services.submit_host_preference(world.hosts["org1"], run.pk, opps["Avionics"].pk, [apps["ann"].pk, apps["cat"].pk])
    done = services.start_matching_run(world.officer, run.pk)
    placements = _placements(done)
    assert placements[apps["ann"].pk] == opps["Avionics"].pk
    ann = MatchResult.objects.get(run=done, application=apps["ann"])
    assert (ann.choice_rank, ann.preference_source) == (1, "submitted")
    assert done.stats["from_submitted_lists"] == {"candidates": 1, "opportunities": 1, "couples": 0}


def test_a_bad_ranked_list_is_refused_naming_the_entry(world):
    run = world.draft_run()
    ann = world.candidates["ann"]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.submit_candidate_preference(ann, run.pk, [world.opportunities["Comms"].pk, 987654])
    (error,) = caught.value.errors
    assert (error.field, error.rule) == ("opportunity_ids[1]", "unknown_opportunity")
    assert "987654" in str(error.message)
    with pytest.raises(ValidationFailed) as caught:
        services.submit_candidate_preference(ann, run.pk, [world.opportunities["Comms"].pk] * 2)
    assert [(e.field, e.rule) for e in caught.value.errors] == [("opportunity_ids[1]", "duplicate")]
    with pytest.raises(ValidationFailed) as caught:
        services.submit_host_preference(world.hosts["org1"], run.pk, world.opportunities["Propulsion"].pk, [-3])
    assert [(e.field, e.rule) for e in caught.value.errors] == [("application_ids[0]", "unknown_application")]
    assert (CandidatePreference.objects.count(), HostPreference.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == before


def test_ranked_lists_close_at_the_deadline_and_when_the_run_starts(world):
    run = world.draft_run()
    run.preferences_deadline = timezone.now() - timedelta(seconds=1)
    run.save()
    with pytest.raises(Conflict) as caught:
        services.submit_candidate_preference(world.candidates["ann"], run.pk, [])
    assert caught.value.errors[0].rule == "deadline"
    started = services.start_matching_run(world.officer, world.draft_run().pk)
    with pytest.raises(Conflict):
        services.submit_candidate_preference(world.candidates["dan"], started.pk, [])
    with pytest.raises(Conflict) as caught:
        services.start_matching_run(world.officer, started.pk)
    assert caught.value.errors[0].rule == "draft"


def test_a_host_cannot_rank_for_another_organisations_opportunity(world):
    run = world.draft_run()
    with pytest.raises(NotFound):
        services.submit_host_preference(
            world.hosts["org2"], run.pk, world.opportunities["Propulsion"].pk, [world.applications["ann"].pk]
        )
    assert HostPreference.objects.count() == 0


def test_only_officers_and_supervisors_create_and_start_runs(world, make_user):
    for role in (Role.CANDIDATE, Role.HOST_ADMIN, Role.ANALYST):
        with pytest.raises((PermissionRefused, NotFound)):
            services.create_matching_run(
                make_user(role),
                programme_id=world.programme.pk,
                preferences_deadline=timezone.now() + timedelta(days=1),
            )
    run = world.draft_run()
    with pytest.raises((PermissionRefused, NotFound)):
        services.start_matching_run(world.candidates["ann"], run.pk)
    assert selectors.get_run_for(world.officer, run.pk).status == RunStatus.DRAFT


def test_a_bad_deadline_or_seed_is_refused_naming_the_field(world):
    with pytest.raises(ValidationFailed) as caught:
        services.create_matching_run(
            world.officer,
            programme_id=world.programme.pk,
            preferences_deadline=timezone.now() - timedelta(days=1),
            seed=-1,
        )
    assert [(e.field, e.rule) for e in caught.value.errors] == [("preferences_deadline", "future"), ("seed", "range")]


def test_hosts_see_only_their_own_opportunities_results(world):
    run = services.start_matching_run(world.officer, world.draft_run().pk)
    org1, org2 = world.hosts["org1"], world.hosts["org2"]
    propulsion = world.opportunities["Propulsion"]
    shortlist = list(selectors.shortlist_for_host(org1, run.pk, propulsion.pk))
    assert [e.application_id for e in shortlist][:1]
    assert all(e.opportunity_id == propulsion.pk for e in shortlist)
    # Everyone eligible is ranked (dan lacks the degree); those holding skill A come first.
    apps = world.applications
    assert {e.application_id for e in shortlist} == {apps["ann"].pk, apps["bob"].pk, apps["cat"].pk}
    assert {e.application_id for e in shortlist[:2]} == {apps["ann"].pk, apps["bob"].pk}
    with pytest.raises(NotFound):
        list(selectors.shortlist_for_host(org2, run.pk, propulsion.pk))
    placed_org2 = {r.opportunity_id for r in selectors.host_placements(org2, run.pk)}
    assert placed_org2 <= {world.opportunities["Comms"].pk}
    with pytest.raises(NotFound):
        selectors.results_of_run(org1, run.pk)


def test_hosts_see_only_candidates_open_to_hosts(world):
    run = services.start_matching_run(world.officer, world.draft_run().pk)
    bob = world.applications["bob"]
    # bob's application is withdrawn-like: he no longer counts as applied and gave no matched_hosts consent.
    Application.objects.filter(pk=bob.pk).update(status="withdrawn")
    shortlist = selectors.shortlist_for_host(world.hosts["org1"], run.pk, world.opportunities["Propulsion"].pk)
    assert bob.pk not in {e.application_id for e in shortlist}
    assert ShortlistEntry.objects.filter(run=run, application=bob).exists()


def test_a_candidate_sees_only_their_own_placement(world, make_user):
    run = services.start_matching_run(world.officer, world.draft_run().pk)
    bob = world.candidates["bob"]
    (mine,) = selectors.own_results(bob)
    assert mine.application_id == world.applications["bob"].pk
    assert mine.reasons
    assert selectors.own_results(make_user(Role.CANDIDATE)).count() == 0
    assert selectors.own_results(world.hosts["org1"]).count() == 0
    with pytest.raises(NotFound):
        selectors.results_of_run(bob, run.pk)
    with pytest.raises(NotFound):
        selectors.get_run_for(make_user(Role.CANDIDATE), run.pk)


def test_a_failed_run_is_marked_failed(world, monkeypatch):
    def broken(run, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "plan_run", broken)
    # The task backend records the task's failure; the service returns the run as the job left it.
    services.start_matching_run(world.officer, world.draft_run().pk)
    run = selectors.runs_visible_to(world.officer).first()
    assert (run.status, run.error, run.job.status) == (RunStatus.FAILED, "RuntimeError: boom", "failed")
    assert MatchResult.objects.count() == 0
    assert not np.any([a.status == "matched" for a in Application.objects.all()])
