"""One candidate's whole path in a real browser (Debian's chromium driven by Playwright): sign up, follow
the verification link from the e-mail, sign in, fill the profile wizard (seeing a live htmx error on
the way), upload a document, give consent, and apply to the demo programme.

A screenshot of the submitted application is kept in ``test-artifacts/`` (git-ignored) as the run's
artifact. The test is slow (a browser, a live server), so it is marked and ``make test FAST=1`` skips
it; when it is selected and chromium is missing, it fails, so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.demo.catalogue import PROGRAMME
from talentgate.programmes.models import Application
from talentgate.programmes.services import create_programme

from .support import check_accessibility, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


PASSWORD = "Orbital-Relay-2031"
EMAIL = "nadia.rahman@example.test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def demo_programme():
    administrator = create_user(None, email="admin@example.test", password=PASSWORD, role=Role.ADMINISTRATOR)
    return create_programme(
        administrator,
        code=PROGRAMME.code,
        name_en=PROGRAMME.name_en,
        name_ru=PROGRAMME.name_ru,
        description=PROGRAMME.description,
    )


def _verification_link() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    match = re.search(r"https?://\S+/account/verify/\S+/", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(0)


def test_a_new_candidate_signs_up_builds_a_profile_and_applies(new_page, artifacts, demo_programme):
    page = new_page()

    # Sign up; the account waits for the e-mailed link.
    page.goto("/login/")
    page.get_by_role("link", name="New here? Create a candidate account").click()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Rahman")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()

    # Follow the link, confirm, sign in.
    page.goto(_verification_link())
    page.get_by_role("button", name="Verify and activate my account").click()
    page.get_by_text("Your e-mail address is verified.").wait_for()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My candidacy").click()
    page.get_by_role("link", name="Start your profile").click()

    # Identity: a live error from the canonical model first, then the right value.
    assert page.get_by_label("Given names (Latin script)").input_value() == "Nadia"
    page.get_by_label("Sex (as in the passport)").select_option("female")
    date_of_birth = page.get_by_label("Date of birth")
    date_of_birth.fill("2999-01-01")
    date_of_birth.press("Tab")
    page.locator("#id_identity-date_of_birth_error").get_by_text("Date of birth is in the future.").wait_for()
    date_of_birth.fill("1991-04-12")
    page.get_by_label("Citizenships").fill("BD")
    page.locator("#id_identity_documents-0-kind").select_option("passport")
    page.get_by_label("Document number").fill("BX1234567")
    page.get_by_label("Issuing country").select_option("BD")
    page.get_by_role("button", name="Save and continue to Education").click()

    # Education.
    page.get_by_text("Saved: Identity.").wait_for()
    page.get_by_label("Level of education").select_option("7")
    page.get_by_label("Field of study (ISCED-F code)").fill("0716")
    page.get_by_label("Institution").fill("Bangladesh University of Engineering and Technology")
    page.get_by_label("Country").select_option("BD")
    page.get_by_label("Graduation year").fill("2015")
    page.get_by_role("button", name="Save and continue to Work history").click()
    page.get_by_text("Saved: Education.").wait_for()

    # Language tests (skipping work history and skills: they are optional).
    page.get_by_role("navigation", name="Profile steps").get_by_role("link", name="Language tests").click()
    page.locator("#id_language_tests-0-test").select_option("ielts_academic")
    page.get_by_label("Test date").fill("2024-03-02")
    for skill, band in (("Listening", "8"), ("Reading", "7.5"), ("Writing", "7"), ("Speaking", "7")):
        page.get_by_label(skill).fill(band)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved: Language tests.").wait_for()
    assert "BX1234567" not in page.content()

    # A document.
    page.get_by_role("navigation", name="Candidate pages").get_by_role("link", name="Documents").click()
    page.get_by_label("Kind of document").select_option("diploma")
    page.get_by_label("File").set_input_files({"name": "diploma.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Document uploaded; an officer will verify it.").wait_for()

    # Consent to the hand-off to the authority (needed to submit).
    page.get_by_role("navigation", name="Candidate pages").get_by_role("link", name="Consents").click()
    page.get_by_role("button", name="I consent: Handed to the immigration authority").click()
    page.get_by_text("Consent given: Handed to the immigration authority.").wait_for()

    # Apply to the demo programme.
    page.get_by_role("navigation", name="Candidate pages").get_by_role("link", name="Programmes").click()
    page.get_by_role("region", name=PROGRAMME.name_en).get_by_role("button", name="Apply").click()
    page.get_by_text("Your application has been submitted.").wait_for()
    page.get_by_text("Status: submitted").wait_for()

    screenshot(page, artifacts, "application")
    check_accessibility(page, "the candidate's application")

    application = Application.objects.select_related("profile__user", "programme").get()
    assert (application.status, application.programme.code, application.profile.user.email) == (
        "submitted",
        PROGRAMME.code,
        EMAIL,
    )
    assert application.profile.documents.get().file_name == "diploma.pdf"
