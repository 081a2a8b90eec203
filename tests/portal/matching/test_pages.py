"""Matching pages with Django's test client: officers open, start and follow runs; candidates rank opportunities
and see their placement; hosts rank applicants and see their own opportunities' ranked candidates. GET renders,
a valid POST works, an invalid POST shows the error next to its field, and the Russian page renders."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.matching import services
from talentgate.matching.models import CandidatePreference, HostPreference, MatchingRun

sys.path.insert(0, str(Path(__file__).parents[2] / "matching"))

from matching_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    return build_world(make_user)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_opens_starts_and_reads_a_run(world):
    officer = _client(world.officer)
    assert officer.get("/matching/runs/").status_code == 200
    deadline = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = officer.post(
        "/matching/runs/", {"programme_id": world.programme.pk, "preferences_deadline": deadline, "seed": 5}
    )
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/matching/runs/{run.pk}/"
    assert run.seed == 5
    assert officer.post(f"/matching/runs/{run.pk}/start/").status_code == 302
    page = officer.get(f"/matching/runs/{run.pk}/")
    assert page.status_code == 200
    assert "The result is stable" in page.content.decode()
    assert "Propulsion" in page.content.decode() or "Avionics" in page.content.decode()
    fragment = officer.get(f"/matching/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="run-progress"' in fragment
    assert "<html" not in fragment


def test_a_past_deadline_is_shown_next_to_its_field(world):
    response = _client(world.officer).post(
        "/matching/runs/",
        {"programme_id": world.programme.pk, "preferences_deadline": "2020-01-01T10:00", "seed": 0},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["preferences_deadline"] == ["The deadline for ranked lists must be in the future."]
    assert (
        'aria-describedby="id_preferences_deadline_helptext id_preferences_deadline_error"' in response.content.decode()
    )
    assert MatchingRun.objects.count() == 0


def test_a_candidate_ranks_and_sees_their_placement(world):
    run = world.draft_run()
    ann = _client(world.candidates["ann"])
    assert ann.get(f"/matching/runs/{run.pk}/ranking/").status_code == 200
    avionics = world.opportunities["Avionics"].pk
    response = ann.post(f"/matching/runs/{run.pk}/ranking/", {"ids": f"{avionics}"})
    assert response.status_code == 302
    assert CandidatePreference.objects.get().ranking == [avionics]
    services.start_matching_run(world.officer, run.pk)
    page = ann.get(f"/matching/runs/{run.pk}/").content.decode()
    assert "Placed: Avionics" in page
    assert "matches 1 of 1 required skill: skill " in page
    assert "Placed: Avionics" in ann.get("/matching/my-placements/").content.decode()
    assert "Not placed in this run" in _client(world.candidates["dan"]).get("/matching/my-placements/").content.decode()


def test_an_unknown_opportunity_in_a_ranked_list_is_named_next_to_the_field(world):
    run = world.draft_run()
    response = _client(world.candidates["ann"]).post(f"/matching/runs/{run.pk}/ranking/", {"ids": "424242"})
    assert response.status_code == 400
    assert response.context["form"].errors["ids"] == ["No open opportunity has id 424242."]
    assert 'aria-describedby="id_ids_helptext id_ids_error"' in response.content.decode()
    assert CandidatePreference.objects.count() == 0


def test_a_host_ranks_applicants_and_sees_ranked_candidates_with_reasons(world):
    run = world.draft_run()
    host = _client(world.hosts["org1"])
    propulsion = world.opportunities["Propulsion"].pk
    bob = world.applications["bob"].pk
    assert host.get(f"/matching/runs/{run.pk}/opportunities/{propulsion}/").status_code == 200
    response = host.post(f"/matching/runs/{run.pk}/opportunities/{propulsion}/", {"ids": f"{bob}"})
    assert response.status_code == 302
    assert HostPreference.objects.get().ranking == [bob]
    bad = host.post(f"/matching/runs/{run.pk}/opportunities/{propulsion}/", {"ids": "1, x"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["ids"] == ["Entry 2, 'x', is not a whole-number id."]
    services.start_matching_run(world.officer, run.pk)
    page = host.get(f"/matching/runs/{run.pk}/opportunities/{propulsion}/").content.decode()
    assert "Placed: make an offer" in page
    assert f"/host/opportunities/{propulsion}/offer/?candidate=" in page
    other = _client(world.hosts["org2"])
    assert other.get(f"/matching/runs/{run.pk}/opportunities/{propulsion}/").status_code == 404


def test_the_pages_render_in_russian(world):
    run = world.draft_run()
    officer = _client(world.officer)
    for path in ("/matching/runs/", f"/matching/runs/{run.pk}/"):
        response = officer.get(path, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 200
        assert response["Content-Language"] == "ru"
    response = _client(world.candidates["ann"]).get(f"/matching/runs/{run.pk}/ranking/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200


def test_the_offer_form_is_prefilled_from_a_placement_link(world):
    run = services.start_matching_run(world.officer, world.draft_run().pk)
    host = _client(world.hosts["org1"])
    placed = next(
        r for r in host.get(f"/matching/runs/{run.pk}/").context["placements"] if r.opportunity_id is not None
    )
    external_id = placed.application.profile.external_id
    form = host.get(f"/host/opportunities/{placed.opportunity_id}/offer/?candidate={external_id}").context["form"]
    assert form.initial["candidate"] == external_id


def test_the_navigation_links_to_the_matching_pages(world):
    assert "/matching/runs/" in _client(world.officer).get("/").content.decode()
    assert "/matching/runs/" in _client(world.hosts["org2"]).get("/").content.decode()
    assert "/matching/my-placements/" in _client(world.candidates["ann"]).get("/").content.decode()


def test_hosts_and_applicants_list_the_runs_they_take_part_in_without_the_form(world, make_user):
    run = world.draft_run()
    for user in (world.hosts["org1"], world.candidates["ann"]):
        page = _client(user).get("/matching/runs/")
        assert page.status_code == 200
        assert page.context["form"] is None
        assert f"/matching/runs/{run.pk}/" in page.content.decode()
    assert _client(make_user(Role.CANDIDATE)).get("/matching/runs/").context["runs"].count() == 0


def test_live_validation_returns_the_field_with_its_error(world):
    officer = _client(world.officer)
    fragment = officer.post(
        "/matching/validate/run/", {"_field": "preferences_deadline", "preferences_deadline": "soon"}
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.strip().startswith('<div class="field" id="group-preferences_deadline">')
    assert 'aria-describedby="id_preferences_deadline_helptext id_preferences_deadline_error"' in html
    assert 'hx-post="/matching/validate/run/"' in html
    ranking = _client(world.candidates["ann"]).post("/matching/validate/ranking/", {"_field": "ids", "ids": "3 y"})
    assert "Entry 2, &#x27;y&#x27;, is not a whole-number id." in ranking.content.decode()
    assert _client(world.candidates["ann"]).post("/matching/validate/run/", {"_field": "seed"}).status_code == 403
    assert officer.post("/matching/validate/nope/", {"_field": "x"}).status_code == 404
    assert officer.post("/matching/validate/run/", {"_field": "nope"}).status_code == 400


# --- couples -------------------------------------------------------------------------------------


def test_applicants_form_a_couple_and_submit_a_joint_list_on_the_couple_page(world):
    from talentgate.matching.models import Couple

    run = world.draft_run()
    apps, opps = world.applications, world.opportunities
    ann, cat = _client(world.candidates["ann"]), _client(world.candidates["cat"])
    page = ann.get(f"/matching/runs/{run.pk}/couple/")
    assert page.status_code == 200
    assert f"<strong>{apps['ann'].pk}</strong>" in page.content.decode()
    proposed = ann.post(
        f"/matching/runs/{run.pk}/couple/", {"action": "propose", "partner_application_id": apps["cat"].pk}
    )
    assert proposed.status_code == 302
    assert "Confirm the couple" in cat.get(f"/matching/runs/{run.pk}/couple/").content.decode()
    assert cat.post(f"/matching/runs/{run.pk}/couple/", {"action": "confirm"}).status_code == 302
    # cat types her own opportunity first: the page stores the pair in the proposer's order (ann's first).
    lines = f"{opps['Comms'].pk} {opps['Avionics'].pk}\n- {opps['Propulsion'].pk}"
    assert cat.post(f"/matching/runs/{run.pk}/couple/", {"action": "rank", "lines": lines}).status_code == 302
    couple = Couple.objects.get()
    assert couple.ranking == [[opps["Avionics"].pk, opps["Comms"].pk], [opps["Propulsion"].pk, None]]
    assert f"{opps['Avionics'].pk} {opps['Comms'].pk}" in ann.get(f"/matching/runs/{run.pk}/couple/").content.decode()
    services.start_matching_run(world.officer, run.pk)
    placements = ann.get("/matching/my-placements/").content.decode()
    assert "Placed together with your partner" in placements


def test_the_couple_page_shows_errors_next_to_the_field_and_saves_nothing(world, make_user):
    from talentgate.matching.models import Couple

    run = world.draft_run()
    ann = _client(world.candidates["ann"])
    bad = ann.post(f"/matching/runs/{run.pk}/couple/", {"action": "propose", "partner_application_id": 987654})
    assert bad.status_code == 400
    assert "No other applicant in this run has application id 987654." in bad.content.decode()
    services.confirm_couple(
        world.candidates["bob"],
        services.propose_couple(world.candidates["ann"], run.pk, world.applications["bob"].pk).pk,
    )
    odd = ann.post(f"/matching/runs/{run.pk}/couple/", {"action": "rank", "lines": "1 2 3"})
    assert odd.status_code == 400
    assert "Line 1 must hold two entries" in odd.content.decode()
    unknown = ann.post(f"/matching/runs/{run.pk}/couple/", {"action": "rank", "lines": "987654 -"})
    assert unknown.status_code == 400
    assert "No open opportunity has id 987654." in unknown.content.decode()
    assert Couple.objects.get().ranking == []
    russian = ann.get(f"/matching/runs/{run.pk}/couple/", HTTP_ACCEPT_LANGUAGE="ru")
    assert (russian.status_code, russian["Content-Language"]) == (200, "ru")
    assert _client(make_user(Role.CANDIDATE)).get(f"/matching/runs/{run.pk}/couple/").status_code == 404
    assert _client(world.hosts["org1"]).get(f"/matching/runs/{run.pk}/couple/").status_code == 404
