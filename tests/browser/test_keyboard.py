"""Forms used by keyboard alone (Tab, Shift+Tab, Enter, Space; no clicks, no filling by script): signing in,
the profile wizard's first two steps and a consent. A refused sign-in and a live wizard error are tied to
their fields (``aria-invalid``, and ``aria-describedby`` naming the message), so a screen reader announces
them with the field.
"""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.candidates.models import Consent, Profile

from .support import check_accessibility, description_of, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL = "keyboard.user@example.test"
PASSWORD = "Orbital-Relay-2031"
MAX_TABS = 80


def _focused(page) -> str:
    """The focused element, as ``tag#id[name]`` (for checks and for a readable failure)."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
                return e ? `${e.tagName.toLowerCase()}#${e.id}[${e.getAttribute("name") || ""}]` : ""; }"""
        )
    )


def _is_focused(page, selector: str) -> bool:
    return bool(page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector))


def tab_to(page, selector: str, *, limit: int = MAX_TABS, key: str = "Tab") -> int:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus; fails listing the stops on the way.
    Returns the number of presses."""
    stops = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if _is_focused(page, selector):
            return presses
        stops.append(_focused(page))
    raise AssertionError(f"{selector} not reached with {limit} x {key}; focus went: {stops}")


def settled(page) -> None:
    """Wait for the live validation of the field just left (htmx marks the field while its request runs,
    and puts the focus back where it was after the swap), as a person sees it before typing on."""
    page.wait_for_timeout(50)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def test_signing_in_by_keyboard_with_the_refusal_tied_to_the_fields(new_page):
    create_user(None, email=EMAIL, password=PASSWORD, role=Role.CANDIDATE, first_name="Kei")
    page = new_page()
    page.goto("/login/")
    tab_to(page, 'input[name="username"]')
    page.keyboard.type(EMAIL)
    assert tab_to(page, 'input[name="password"]', limit=1) == 1
    page.keyboard.type("not-the-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    username = page.locator('input[name="username"]')
    password = page.locator('input[name="password"]')
    for field in (username, password):
        assert field.get_attribute("aria-invalid") == "true"
        assert "correct e-mail address and password" in description_of(field).lower(), description_of(field)
    check_accessibility(page, "the refused sign-in")

    # The address is kept; Shift+Tab from the password goes back to it, Tab forward again, Enter signs in.
    tab_to(page, 'input[name="password"]')
    assert tab_to(page, 'input[name="username"]', limit=1, key="Shift+Tab") == 1
    assert username.input_value() == EMAIL
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Welcome, Kei").wait_for()


def test_the_profile_wizard_and_a_consent_by_keyboard(new_page):
    create_user(None, email=EMAIL, password=PASSWORD, role=Role.CANDIDATE, first_name="Kei", last_name="Tanaka")
    page = new_page()
    sign_in(page, EMAIL, PASSWORD)
    page.goto("/candidate/profile/identity/")

    # Identity: every field reached forward by Tab; selects chosen by typing, dates typed as the locale shows
    # (en-GB: dd/mm/yyyy). The date is in the future, so the step is refused with the error on the field.
    tab_to(page, "#id_identity-date_of_birth")
    page.keyboard.type("01012999")
    tab_to(page, "#id_identity-sex", limit=3)
    page.keyboard.type("Female")
    tab_to(page, "#id_identity-citizenships", limit=3)
    page.keyboard.type("BD")
    tab_to(page, "#id_identity_documents-0-kind")
    page.keyboard.type("Passport")
    tab_to(page, "#id_identity_documents-0-number", limit=3)
    page.keyboard.type("BX7654321")
    tab_to(page, "#id_identity_documents-0-issuing_country", limit=5)
    page.keyboard.type("Bangladesh")

    # Enter in a field submits the step (the form's first submit button is "Save", not an "Add" button);
    # Shift+Tab back to a text field first.
    tab_to(page, "#id_identity_documents-0-number", key="Shift+Tab", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    date_of_birth = page.locator("#id_identity-date_of_birth")
    assert date_of_birth.get_attribute("aria-invalid") == "true"
    assert "Date of birth is in the future." in description_of(date_of_birth)
    assert not Profile.objects.filter(user__email=EMAIL).exists()
    check_accessibility(page, "the identity step refused")

    # The other answers are kept; the date is typed again over the wrong one, and Enter saves.
    tab_to(page, "#id_identity-date_of_birth")
    page.keyboard.type("04041991")  # the same in dd/mm/yyyy and mm/dd/yyyy, whichever the browser shows
    settled(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Saved: Identity.").wait_for()
    profile = Profile.objects.get(user__email=EMAIL)
    assert (str(profile.date_of_birth), profile.sex) == ("1991-04-04", "female")

    # Education, then "Save and continue" pressed with Enter on the focused button.
    page.goto("/candidate/profile/education/")
    tab_to(page, "#id_education-0-level")
    page.keyboard.type("7: Master")
    tab_to(page, "#id_education-0-field_code")
    page.keyboard.type("0716")
    tab_to(page, "#id_education-0-institution")
    page.keyboard.type("Dhaka University")
    tab_to(page, "#id_education-0-country")
    page.keyboard.type("Bangladesh")
    tab_to(page, "#id_education-0-graduation_year")
    page.keyboard.type("2015")
    tab_to(page, 'button[value="save_next"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Saved: Education.").wait_for()
    assert profile.education.get().graduation_year == 2015

    # A consent given with Space on its button.
    page.goto("/candidate/consents/")
    tab_to(page, 'form[action$="/consents/matched_hosts/give/"] button')
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.get_by_text("Consent given: Shown to matched host organisations.").wait_for()
    assert Consent.objects.filter(profile=profile, purpose="matched_hosts", withdrawn_at__isnull=True).exists()
