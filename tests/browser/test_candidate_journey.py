"""One candidate's whole path in a real browser (Debian's chromium driven by Playwright): sign up, follow
the verification link from the e-mail, sign in, fill the profile wizard (seeing a live htmx error on
the way), upload a document, give consents, apply to the demo programme, read the score and why, accept
a host's offer, answer an officer's request for information on the relocation case, and follow the case
to arrival. Where the journey waits for other people (the host's offer, the officer's request, the
officers, supervisor and authority moving the case), their steps are taken through the services.

axe-core checks every main page the candidate visits; screenshots of them are kept in
``test-artifacts/<test name>/`` (git-ignored) as the run's artifacts. The test is slow (a browser, a
live server), so it is marked and ``make test FAST=1`` skips it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.cases import requests as case_requests
from talentgate.cases import services as cases
from talentgate.cases.models import RelocationCase
from talentgate.demo.catalogue import PROGRAMME
from talentgate.hosts import services as hosts
from talentgate.programmes.models import Application
from talentgate.programmes.services import create_priority_sector, create_programme

from .support import description_of, emailed_link, main_page

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Orbital-Relay-2031"
EMAIL = "nadia.rahman@example.test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
QUESTION = "Please confirm the city you will live in."


@pytest.fixture
def staff():
    """The people the candidate's journey waits for, created through the services."""

    def person(email, role):
        return create_user(None, email=email, password=PASSWORD, role=role)

    return {
        "administrator": person("admin@example.test", Role.ADMINISTRATOR),
        "officer": person("officer@example.test", Role.OFFICER),
        "verifier": person("verifier@example.test", Role.OFFICER),
        "supervisor": person("supervisor@example.test", Role.SUPERVISOR),
        "authority": person("authority@example.test", Role.AUTHORITY),
        "host_admin": person("host.admin@example.test", Role.HOST_ADMIN),
    }


@pytest.fixture
def demo_programme(staff):
    return create_programme(
        staff["administrator"],
        code=PROGRAMME.code,
        name_en=PROGRAMME.name_en,
        name_ru=PROGRAMME.name_ru,
        description=PROGRAMME.description,
    )


@pytest.fixture
def opportunity(staff):
    """A verified host with a published opportunity, ready to make an offer."""
    sector = create_priority_sector(staff["administrator"], code="space", name_en="Space industry", name_ru="Космос")
    organisation = hosts.register_organisation(
        staff["host_admin"], name="Orbital Works", kind="private_company", country="RU", sector_id=sector.pk
    )
    hosts.verify_organisation(staff["officer"], organisation.pk)
    opening = hosts.create_opportunity(
        staff["host_admin"], title="Propulsion engineer", kind="position", country="RU", city="Korolev"
    )
    return hosts.publish_opportunity(staff["host_admin"], opening.pk)


def _move_case_to_arrival(case, candidate, staff):
    """What the officers, the supervisor and the authority do between the answer and the arrival."""
    officer, verifier = staff["officer"], staff["verifier"]
    for before_arrival in (False, True):
        provide_documents(
            case, candidate, verify_with=verifier, complete_tasks_with=officer, for_arrival=before_arrival
        )
        if not before_arrival:
            cases.prepare(officer, case.pk)
            cases.approve(staff["supervisor"], case.pk, legal_ground="Decree on highly qualified specialists")
            cases.submit_to_authority(officer, case.pk)
            today = timezone.localdate()
            permit = cases.PermitIn("highly_qualified", "HQ-77-123456", today, today, today + timedelta(days=1000))
            cases.grant_permit(staff["authority"], case.pk, permit=permit, legal_ground="Law 115-FZ art. 13.2")
            cases.start_relocation(officer, case.pk)
    cases.record_arrival(officer, case.pk)


def test_a_new_candidate_signs_up_applies_accepts_an_offer_and_arrives(
    new_page, artifacts, demo_programme, opportunity, staff
):
    page = new_page()

    # Sign up; the account waits for the e-mailed link.
    page.goto("/login/")
    main_page(page, artifacts, "sign-in")
    page.get_by_role("link", name="New here? Create a candidate account").click()
    main_page(page, artifacts, "sign-up")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Rahman")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()

    # Follow the link, confirm, sign in.
    page.goto(emailed_link("/account/verify/"))
    main_page(page, artifacts, "verify-e-mail")
    page.get_by_role("button", name="Verify and activate my account").click()
    page.get_by_text("Your e-mail address is verified.").wait_for()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    main_page(page, artifacts, "home")
    page.get_by_role("link", name="My candidacy").click()
    main_page(page, artifacts, "candidacy")
    page.get_by_role("link", name="Start your profile").click()

    # Identity: a live error from the canonical model first, then the right value.
    assert page.get_by_label("Given names (Latin script)").input_value() == "Nadia"
    page.get_by_label("Sex (as in the passport)").select_option("female")
    date_of_birth = page.get_by_label("Date of birth")
    date_of_birth.fill("2999-01-01")
    page.get_by_label("Citizenships").focus()  # leaving the field checks it
    page.locator("#id_identity-date_of_birth_error").get_by_text("Date of birth is in the future.").wait_for()
    assert date_of_birth.get_attribute("aria-invalid") == "true"
    assert "Date of birth is in the future." in description_of(date_of_birth)
    main_page(page, artifacts, "profile-identity-with-error")
    date_of_birth.fill("1991-04-12")
    page.get_by_label("Citizenships").fill("BD")
    page.locator("#id_identity_documents-0-kind").select_option("passport")
    page.get_by_label("Document number").fill("BX1234567")
    page.get_by_label("Issuing country").select_option("BD")
    page.get_by_role("button", name="Save and continue to Education").click()

    # Education.
    page.get_by_text("Saved: Identity.").wait_for()
    main_page(page, artifacts, "profile-education")
    page.get_by_label("Level of education").select_option("7")
    page.get_by_label("Field of study (ISCED-F code)").fill("0716")
    page.get_by_label("Institution").fill("Bangladesh University of Engineering and Technology")
    page.get_by_label("Country").select_option("BD")
    page.get_by_label("Graduation year").fill("2015")
    page.get_by_role("button", name="Save and continue to Work history").click()
    page.get_by_text("Saved: Education.").wait_for()
    main_page(page, artifacts, "profile-work-history")

    # Language tests (skipping work history and skills: they are optional).
    page.get_by_role("navigation", name="Profile steps").get_by_role("link", name="Language tests").click()
    page.locator("#id_language_tests-0-test").select_option("ielts_academic")
    page.get_by_label("Test date").fill("2024-03-02")
    for skill, band in (("Listening", "8"), ("Reading", "7.5"), ("Writing", "7"), ("Speaking", "7")):
        page.get_by_label(skill).fill(band)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved: Language tests.").wait_for()
    main_page(page, artifacts, "profile-language-tests")
    assert "BX1234567" not in page.content()

    # A document.
    candidate_pages = page.get_by_role("navigation", name="Candidate pages")
    candidate_pages.get_by_role("link", name="Documents").click()
    main_page(page, artifacts, "documents")
    page.get_by_label("Kind of document").select_option("diploma")
    page.get_by_label("File").set_input_files({"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Document uploaded; an officer will verify it.").wait_for()

    # Consents: to the hand-off to the authority (needed to submit) and to be shown to matched hosts.
    candidate_pages.get_by_role("link", name="Consents").click()
    page.get_by_role("button", name="I consent: Handed to the immigration authority").click()
    page.get_by_text("Consent given: Handed to the immigration authority.").wait_for()
    page.get_by_role("button", name="I consent: Shown to matched host organisations").click()
    page.get_by_text("Consent given: Shown to matched host organisations.").wait_for()
    main_page(page, artifacts, "consents")

    # Apply to the demo programme.
    candidate_pages.get_by_role("link", name="Programmes").click()
    main_page(page, artifacts, "programmes")
    page.get_by_role("region", name=PROGRAMME.name_en).get_by_role("button", name="Apply").click()
    page.get_by_text("Your application has been submitted.").wait_for()
    page.get_by_text("Status: submitted").wait_for()
    main_page(page, artifacts, "application")

    application = Application.objects.select_related("profile__user", "programme").get()
    assert (application.status, application.programme.code, application.profile.user.email) == (
        "submitted",
        PROGRAMME.code,
        EMAIL,
    )
    assert application.profile.documents.get().file_name == "diploma.pdf"

    # The score and why: the application was assessed when it was submitted.
    page.goto("/")
    page.get_by_role("link", name="Your scores and why").click()
    page.get_by_role("heading", name="My scores").wait_for()
    scored = page.get_by_role("region", name=PROGRAMME.name_en)
    assert "points under" in scored.locator(".score-line").inner_text()
    assert scored.get_by_role("table", name="Points factor by factor").locator("tbody tr").count() > 0
    main_page(page, artifacts, "my-scores")

    # The host makes an offer (through the services); the candidate reads and accepts it.
    candidate = application.profile.user
    hosts.make_offer(
        staff["host_admin"],
        opportunity_id=opportunity.pk,
        profile_id=application.profile.pk,
        terms="Two-year contract, relocation paid",
        expires_at=timezone.now() + timedelta(days=7),
    )
    page.goto("/")
    page.get_by_role("link", name="Offers made to you").click()
    main_page(page, artifacts, "offers")
    page.get_by_role("link", name="Propulsion engineer").first.click()
    page.get_by_text("Two-year contract, relocation paid").wait_for()
    main_page(page, artifacts, "offer")
    page.get_by_role("button", name="Accept the offer").click()
    case = RelocationCase.objects.get(offer__profile=application.profile)

    # An officer asks for information (through the services); the candidate answers on the case page.
    case_requests.request_information(
        staff["officer"],
        case.pk,
        addressee="candidate",
        question=QUESTION,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Relocation cases").click()
    main_page(page, artifacts, "relocation-cases")
    page.locator(f'a[href$="/cases/{case.pk}/"]').first.click()
    requests = page.get_by_role("region", name="Requests for information")
    requests.get_by_text(QUESTION).wait_for()
    main_page(page, artifacts, "case-with-request")
    requests.get_by_role("button", name="Send the answer").click()
    requests = page.get_by_role("region", name="Requests for information")
    body = requests.get_by_label("Your answer")
    assert body.get_attribute("aria-invalid") == "true"
    assert "Write an answer or attach a file." in description_of(body)
    body.fill("Korolev, Moscow Oblast.")
    requests.get_by_role("button", name="Send the answer").click()
    page.get_by_role("region", name="Messages").get_by_text("Korolev, Moscow Oblast.").wait_for()
    assert case.information_requests.get().status != "open"

    # The case goes on without the candidate until the arrival; the candidate follows it on the page.
    _move_case_to_arrival(case, candidate, staff)
    page.reload()
    stage = page.locator("dd.status")
    assert stage.inner_text() == "arrived"
    main_page(page, artifacts, "case-arrived")
