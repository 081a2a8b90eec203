"""The browser harness itself: the accessibility check fails on serious findings and passes a clean page, and
it works under the portal's Content-Security-Policy (axe is not a script tag the policy could block)."""

from __future__ import annotations

import pytest

from .support import check_accessibility, select_language

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INACCESSIBLE = """<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>
<h1>Bad page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="nameless"><button type="submit"></button></form>
<p style="color:#bbb;background:#fff">Faint text</p></main></body></html>"""

ACCESSIBLE = """<!DOCTYPE html><html lang="en"><head><title>Good</title></head><body><main>
<h1>Good page</h1><form><label for="name">Name</label><input id="name" type="text">
<button type="submit">Send</button></form></main></body></html>"""


def test_serious_findings_fail_with_a_readable_list_and_a_clean_page_passes(new_page):
    page = new_page()
    page.set_content(INACCESSIBLE)
    with pytest.raises(AssertionError) as failure:
        check_accessibility(page, "a page made to fail")
    report = str(failure.value)
    for rule in ("image-alt", "label", "button-name", "color-contrast"):
        assert f"] {rule}:" in report, report
    assert "a page made to fail" in report
    page.set_content(ACCESSIBLE)
    check_accessibility(page, "a clean page")


def test_axe_runs_on_a_portal_page_under_its_content_security_policy(new_page):
    page = new_page()
    response = page.goto("/login/")
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "script-src" in policy or "default-src" in policy, policy
    check_accessibility(page, "the sign-in page")
    assert page.evaluate("() => typeof window.axe.run") == "function"


def test_the_language_switcher_helper_turns_the_page_russian_and_back(new_page):
    page = new_page()
    page.goto("/login/")
    select_language(page, "ru")
    assert page.locator('form[action$="/login/"] button[type="submit"]').inner_text() == "Войти"
    check_accessibility(page, "the Russian sign-in page")
    select_language(page, "en")
    assert page.locator('form[action$="/login/"] button[type="submit"]').inner_text() == "Sign in"
