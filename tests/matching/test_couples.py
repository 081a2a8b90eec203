"""Dual-career couples in a run: proposing and confirming, the joint ranked list, and placement together or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.matching import selectors, services
from talentgate.matching.models import Couple, CoupleStatus, MatchResult

pytestmark = pytest.mark.django_db


def _couple(world, run, proposer: str, partner: str, confirm: bool = True) -> Couple:
    couple = services.propose_couple(world.candidates[proposer], run.pk, world.applications[partner].pk)
    if confirm:
        couple = services.confirm_couple(world.candidates[partner], couple.pk)
    return couple


def _results(run) -> dict[int, MatchResult]:
    return {r.application_id: r for r in MatchResult.objects.filter(run=run)}


def test_a_couple_is_proposed_then_confirmed_by_the_partner_only(world):
    run = world.draft_run()
    couple = services.propose_couple(world.candidates["ann"], run.pk, world.applications["cat"].pk)
    assert (couple.status, couple.first_id, couple.second_id) == (
        CoupleStatus.PROPOSED,
        world.applications["ann"].pk,
        world.applications["cat"].pk,
    )
    with pytest.raises(PermissionRefused) as caught:
        services.confirm_couple(world.candidates["ann"], couple.pk)
    assert caught.value.errors[0].rule == "partner_confirms"
    with pytest.raises(NotFound):
        services.confirm_couple(world.candidates["bob"], couple.pk)  # not a member: not even visible
    confirmed = services.confirm_couple(world.candidates["cat"], couple.pk)
    assert confirmed.status == CoupleStatus.CONFIRMED
    assert confirmed.confirmed_at is not None
    actions = list(AuditEntry.objects.filter(action__startswith="matching.couple_").values_list("action", flat=True))
    assert actions == ["matching.couple_proposed", "matching.couple_confirmed"]
    assert selectors.own_couple_in(world.candidates["cat"], run) == confirmed
    assert selectors.own_couple_in(world.candidates["bob"], run) is None


def test_a_bad_partner_is_refused_naming_the_field_and_nothing_is_saved(world, make_user):
    run = world.draft_run()
    ann = world.candidates["ann"]
    for partner in (world.applications["ann"].pk, 987654, "cat"):
        with pytest.raises(ValidationFailed) as caught:
            services.propose_couple(ann, run.pk, partner)
        assert caught.value.errors[0].field == "partner_application_id"
    _couple(world, run, "bob", "cat", confirm=False)
    with pytest.raises(Conflict) as caught:
        services.propose_couple(ann, run.pk, world.applications["cat"].pk)
    assert (caught.value.errors[0].field, caught.value.errors[0].rule) == (
        "partner_application_id",
        "partner_in_couple",
    )
    with pytest.raises(Conflict) as caught:
        services.propose_couple(world.candidates["bob"], run.pk, world.applications["ann"].pk)
    assert caught.value.errors[0].rule == "already_in_couple"
    with pytest.raises(NotFound):
        services.propose_couple(make_user(Role.CANDIDATE), run.pk, world.applications["ann"].pk)
    with pytest.raises(PermissionRefused):
        services.propose_couple(world.officer, run.pk, world.applications["ann"].pk)
    assert Couple.objects.count() == 1


def test_a_withdrawn_couple_frees_both_members(world):
    run = world.draft_run()
    couple = _couple(world, run, "ann", "bob")
    services.withdraw_couple(world.candidates["bob"], couple.pk)
    with pytest.raises(Conflict):
        services.withdraw_couple(world.candidates["ann"], couple.pk)
    again = services.propose_couple(world.candidates["bob"], run.pk, world.applications["ann"].pk)
    assert again.status == CoupleStatus.PROPOSED
    assert Couple.objects.filter(status=CoupleStatus.WITHDRAWN).count() == 1


def test_a_bad_joint_list_is_refused_naming_each_entry(world):
    run = world.draft_run()
    couple = _couple(world, run, "ann", "cat")
    opps = world.opportunities
    good = [opps["Avionics"].pk, opps["Comms"].pk]
    bad = [[opps["Avionics"].pk, 987654], [None, None], "x", good, list(good)]
    with pytest.raises(ValidationFailed) as caught:
        services.submit_couple_preference(world.candidates["ann"], couple.pk, bad)
    assert [(e.field, e.rule) for e in caught.value.errors] == [
        ("pairs[0][1]", "unknown_opportunity"),
        ("pairs[1]", "empty_pair"),
        ("pairs[2]", "pair"),
        ("pairs[4]", "duplicate"),
    ]
    couple.refresh_from_db()
    assert couple.ranking == []
    with pytest.raises(ValidationFailed) as caught:
        services.submit_couple_preference(world.candidates["ann"], couple.pk, "Avionics")
    assert caught.value.errors[0].field == "pairs"


def test_only_a_confirmed_couple_ranks_and_only_before_the_deadline(world):
    run = world.draft_run()
    couple = _couple(world, run, "ann", "cat", confirm=False)
    pairs = [[world.opportunities["Avionics"].pk, None]]
    with pytest.raises(Conflict) as caught:
        services.submit_couple_preference(world.candidates["ann"], couple.pk, pairs)
    assert caught.value.errors[0].rule == "confirmed"
    services.confirm_couple(world.candidates["cat"], couple.pk)
    saved = services.submit_couple_preference(world.candidates["cat"], couple.pk, pairs)  # either member may
    assert (saved.ranking, saved.ranking_submitted_by) == (pairs, world.candidates["cat"])
    run.preferences_deadline = timezone.now() - timedelta(seconds=1)
    run.save()
    with pytest.raises(Conflict) as caught:
        services.submit_couple_preference(world.candidates["ann"], couple.pk, [])
    assert caught.value.errors[0].rule == "deadline"
    with pytest.raises(Conflict):
        services.withdraw_couple(world.candidates["ann"], couple.pk)


def test_a_couple_is_placed_together_on_its_first_feasible_pair(world):
    run = world.draft_run()
    opps, apps = world.opportunities, world.applications
    couple = _couple(world, run, "ann", "cat")
    # ann is not eligible for Comms (no skill C, no Russian), so Comms never ranks her: the first pair fails.
    pairs = [[opps["Comms"].pk, opps["Avionics"].pk], [opps["Avionics"].pk, opps["Comms"].pk]]
    services.submit_couple_preference(world.candidates["ann"], couple.pk, pairs)
    done = services.start_matching_run(world.officer, run.pk)
    results = _results(done)
    ann, cat = results[apps["ann"].pk], results[apps["cat"].pk]
    assert (ann.opportunity_id, cat.opportunity_id) == (opps["Avionics"].pk, opps["Comms"].pk)
    assert (ann.choice_rank, cat.choice_rank) == (2, 2)
    assert ann.couple_id == cat.couple_id == couple.pk
    assert (ann.preference_source, done.stable, done.stats["couples"]) == ("submitted", True, 1)
    assert done.stats["from_submitted_lists"]["couples"] == 1


def test_a_couple_is_placed_together_or_not_at_all(world):
    run = world.draft_run()
    opps, apps = world.opportunities, world.applications
    couple = _couple(world, run, "ann", "dan")
    # dan is eligible nowhere, so no pair with a place for him can be taken: ann stays unplaced with him,
    # although alone she would have been placed.
    services.submit_couple_preference(world.candidates["dan"], couple.pk, [[opps["Avionics"].pk, opps["Avionics"].pk]])
    done = services.start_matching_run(world.officer, run.pk)
    results = _results(done)
    assert results[apps["ann"].pk].opportunity_id is None
    assert results[apps["dan"].pk].opportunity_id is None
    assert results[apps["ann"].pk].couple_id == couple.pk
    assert done.stable is True
    alone = services.plan_run(world.draft_run())
    assert int(alone.assignment[[a.pk for a in alone.applications].index(apps["ann"].pk)]) >= 0


def test_a_couple_without_a_joint_list_ranks_pairs_by_fit(world):
    run = world.draft_run()
    apps, opps = world.applications, world.opportunities
    _couple(world, run, "ann", "bob")
    plan = services.plan_run(run)
    (pairs,) = plan.couple_rankings
    columns = {o.pk: j for j, o in enumerate(plan.opportunities)}
    # Both are eligible for Propulsion (1 place) and Avionics (2 places): never both on Propulsion.
    assert (columns[opps["Propulsion"].pk],) * 2 not in pairs
    assert (columns[opps["Avionics"].pk],) * 2 in pairs
    done = services.start_matching_run(world.officer, run.pk)
    results = _results(done)
    assert results[apps["ann"].pk].opportunity_id is not None
    assert results[apps["bob"].pk].opportunity_id is not None
    assert results[apps["ann"].pk].preference_source == "fit"


def test_an_unconfirmed_couple_leaves_both_ranking_alone(world):
    run = world.draft_run()
    _couple(world, run, "ann", "bob", confirm=False)
    plan = services.plan_run(run)
    assert plan.couples == []
    assert all(
        plan.candidate_rankings[i] for i, a in enumerate(plan.applications) if a.pk != world.applications["dan"].pk
    )


def test_couples_are_visible_to_their_members_and_programme_staff_only(world, make_user):
    run = world.draft_run()
    couple = _couple(world, run, "ann", "cat")
    assert list(selectors.couples_visible_to(world.candidates["cat"])) == [couple]
    assert list(selectors.couples_visible_to(world.officer)) == [couple]
    assert not selectors.couples_visible_to(world.candidates["bob"]).exists()
    assert not selectors.couples_visible_to(world.hosts["org1"]).exists()
    with pytest.raises(NotFound):
        selectors.get_couple_for(make_user(Role.CANDIDATE), couple.pk)
