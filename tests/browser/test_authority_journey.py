"""The immigration authority's officer in a real browser: a relocation case handed to the authority waits in
their list (a case the programme has not handed over yet is not there), they open it, read the file and grant
the permit through the case page. A refused grant (no permit number) is shown next to its field first and
changes nothing.

Everything before the hand-off is set up through the services, the way the programme's people leave it: an
offer accepted, the documents provided and verified by a second officer, the case prepared, approved by a
supervisor (four eyes) and submitted to the authority.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases import services as cases
from talentgate.cases.models import Permit, RelocationCase, Stage
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes

from .support import check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Permit-Desk-2031"
_serial = itertools.count(1)


def _person(role: Role, email: str, first: str, last: str):
    return create_user(None, email=email, password=PASSWORD, role=role, first_name=first, last_name=last)


def _case_from_an_accepted_offer(officer, sector, family_name: str) -> RelocationCase:
    """A case opened the real way: a verified host's offer accepted by a consenting candidate."""
    serial = next(_serial)
    admin = _person(Role.HOST_ADMIN, f"host{serial}@orbital.example", "Host", f"Admin{serial}")
    organisation = hosts.register_organisation(
        admin, name=f"Orbital Works {serial}", kind="private_company", country="RU", sector_id=sector.pk
    )
    hosts.verify_organisation(officer, organisation.pk)
    opportunity = hosts.create_opportunity(admin, title="Propulsion engineer", kind="position", country="RU")
    hosts.publish_opportunity(admin, opportunity.pk)
    candidate = _person(Role.CANDIDATE, f"candidate{serial}@example.test", "Amara", family_name)
    identity = {
        "given_names_latin": "Amara",
        "family_name_latin": family_name,
        "date_of_birth": "1990-04-12",
        "sex": "female",
        "residence_country": "NG",
    }
    profile, _ = save_profile(
        candidate, CandidateProfile.model_validate({"id": f"authority-{serial}", "identity": identity})
    )
    give_consent(candidate, profile, "authority_handoff", "1")
    give_consent(candidate, profile, "matched_hosts", "1")
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Two-year contract",
        expires_at=timezone.now() + timedelta(days=7),
    )
    hosts.accept_offer(candidate, offer.pk)
    return RelocationCase.objects.get(offer=offer)


def _approved(case: RelocationCase, officer, verifier, supervisor) -> None:
    """Documents provided and verified by a second officer, prepared, approved by a supervisor."""
    provide_documents(case, officer, verify_with=verifier)
    cases.prepare(officer, case.pk)
    cases.approve(supervisor, case.pk, legal_ground="Programme decree, section 4")


@pytest.fixture
def handed_over():
    """A case submitted to the authority, one approved but not handed over, and the authority's officer."""
    administrator = _person(Role.ADMINISTRATOR, "admin@example.test", "Ada", "Admin")
    officer = _person(Role.OFFICER, "officer@example.test", "Olga", "Officer")
    verifier = _person(Role.OFFICER, "verifier@example.test", "Victor", "Verifier")
    supervisor = _person(Role.SUPERVISOR, "supervisor@example.test", "Sofia", "Supervisor")
    sector = programmes.create_priority_sector(administrator, code="space", name_en="Space industry")
    submitted = _case_from_an_accepted_offer(officer, sector, "Okafor")
    _approved(submitted, officer, verifier, supervisor)
    cases.submit_to_authority(officer, submitted.pk)
    not_yet = _case_from_an_accepted_offer(officer, sector, "Mensah")
    _approved(not_yet, officer, verifier, supervisor)
    authority = _person(Role.AUTHORITY, "desk@interior.example", "Irina", "Inspector")
    return {"submitted": submitted, "not_yet": not_yet, "authority": authority}


def test_the_authority_officer_receives_a_case_and_grants_the_permit(new_page, artifacts, handed_over):
    case = handed_over["submitted"]
    page = new_page()
    sign_in(page, "desk@interior.example", PASSWORD)

    # The list holds the case handed over, not the one still with the programme.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Relocation cases").click()
    page.get_by_role("heading", name="Cases handed to the authority").wait_for()
    check_accessibility(page, "authority: case list")
    screenshot(page, artifacts, "authority-case-list")
    listing = page.get_by_role("table")
    assert listing.get_by_role("link", name=f"Case {case.pk}", exact=True).is_visible()
    assert listing.get_by_role("link", name=f"Case {handed_over['not_yet'].pk}", exact=True).count() == 0
    row = listing.get_by_role("row").filter(has_text="Okafor")
    assert "submitted to the authority" in row.inner_text()

    # The case page: the file, and the grant form (the refusal, the authority's only other move).
    row.get_by_role("link", name=f"Case {case.pk}").click()
    page.get_by_role("heading", name=f"Relocation case {case.pk}: Amara Okafor").wait_for()
    assert page.get_by_role("heading", name="Checklist").is_visible()
    grant = page.locator("form[action$='/transitions/grant_permit/']")
    refuse = page.locator("form[action$='/transitions/refuse_permit/']")
    assert refuse.get_by_role("button", name="Refuse the permit").is_visible()
    check_accessibility(page, "authority: case page")

    # A grant without the permit number is refused next to the field, and nothing changes.
    today = timezone.localdate()
    grant.get_by_label("Legal ground or policy").fill("Federal Law 115-FZ, art. 13.2")
    grant.get_by_label("Permit type").select_option("highly_qualified")
    grant.get_by_label("Issued on").fill(today.isoformat())
    grant.get_by_label("Valid from").fill(today.isoformat())
    grant.get_by_label("Valid until").fill((today + timedelta(days=1095)).isoformat())
    grant.get_by_role("button", name="Grant the permit").click()
    page.locator("#transition-grant-permit-number_error").wait_for()
    assert RelocationCase.objects.get(pk=case.pk).stage == Stage.SUBMITTED
    assert not Permit.objects.filter(case=case).exists()

    # The form kept what was typed; the number completes it.
    grant = page.locator("form[action$='/transitions/grant_permit/']")
    assert grant.get_by_label("Legal ground or policy").input_value() == "Federal Law 115-FZ, art. 13.2"
    grant.get_by_label("Permit number").fill("HQ-77-123456")
    grant.get_by_role("button", name="Grant the permit").click()
    page.get_by_text("Done: Grant the permit.").wait_for()
    assert page.locator("dd.status").inner_text() == "permit granted"
    permits = page.locator("#permits")
    assert "HQ-77-123456" not in permits.inner_text()  # masked on the page; revealing is a separate audited act
    assert "highly qualified specialist permit" in permits.inner_text()
    check_accessibility(page, "authority: case granted")
    screenshot(page, artifacts, "authority-case-granted")

    granted = RelocationCase.objects.get(pk=case.pk)
    assert granted.stage == Stage.PERMIT_GRANTED
    permit = Permit.objects.get(case=case)
    assert (permit.permit_type, permit.number, permit.valid_until) == (
        "highly_qualified",
        "HQ-77-123456",
        today + timedelta(days=1095),
    )
    decision = granted.decisions.get(kind="grant")
    assert (decision.officer.email, decision.legal_ground) == ("desk@interior.example", "Federal Law 115-FZ, art. 13.2")
    assert RelocationCase.objects.get(pk=handed_over["not_yet"].pk).stage == Stage.APPROVED
