"""The matching API: officers create, start and follow runs; candidates rank opportunities and see their own
placement; hosts rank applicants and see their own opportunities' ranked candidates and placements. Each action
with its happy path, anonymous (401), someone else's object (404) and a bad field (named, nothing changed)."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.matching import services
from talentgate.matching.models import CandidatePreference, HostPreference, MatchingRun, MatchResult

sys.path.insert(0, str(Path(__file__).parents[1] / "matching"))

from matching_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    return build_world(make_user)


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def _deadline():
    return (timezone.now() + timedelta(days=2)).isoformat()


def test_an_officer_creates_starts_and_follows_a_run(world):
    officer = _client(world.officer)
    created = _send(
        officer,
        "post",
        "/api/matching/runs",
        {"programme_id": world.programme.pk, "preferences_deadline": _deadline(), "seed": 3},
    )
    assert created.status_code == 201, created.content
    run_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    started = _send(officer, "post", f"/api/matching/runs/{run_id}/start")
    assert started.status_code == 202, started.content
    run = officer.get(f"/api/matching/runs/{run_id}").json()
    assert (run["status"], run["stable"], run["progress"], run["stats"]["matched"]) == ("done", True, 1.0, 3)
    listed = officer.get(f"/api/matching/runs?programme_id={world.programme.pk}&status=done").json()
    assert [r["id"] for r in listed["items"]] == [run_id]
    results = officer.get(f"/api/matching/runs/{run_id}/results?placed=true").json()
    assert results["count"] == 3
    assert all(r["opportunity_title"] and r["reasons"] for r in results["items"])


def test_run_operations_refuse_anonymous_and_others(world, make_user):
    run = world.draft_run()
    anonymous = _client()
    assert anonymous.get("/api/matching/runs").status_code == 401
    assert _send(anonymous, "post", f"/api/matching/runs/{run.pk}/start").status_code == 401
    candidate = _client(world.candidates["ann"])
    assert _send(candidate, "post", f"/api/matching/runs/{run.pk}/start").status_code in (403, 404)
    assert candidate.get(f"/api/matching/runs/{run.pk}/results").status_code == 404
    assert _client(make_user(Role.CANDIDATE)).get(f"/api/matching/runs/{run.pk}").status_code == 404
    assert MatchingRun.objects.get(pk=run.pk).status == "draft"


def test_creating_a_run_with_a_past_deadline_names_the_field(world):
    before = MatchingRun.objects.count()
    response = _send(
        _client(world.officer),
        "post",
        "/api/matching/runs",
        {"programme_id": world.programme.pk, "preferences_deadline": "2020-01-01T00:00:00Z"},
    )
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("preferences_deadline", "future")]
    assert MatchingRun.objects.count() == before


def test_a_candidate_ranks_opportunities_and_sees_only_their_own_placement(world, make_user):
    run = world.draft_run()
    ann = _client(world.candidates["ann"])
    avionics = world.opportunities["Avionics"].pk
    ranked = _send(ann, "put", f"/api/matching/runs/{run.pk}/ranking", {"opportunity_ids": [avionics]})
    assert ranked.status_code == 200, ranked.content
    assert ranked.json()["ranking"] == [avionics]
    services.start_matching_run(world.officer, run.pk)
    mine = ann.get("/api/matching/my/placements").json()
    assert [(p["application_id"], p["opportunity_id"], p["choice_rank"]) for p in mine["items"]] == [
        (world.applications["ann"].pk, avionics, 1)
    ]
    assert mine["items"][0]["reasons"]
    assert _client(make_user(Role.CANDIDATE)).get("/api/matching/my/placements").json()["count"] == 0
    assert _client().get("/api/matching/my/placements").status_code == 401


def test_a_bad_candidate_ranked_list_is_refused_naming_the_entry(world):
    run = world.draft_run()
    response = _send(
        _client(world.candidates["ann"]), "put", f"/api/matching/runs/{run.pk}/ranking", {"opportunity_ids": [999999]}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("opportunity_ids[0]", "unknown_opportunity")
    assert CandidatePreference.objects.count() == 0
    assert _send(_client(), "put", f"/api/matching/runs/{run.pk}/ranking", {"opportunity_ids": []}).status_code == 401


def test_a_host_ranks_its_applicants_and_sees_its_own_shortlist(world):
    run = world.draft_run()
    host = _client(world.hosts["org1"])
    pool = host.get(f"/api/matching/runs/{run.pk}/pool").json()
    assert pool["count"] == 4
    propulsion = world.opportunities["Propulsion"].pk
    bob = world.applications["bob"].pk
    ranked = _send(
        host, "put", f"/api/matching/runs/{run.pk}/opportunities/{propulsion}/ranking", {"application_ids": [bob]}
    )
    assert ranked.status_code == 200, ranked.content
    services.start_matching_run(world.officer, run.pk)
    shortlist = host.get(f"/api/matching/runs/{run.pk}/opportunities/{propulsion}/shortlist").json()
    assert [(e["application_id"], e["placed"], e["preference_source"]) for e in shortlist["items"]] == [
        (bob, True, "submitted")
    ]
    placements = host.get(f"/api/matching/runs/{run.pk}/placements").json()["items"]
    assert {p["opportunity_id"] for p in placements} <= {propulsion, world.opportunities["Avionics"].pk}
    assert bob in {p["application_id"] for p in placements}


def test_a_host_cannot_see_or_rank_another_organisations_opportunity(world):
    run = world.draft_run()
    other = _client(world.hosts["org2"])
    propulsion = world.opportunities["Propulsion"].pk
    response = _send(
        other,
        "put",
        f"/api/matching/runs/{run.pk}/opportunities/{propulsion}/ranking",
        {"application_ids": [world.applications["ann"].pk]},
    )
    assert response.status_code == 404
    assert HostPreference.objects.count() == 0
    services.start_matching_run(world.officer, run.pk)
    assert other.get(f"/api/matching/runs/{run.pk}/opportunities/{propulsion}/shortlist").status_code == 404
    placed_elsewhere = {
        p["opportunity_id"] for p in other.get(f"/api/matching/runs/{run.pk}/placements").json()["items"]
    }
    assert placed_elsewhere <= {world.opportunities["Comms"].pk}
    assert MatchResult.objects.filter(run=run, opportunity_id=propulsion).exists()
    assert _client().get(f"/api/matching/runs/{run.pk}/placements").status_code == 401


def test_a_bad_host_ranked_list_names_the_entry(world):
    run = world.draft_run()
    propulsion = world.opportunities["Propulsion"].pk
    response = _send(
        _client(world.hosts["org1"]),
        "put",
        f"/api/matching/runs/{run.pk}/opportunities/{propulsion}/ranking",
        {"application_ids": [world.applications["ann"].pk, "x"]},
    )
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("application_ids[1]", "integer")]
    assert HostPreference.objects.count() == 0


# --- couples -------------------------------------------------------------------------------------


def test_a_couple_is_proposed_confirmed_ranked_and_placed_together_through_the_api(world):
    from talentgate.matching.models import Couple

    run = world.draft_run()
    apps, opps = world.applications, world.opportunities
    ann, cat = _client(world.candidates["ann"]), _client(world.candidates["cat"])
    proposed = _send(ann, "post", f"/api/matching/runs/{run.pk}/couples", {"partner_application_id": apps["cat"].pk})
    assert proposed.status_code == 201, proposed.content
    couple_id = proposed.json()["id"]
    assert (proposed.json()["status"], proposed.json()["first_application_id"]) == ("proposed", apps["ann"].pk)
    assert _send(ann, "post", f"/api/matching/couples/{couple_id}/confirm").status_code == 403  # the partner confirms
    confirmed = _send(cat, "post", f"/api/matching/couples/{couple_id}/confirm")
    assert confirmed.json()["status"] == "confirmed"
    pairs = [[opps["Avionics"].pk, opps["Comms"].pk]]
    ranked = _send(cat, "put", f"/api/matching/couples/{couple_id}/ranking", {"pairs": pairs})
    assert (ranked.status_code, ranked.json()["ranking"]) == (200, pairs)
    assert [c["id"] for c in ann.get("/api/matching/couples").json()["items"]] == [couple_id]
    assert ann.get(f"/api/matching/couples/{couple_id}").status_code == 200
    services.start_matching_run(world.officer, run.pk)
    mine = {p["run_id"]: p for p in ann.get("/api/matching/my/placements").json()["items"]}
    assert (mine[run.pk]["opportunity_id"], mine[run.pk]["couple_id"]) == (opps["Avionics"].pk, couple_id)
    assert Couple.objects.get().status == "confirmed"


def test_couple_routes_refuse_anonymous_outsiders_and_bad_fields(world):
    from talentgate.matching.models import Couple

    run = world.draft_run()
    apps = world.applications
    ann, bob = _client(world.candidates["ann"]), _client(world.candidates["bob"])
    path = f"/api/matching/runs/{run.pk}/couples"
    assert _send(Client(), "post", path, {"partner_application_id": apps["cat"].pk}).status_code == 401
    bad = _send(ann, "post", path, {"partner_application_id": 987654})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "partner_application_id"
    assert Couple.objects.count() == 0
    couple_id = _send(ann, "post", path, {"partner_application_id": apps["cat"].pk}).json()["id"]
    assert bob.get(f"/api/matching/couples/{couple_id}").status_code == 404
    assert _send(bob, "post", f"/api/matching/couples/{couple_id}/withdraw").status_code == 404
    assert bob.get("/api/matching/couples").json()["items"] == []
    _send(_client(world.candidates["cat"]), "post", f"/api/matching/couples/{couple_id}/confirm")
    refused = _send(ann, "put", f"/api/matching/couples/{couple_id}/ranking", {"pairs": [[None, None]]})
    assert refused.status_code == 400
    assert (refused.json()["errors"][0]["field"], refused.json()["errors"][0]["rule"]) == ("pairs[0]", "empty_pair")
    assert Couple.objects.get().ranking == []
    officer = _client(world.officer)
    assert [c["id"] for c in officer.get(f"/api/matching/couples?run_id={run.pk}").json()["items"]] == [couple_id]


def test_placement_reasons_come_worded_and_as_codes(world):
    services.start_matching_run(world.officer, world.draft_run().pk)
    item = _client(world.candidates["cat"]).get("/api/matching/my/placements").json()["items"][0]
    assert item["reason_codes"][0]["code"] == "required_skills"
    assert item["reason_codes"][0]["params"]["required"] == 1
    assert item["reasons"][0].startswith("matches 1 of 1 required skill: skill ")
    assert len(item["reasons"]) == len(item["reason_codes"])
