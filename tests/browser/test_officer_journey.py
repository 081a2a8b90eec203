"""A programme officer in a real browser: screens an application and has it assessed, defines and previews a
selection round that a supervisor approves (in their own browser) before the officer runs it, opens and
starts a matching run, sees the approval of a case they prepared refused (four eyes) and a supervisor approve
it, and reveals a masked permit number (audited).

The programme, its applicants, hosts and the case are set up through the services (the matching tests'
small world and three more applicants). axe-core checks every main page; screenshots are kept in
``test-artifacts/<test name>/``.
"""

from __future__ import annotations

import itertools
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.assessment import services as assessment
from talentgate.assessment.models import RoundInvitation, SelectionRound
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases import services as cases
from talentgate.cases.models import RelocationCase
from talentgate.common.models import AuditEntry
from talentgate.hosts import services as hosts
from talentgate.matching.models import MatchingRun
from talentgate.programmes import services as programmes
from talentgate.programmes.models import Application

from .support import main_page, sign_in

sys.path.insert(0, str(Path(__file__).parents[1] / "matching"))

from matching_world import build_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Test-12345"  # make_user's
PERMIT_NUMBER = "HQ-77-654321"
_ids = itertools.count(1)


def _submitted_application(make_user, programme, years):
    """A candidate with a scored profile who applied to ``programme`` (submitted, not yet screened)."""
    owner = make_user(Role.CANDIDATE)
    profile, _ = save_profile(
        owner,
        CandidateProfile.model_validate(
            {
                "id": f"officer-journey-{next(_ids)}",
                "identity": {
                    "given_names_latin": f"Applicant{next(_ids)}",
                    "family_name_latin": "Rao",
                    "date_of_birth": "1992-02-02",
                    "sex": "male",
                    "residence_country": "IN",
                },
                "education": [
                    {"level": 8, "field_code": "0533", "institution": "IISc", "country": "IN", "graduation_year": 2019}
                ],
                "work_history": [
                    {
                        "title": "Physicist",
                        "isco08_code": "2111",
                        "sector": "space.research",
                        "country": "IN",
                        "start_date": f"{2026 - years}-03-01",
                    }
                ],
                "language_tests": [
                    {
                        "test": "ielts_academic",
                        "test_date": "2025-05-01",
                        "listening": 7,
                        "reading": 7,
                        "writing": 6.5,
                        "speaking": 6.5,
                    }
                ],
            }
        ),
    )
    give_consent(owner, profile, "authority_handoff", "1")
    application = programmes.create_application(owner, programme_id=programme.pk)
    return programmes.submit_application(owner, application.pk)


def _prepared_case(world, make_user):
    """Ann accepted an offer from org 1; her documents are verified and the journey's officer prepared the case."""
    ann = world.candidates["ann"]
    give_consent(ann, world.applications["ann"].profile, "matched_hosts", "1")
    offer = hosts.make_offer(
        world.hosts["org1"],
        opportunity_id=world.opportunities["Propulsion"].pk,
        profile_id=world.applications["ann"].profile_id,
        terms="Two-year contract",
        expires_at=timezone.now() + timedelta(days=7),
    )
    hosts.accept_offer(ann, offer.pk)
    case = RelocationCase.objects.get(offer=offer)
    verifier = make_user(Role.OFFICER)
    provide_documents(case, ann, verify_with=verifier, complete_tasks_with=world.officer, for_arrival=False)
    return cases.prepare(world.officer, case.pk)


def test_a_programme_officer_screens_assesses_runs_a_round_and_a_matching_run_and_reveals(
    new_page, artifacts, make_user
):
    world = build_world(make_user)
    screened = _submitted_application(make_user, world.programme, years=9)
    for years in (3, 6):
        other = _submitted_application(make_user, world.programme, years=years)
        programmes.start_screening(world.officer, other.pk)
        assessment.assess_application(world.officer, other.pk)
        programmes.mark_application_assessed(world.officer, other.pk)

    page = new_page()
    sign_in(page, world.officer.email, PASSWORD)
    main_page(page, artifacts, "home")

    # Screen: from the queue to the application, start screening, assess, mark assessed.
    page.get_by_role("link", name="Application queues").click()
    main_page(page, artifacts, "application-queue")
    page.goto(f"/officer/applications/{screened.pk}/")
    main_page(page, artifacts, "application")
    page.get_by_role("button", name="Start screening").click()
    page.get_by_role("button", name="Mark assessed").wait_for()
    page.goto(f"/assessment/applications/{screened.pk}/")
    page.get_by_role("button", name="Assess now").click()
    page.locator(".score-line").first.wait_for()
    main_page(page, artifacts, "assessment")
    page.goto(f"/officer/applications/{screened.pk}/")
    page.get_by_role("button", name="Mark assessed").click()
    page.get_by_role("button", name="Invite").wait_for()
    assert Application.objects.get(pk=screened.pk).status == "assessed"

    # A selection round: defined (an error first: neither a number nor a cutoff), previewed by the officer,
    # approved by a supervisor in their own browser, run by the officer.
    page.goto("/")
    page.get_by_role("link", name="Selection rounds").click()
    main_page(page, artifacts, "rounds")
    page.get_by_role("link", name="Define a round").click()
    page.get_by_label("Programme").select_option(str(world.programme.pk))
    page.get_by_label("Name").fill("Spring round")
    page.get_by_label("Policy").select_option("programme-merit")
    page.get_by_role("button", name="Define").click()
    page.get_by_text("Give a number of invitations or a cutoff score.").first.wait_for()
    assert not SelectionRound.objects.exists()
    main_page(page, artifacts, "round-form-with-error")
    page.get_by_label("Number of invitations").fill("2")
    page.get_by_role("button", name="Define").click()
    page.get_by_role("heading", name="Spring round").wait_for()
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="What-if").wait_for()
    main_page(page, artifacts, "round-preview")
    selection_round = SelectionRound.objects.get()

    supervisor = new_page()
    sign_in(supervisor, world.supervisor.email, PASSWORD)
    supervisor.goto(f"/assessment/rounds/{selection_round.pk}/")
    supervisor.get_by_role("button", name="Approve").click()
    supervisor.get_by_role("button", name="Run the round").wait_for()

    page.reload()
    page.get_by_role("button", name="Run the round").click()
    page.get_by_role("heading", name="Outcome").wait_for()
    main_page(page, artifacts, "round-outcome")
    assert RoundInvitation.objects.filter(round=selection_round).count() == 2

    # A matching run over the programme's invited applicants: opened, then started.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Matching runs").click()
    main_page(page, artifacts, "matching-runs")
    page.get_by_label("Programme").select_option(str(world.programme.pk))
    deadline = page.get_by_label("Deadline for ranked lists")
    deadline.fill((timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Open the run").click()
    page.get_by_role("button", name="Start the run now").click()
    page.get_by_text("The result is stable").first.wait_for()
    main_page(page, artifacts, "matching-run")
    assert MatchingRun.objects.get().status == "done"

    # Four eyes on a case: the officer who prepared it may not approve it; a supervisor does.
    case = _prepared_case(world, make_user)
    page.goto(f"/cases/{case.pk}/")
    page.locator("#why-not-approve").wait_for()
    main_page(page, artifacts, "case-prepared")
    supervisor.goto(f"/cases/{case.pk}/")
    approve = supervisor.locator('form[action$="/transitions/approve/"]')
    approve.get_by_label("Legal ground or policy").fill("Decree on highly qualified specialists")
    approve.get_by_role("button", name="Approve").click()
    supervisor.locator("dd.status").get_by_text("approved").wait_for()
    main_page(supervisor, artifacts, "case-approved")

    # The authority grants (services); the officer reveals the masked permit number, which is audited.
    cases.submit_to_authority(world.officer, case.pk)
    today = timezone.localdate()
    permit = cases.PermitIn("highly_qualified", PERMIT_NUMBER, today, today, today + timedelta(days=1000))
    cases.grant_permit(make_user(Role.AUTHORITY), case.pk, permit=permit, legal_ground="Law 115-FZ art. 13.2")
    page.reload()
    permits = page.get_by_role("region", name="Permits")
    assert PERMIT_NUMBER not in permits.inner_text()
    main_page(page, artifacts, "case-permit-masked")
    permits.get_by_role("button", name="Reveal").click()
    permits.get_by_role("status").get_by_text(PERMIT_NUMBER).wait_for()
    assert AuditEntry.objects.filter(action="case.field_revealed", actor_id=world.officer.pk).count() == 1
