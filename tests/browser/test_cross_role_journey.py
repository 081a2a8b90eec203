"""The programme end to end in a real browser, every step taken by the person who takes it in real life, each in
their own browser context: the candidate consents and applies; a programme officer screens and assesses the
application and defines a selection round; a supervisor approves the round and the officer runs it (the
candidate is invited); the officer opens and starts a matching run; the host organisation's admin sees the
placement and makes the offer; the candidate accepts it; on the relocation case the candidate provides the
documents, the officer verifies them and prepares the case, the supervisor approves it (four eyes), the officer
hands it to the authority, the authority's officer grants the permit, and the officer starts the relocation,
ticks the move's checklist and records the arrival, which the candidate then sees.

Run in English and again in Russian. In the Russian run every person picks Russian with the portal's language
switcher after signing in; the labels the test clicks are the catalogue's translations (``Words``), and key
pages are checked for Russian text written out here from the catalogue, so an untranslated page fails.

Only what exists before the journey (the people's accounts, the programme and its sector, the verified host
and its published opportunity, the candidate's filled profile) is set up through the services. axe-core checks
every main page; screenshots are kept in ``test-artifacts/<test name>/``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.assessment.models import Assessment, RoundInvitation, SelectionRound
from talentgate.assessment.services import load_shipped_policy_versions
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases.models import Decision, RelocationCase, Stage
from talentgate.demo.catalogue import PROGRAMME
from talentgate.hosts import services as hosts
from talentgate.hosts.models import Offer
from talentgate.matching.models import MatchingRun
from talentgate.programmes.models import Application
from talentgate.programmes.services import create_priority_sector, create_programme

from .support import check_accessibility, screenshot, select_language, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Launch-Window-2031"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PEOPLE = {
    "candidate": ("amara.okafor@example.test", Role.CANDIDATE, "Amara", "Okafor"),
    "officer": ("olga.officer@programme.example", Role.OFFICER, "Olga", "Officer"),
    "supervisor": ("sofia.supervisor@programme.example", Role.SUPERVISOR, "Sofia", "Supervisor"),
    "host": ("hugo.host@orbital.example", Role.HOST_ADMIN, "Hugo", "Host"),
    "authority": ("irina.inspector@interior.example", Role.AUTHORITY, "Irina", "Inspector"),
}
#: Russian text that must be on key pages of the Russian run (written out from the catalogue).
RUSSIAN = {
    "applied": "Ваша заявка подана.",
    "round_approved": "Раунд утверждён.",
    "offer": "Принять предложение",
    "authority": "Выдать разрешение",
    "arrived": "кандидат прибыл",
}


class Words:
    """The portal's words in the journey's language, from the same catalogue the server renders with."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, message: str, **values: object) -> str:
        with translation.override(self.language):
            text = translation.gettext(message)
        return text % values if values else text

    def ctx(self, context: str, message: str) -> str:
        with translation.override(self.language):
            return translation.pgettext(context, message)


def _profile_payload() -> dict:
    return {
        "id": "cross-role-amara",
        "identity": {
            "given_names_latin": "Amara",
            "family_name_latin": "Okafor",
            "date_of_birth": "1990-04-12",
            "sex": "female",
            "residence_country": "NG",
            "citizenships": ["NG"],
        },
        "education": [
            {
                "level": 8,
                "field_code": "0716",
                "institution": "University of Lagos",
                "country": "NG",
                "graduation_year": 2017,
            }
        ],
        "work_history": [
            {
                "title": "Propulsion engineer",
                "isco08_code": "2144",
                "sector": "space.launch",
                "country": "NG",
                "start_date": "2018-03-01",
            }
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "listening": 8,
                "reading": 7.5,
                "writing": 7,
                "speaking": 7,
            }
        ],
    }


@pytest.fixture
def world():
    """Everything that exists before the journey starts."""
    load_shipped_policy_versions()  # a transactional test's flush may have emptied the published policies
    users = {
        key: create_user(None, email=email, password=PASSWORD, role=role, first_name=first, last_name=last)
        for key, (email, role, first, last) in PEOPLE.items()
    }
    administrator = create_user(None, email="admin@programme.example", password=PASSWORD, role=Role.ADMINISTRATOR)
    sector = create_priority_sector(
        administrator, code="space", name_en="Space industry", name_ru="Космическая отрасль"
    )
    programme = create_programme(
        administrator,
        code=PROGRAMME.code,
        name_en=PROGRAMME.name_en,
        name_ru=PROGRAMME.name_ru,
        description=PROGRAMME.description,
    )
    organisation = hosts.register_organisation(
        users["host"],
        name="Orbital Works",
        kind="private_company",
        country="RU",
        region="Moscow Oblast",
        sector_id=sector.pk,
    )
    hosts.verify_organisation(users["officer"], organisation.pk)
    opportunity = hosts.create_opportunity(
        users["host"],
        title="Propulsion engineer",
        kind="position",
        country="RU",
        city="Korolev",
        sector_id=sector.pk,
        capacity=1,
        min_experience_years=5,
        occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
    )
    hosts.publish_opportunity(users["host"], opportunity.pk)
    profile, _ = save_profile(users["candidate"], CandidateProfile.model_validate(_profile_payload()))
    return {"users": users, "programme": programme, "opportunity": opportunity, "profile": profile}


class Journey:
    """The people of the journey, one browser page each, and what every main page must pass."""

    def __init__(self, new_page, artifacts, language: str) -> None:
        self.new_page, self.artifacts, self.language = new_page, artifacts, language
        self.t = Words(language)
        self.pages: dict[str, object] = {}

    def person(self, key: str):
        """``key``'s page, signed in (and switched to the journey's language) on first use."""
        if key not in self.pages:
            page = self.new_page()
            sign_in(page, PEOPLE[key][0], PASSWORD)
            if self.language != "en":
                select_language(page, self.language)
            self.pages[key] = page
        return self.pages[key]

    def visit(self, page, name: str) -> None:
        """A main page: axe-core finds nothing serious, and its screenshot is kept."""
        check_accessibility(page, f"{name} ({self.language})")
        screenshot(page, self.artifacts, f"{self.language}-{name}")

    def russian(self, page, key: str) -> None:
        if self.language == "ru":
            assert RUSSIAN[key] in page.locator("body").inner_text(), f"no {RUSSIAN[key]!r} on {page.url}"

    def header_link(self, page, name: str) -> None:
        page.get_by_role("navigation", name=self.t("Your account")).get_by_role("link", name=name).click()

    def move_case(self, page, transition: str, **fields: str) -> None:
        """Press a transition's button on the case page (filling its fields) and wait for it to be done."""
        form = page.locator(f"form[action$='/transitions/{transition}/']")
        for label, value in fields.items():
            field = form.get_by_label(label, exact=False)
            if field.evaluate("node => node.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()
        label = self.t.ctx("case action", CASE_ACTIONS[transition])
        page.get_by_text(self.t("Done: %(transition)s.", transition=label)).wait_for()


CASE_ACTIONS = {
    "prepare": "Mark prepared",
    "approve": "Approve",
    "submit_to_authority": "Submit to the authority",
    "grant_permit": "Grant the permit",
    "start_relocation": "Start relocation",
    "record_arrival": "Record arrival",
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_apply_assess_round_match_offer_accept_approve_grant_arrive(new_page, artifacts, world, language):
    journey = Journey(new_page, artifacts, language)
    t = journey.t
    programme_name = PROGRAMME.name_ru if language == "ru" else PROGRAMME.name_en

    # The candidate consents to the hand-off and to being shown to hosts, and applies.
    candidate = journey.person("candidate")
    candidate.goto("/candidate/consents/")
    for purpose in ("authority_handoff", "matched_hosts"):
        candidate.locator(f"form[action$='/consents/{purpose}/give/'] button").click()
        candidate.locator(f"form[action$='/consents/{purpose}/withdraw/']").wait_for()
    journey.visit(candidate, "candidate-consents")
    candidate.get_by_role("navigation", name=t("Candidate pages")).get_by_role("link", name=t("Programmes")).click()
    candidate.get_by_role("region", name=programme_name).get_by_role("button", name=t("Apply")).click()
    candidate.get_by_text(t("Your application has been submitted.")).wait_for()
    journey.russian(candidate, "applied")
    journey.visit(candidate, "candidate-application")
    application = Application.objects.get(profile=world["profile"])

    # The officer screens the application, assesses it (reading the score and why) and marks it assessed.
    officer = journey.person("officer")
    journey.header_link(officer, t("Work queues"))
    officer.get_by_role("link", name="Amara Okafor").click()
    officer.locator("form[action$='/transitions/start_screening/'] button").click()
    officer.get_by_text(t("Done: %(transition)s.", transition=t("Start screening"))).wait_for()
    officer.get_by_role("link", name=t("Assessment of application %(number)s", number=application.pk)).click()
    officer.get_by_role("button", name=t("Assess now")).click()
    officer.get_by_text(t("The application is assessed.")).wait_for()
    journey.visit(officer, "officer-assessment")
    officer.get_by_role("link", name=t("Application %(number)s", number=application.pk), exact=True).click()
    officer.locator("form[action$='/transitions/mark_assessed/'] button").click()
    officer.get_by_text(t("Done: %(transition)s.", transition=t("Mark assessed"))).wait_for()
    journey.visit(officer, "officer-application")
    assert Application.objects.get(pk=application.pk).status == "assessed"
    assert Assessment.objects.filter(application=application, eligible=True).exists()

    # The officer defines a round for one invitation and previews it; a supervisor approves; the officer runs it.
    officer.get_by_role("navigation", name=t("Programme officer")).get_by_role(
        "link", name=t("Selection rounds")
    ).click()
    officer.get_by_role("link", name=t("Define a round")).click()
    officer.get_by_label(t("Programme")).select_option(str(world["programme"].pk))
    officer.get_by_label(t("Name")).fill("Autumn 2026 round")
    officer.get_by_label(t("Policy")).select_option("programme-merit")
    officer.get_by_label(t("Number of invitations")).fill("1")
    officer.get_by_role("button", name=t("Define"), exact=True).click()
    officer.get_by_role("heading", name="Autumn 2026 round").wait_for()
    officer.get_by_role("button", name=t("Preview")).click()
    officer.get_by_text(t("The what-if is computed.")).wait_for()
    journey.visit(officer, "round-previewed")

    supervisor = journey.person("supervisor")
    journey.header_link(supervisor, t("Work queues"))
    supervisor.get_by_role("navigation", name=t("Programme officer")).get_by_role(
        "link", name=t("Selection rounds")
    ).click()
    supervisor.get_by_role("link", name="Autumn 2026 round").click()
    supervisor.get_by_role("button", name=t("Approve")).click()
    supervisor.get_by_text(t("The round is approved.")).wait_for()
    journey.russian(supervisor, "round_approved")
    journey.visit(supervisor, "round-approved")

    officer.reload()
    officer.get_by_role("button", name=t("Run the round")).click()
    officer.get_by_text(t("The round has run.")).wait_for()
    journey.visit(officer, "round-run")
    selection_round = SelectionRound.objects.get()
    assert (selection_round.approved_by, selection_round.status) == (world["users"]["supervisor"], "run")
    assert RoundInvitation.objects.get().application_id == application.pk
    assert Application.objects.get(pk=application.pk).status == "invited"

    # The officer opens a matching run and starts it; the candidate is placed with the host.
    journey.header_link(officer, t("Matching runs"))
    officer.get_by_label(t("Programme")).select_option(str(world["programme"].pk))
    deadline = timezone.localtime() + timedelta(days=3)
    officer.get_by_label(t("Deadline for ranked lists")).fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_role("button", name=t("Open the run")).click()
    officer.get_by_role("button", name=t("Start the run now")).click()
    placements = officer.get_by_role("table", name=t("Placements"))
    placements.wait_for()
    assert "Propulsion engineer (Orbital Works)" in placements.inner_text()
    journey.visit(officer, "matching-run")
    run = MatchingRun.objects.get()

    # The host's admin sees the placement with its reasons and makes the offer.
    host = journey.person("host")
    journey.header_link(host, t("Matching runs"))
    host.get_by_role("link", name=t("Run %(number)s", number=run.pk)).click()
    placed = host.get_by_role("table", name=t("Candidates placed with your organisation"))
    assert "Amara Okafor" in placed.inner_text()
    assert placed.locator("tbody tr td ul li").count() > 0, "the placement comes with its reasons"
    journey.visit(host, "host-placements")
    placed.get_by_role("link", name=t("Make an offer")).click()
    assert host.get_by_label(t("Candidate")).input_value() == world["profile"].external_id
    host.get_by_label(t("Terms")).fill("Two-year contract in Korolev; relocation and housing paid.")
    expires = timezone.localtime() + timedelta(days=10)
    host.get_by_label(t("Expires at")).fill(expires.strftime("%Y-%m-%dT%H:%M"))
    host.get_by_role("button", name=t("Make the offer")).click()
    host.get_by_text(t("The offer is made; the candidate sees it in their portal.")).wait_for()
    journey.visit(host, "host-offer")

    # The candidate reads the offer and accepts it; the relocation case opens.
    candidate.goto("/")
    candidate.get_by_role("link", name=t("Offers made to you")).click()
    candidate.get_by_role("link", name="Propulsion engineer").first.click()
    candidate.get_by_text("Two-year contract in Korolev; relocation and housing paid.").wait_for()
    journey.russian(candidate, "offer")
    journey.visit(candidate, "candidate-offer")
    candidate.get_by_role("button", name=t("Accept the offer")).click()
    candidate.get_by_text(t("You accepted the offer. The programme will contact you about the next steps.")).wait_for()
    assert Offer.objects.get().status == "accepted"
    case = RelocationCase.objects.get(offer__profile=world["profile"])

    # The candidate provides every document the case needs before it is prepared.
    journey.header_link(candidate, t("Relocation cases"))
    candidate.locator(f"a[href$='/cases/{case.pk}/']").first.click()
    needed = list(
        case.checklist.filter(required=True, due_before="prepare", completed_at__isnull=True)
        .exclude(document_kind="")
        .values_list("document_kind", flat=True)
    )
    assert needed
    for kind in needed:
        upload = candidate.locator("form[action$='/documents/']")
        upload.get_by_label(t("Kind of document")).select_option(kind)
        upload.get_by_label(t("File (PDF, PNG or JPEG)")).set_input_files(
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        upload.get_by_role("button", name=t("Upload")).click()
        candidate.get_by_text(t("The document is uploaded; an officer will verify it.")).wait_for()
    journey.visit(candidate, "candidate-case-documents")

    # The officer verifies them and prepares the case; the supervisor approves it; the officer hands it over.
    journey.header_link(officer, t("Relocation cases"))
    officer.locator(f"a[href$='/cases/{case.pk}/']").first.click()
    journey.visit(officer, "officer-case")
    for _ in needed:
        officer.locator("form[action*='/verify/'] button").first.click()
        officer.get_by_text(t("The document is verified.")).wait_for()
    assert officer.locator("form[action*='/verify/']").count() == 0
    journey.move_case(officer, "prepare")
    # Four eyes: the officer who prepared the case is shown why they cannot approve it too.
    assert officer.locator("#why-not-approve").is_visible()

    journey.header_link(supervisor, t("Relocation cases"))
    supervisor.locator(f"a[href$='/cases/{case.pk}/']").first.click()
    journey.move_case(supervisor, "approve")
    journey.visit(supervisor, "supervisor-case-approved")

    officer.reload()
    journey.move_case(officer, "submit_to_authority")

    # The authority's officer grants the permit.
    authority = journey.person("authority")
    journey.header_link(authority, t("Relocation cases"))
    authority.locator(f"a[href$='/cases/{case.pk}/']").first.click()
    journey.russian(authority, "authority")
    journey.visit(authority, "authority-case")
    today = timezone.localdate()
    journey.move_case(
        authority,
        "grant_permit",
        **{
            t("Legal ground or policy"): "Federal Law 115-FZ, art. 13.2",
            t("Permit type"): "highly_qualified",
            t("Permit number"): "HQ-77-654321",
            t("Issued on"): today.isoformat(),
            t("Valid from"): today.isoformat(),
            t("Valid until"): (today + timedelta(days=1095)).isoformat(),
        },
    )
    journey.visit(authority, "authority-case-granted")

    # The officer starts the relocation, ticks the move's checklist and records the arrival.
    officer.reload()
    journey.move_case(officer, "start_relocation")
    while officer.locator("form[action*='/checklist/'] button").count():
        officer.locator("form[action*='/checklist/'] button").first.click()
        officer.get_by_text(t("The checklist item is done.")).wait_for()
    journey.move_case(officer, "record_arrival")
    journey.visit(officer, "officer-case-arrived")

    # The candidate sees the arrival on their case.
    candidate.reload()
    assert candidate.locator("dd.status").inner_text() == t.ctx("case stage", "arrived")
    journey.russian(candidate, "arrived")
    journey.visit(candidate, "candidate-case-arrived")

    case = RelocationCase.objects.get(pk=case.pk)
    assert case.stage == Stage.ARRIVED
    assert case.arrived_on == today
    deciders = {d.kind: d.officer.email for d in Decision.objects.filter(case=case).select_related("officer")}
    assert deciders == {"approval": PEOPLE["supervisor"][0], "grant": PEOPLE["authority"][0]}
    assert case.prepared_by == world["users"]["officer"]
    assert case.permits.get().number == "HQ-77-654321"
