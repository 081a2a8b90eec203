"""A host organisation's administrator in a real browser: invites a colleague (who joins from the e-mailed
link), publishes a new opportunity, ranks the applicants matched to it in an open matching run, and, once
the run has placed one of them there, makes that candidate an offer from the placement's link.

The world around the host (the programme, its invited applicants, the officer who opens and starts the
run, a candidate who ranks the new opportunity first) is the matching tests' small world, built through
the services. axe-core checks every main page the host visits; screenshots are kept in
``test-artifacts/<test name>/``.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.hosts.models import Membership, Offer, Opportunity
from talentgate.matching import services as matching
from talentgate.matching.models import HostPreference

from .support import emailed_link, main_page, sign_in

sys.path.insert(0, str(Path(__file__).parents[1] / "matching"))

from matching_world import build_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Test-12345"  # make_user's
COLLEAGUE = "lin.wei@orbital.example"
TITLE = "Guidance engineer"


def test_a_host_admin_onboards_staff_publishes_ranks_and_offers(new_page, artifacts, make_user):
    world = build_world(make_user)
    admin = world.hosts["org1"]
    page = new_page()
    sign_in(page, admin.email, PASSWORD)
    page.get_by_role("link", name="Your organisation: opportunities, offers and staff").click()
    page.get_by_role("heading", name=world.organisations["org1"].name).wait_for()
    main_page(page, artifacts, "organisation")

    # Onboard a colleague: the invitation is e-mailed; the colleague joins from the link in their own browser.
    page.goto("/host/staff/")
    main_page(page, artifacts, "staff")
    invite = page.get_by_role("form", name="Invite a person")
    invite.get_by_label("E-mail address").fill(COLLEAGUE)
    invite.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("button", name=f"Revoke the invitation to {COLLEAGUE}").wait_for()
    colleague = new_page()
    colleague.goto(emailed_link("/host/join/"))
    main_page(colleague, artifacts, "join")
    colleague.get_by_label("First name").fill("Lin")
    colleague.get_by_label("Last name").fill("Wei")
    colleague.locator("#id_password1").fill("Telemetry-Window-77")
    colleague.locator("#id_password2").fill("Telemetry-Window-77")
    colleague.get_by_role("button", name="Create my account and join").click()
    colleague.get_by_role("heading", name=world.organisations["org1"].name).wait_for()
    joined = User.objects.get(email=COLLEAGUE)
    assert (joined.role, Membership.objects.get(user=joined).organisation) == (
        Role.HOST_STAFF,
        world.organisations["org1"],
    )

    # Publish a new opportunity (a live error on the way: no places is refused next to the field).
    page.goto("/host/opportunities/new/")
    page.get_by_label("Title").fill(TITLE)
    page.locator("#id_kind").select_option("position")
    page.get_by_label("Country").select_option("RU")
    page.get_by_label("City").fill("Korolev")
    places = page.get_by_label("Places")
    places.fill("0")
    page.get_by_role("button", name="Save", exact=True).click()
    places = page.get_by_label("Places")
    assert places.get_attribute("aria-invalid") == "true"
    assert not Opportunity.objects.filter(title=TITLE).exists()
    main_page(page, artifacts, "opportunity-form-with-error")
    places.fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Close").wait_for()
    main_page(page, artifacts, "opportunity")
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.status == "published"

    # An officer opens a matching run; the host ranks the applicants for the new opportunity.
    run = world.draft_run()
    bob, ann = world.applications["bob"], world.applications["ann"]
    matching.submit_candidate_preference(world.candidates["bob"], run.pk, [opportunity.pk])
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Matching runs").click()
    main_page(page, artifacts, "matching-runs")
    page.locator(f'a[href$="/matching/runs/{run.pk}/"]').first.click()
    page.get_by_role("link", name=TITLE).click()
    main_page(page, artifacts, "ranking")
    page.get_by_label("Your ranked list").fill(f"{bob.pk}, {ann.pk}")
    page.get_by_role("button", name="Save the list").click()
    assert HostPreference.objects.get(opportunity=opportunity).ranking == [bob.pk, ann.pk]

    # The run places bob there; the host makes him the offer from the placement's link.
    matching.start_matching_run(world.officer, run.pk)
    page.goto(f"/matching/runs/{run.pk}/opportunities/{opportunity.pk}/")
    main_page(page, artifacts, "ranked-candidates")
    page.get_by_role("link", name="Placed: make an offer").click()
    assert bob.profile.external_id in page.get_by_label("Candidate").input_value()
    page.get_by_label("Terms").fill("Two-year contract, relocation paid.")
    page.get_by_label("Expires at").fill((timezone.now() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    main_page(page, artifacts, "offer-form")
    page.get_by_role("button", name="Make the offer").click()
    offer = Offer.objects.get(opportunity=opportunity)
    page.wait_for_url(f"**/host/offers/{offer.pk}/")
    main_page(page, artifacts, "offer")
    assert (offer.status, offer.profile_id, offer.made_by) == ("offered", bob.profile_id, admin)
