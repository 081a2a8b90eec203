"""Shared helpers for the browser journeys (Debian's chromium driven by Playwright).

Fixtures (``tests/browser/conftest.py``):

- ``_allow_orm_beside_playwrights_loop`` (autouse, module): lifts Django's async-safety check while a
  browser is open, so tests may use the ORM and services between browser steps.
- ``browser`` (module): headless chromium at ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides); fails,
  never skips, when it is missing.
- ``new_page``: factory, ``new_page(language="en"|"ru")`` -> a Page in a fresh context (own cookies,
  locale and Accept-Language of that language, ``base_url`` = the live server, so
  ``page.goto("/login/")``); closed at teardown. One per person in a cross-role journey.
- ``artifacts``: ``test-artifacts/<test name>/`` (git-ignored) for screenshots.

Helpers (this module; import with ``from .support import ...``):

- ``sign_in(page, email, password)``: through the real sign-in form, in any language; passes the
  second step (``otp_token``) with the current code of the user's confirmed django-otp TOTP device.
- ``sign_out(page)``: the header's sign-out button.
- ``select_language(page, "ru")``: the portal's language switcher (a POST to ``set_language``).
- ``screenshot(page, artifacts, name)``: full-page PNG ``<artifacts>/<name>.png``.
- ``check_accessibility(page, context_name)``: axe-core (vendored, ``vendor/``) on the current page,
  WCAG 2.2 A/AA rules; fails with a readable list on any serious or critical finding.
- ``description_of(field)``: the text of what a field's ``aria-describedby`` points to (its help, its
  errors), to check an error is tied to its field.
- ``main_page(page, artifacts, name)``: both of the above for one of a role's main pages (axe first, then
  the screenshot ``<name>.png``).
- ``emailed_link(path_fragment)``: the last link in ``mail.outbox`` whose URL contains the fragment.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

VENDOR = Path(__file__).resolve().parent / "vendor"
#: WCAG 2.0/2.1/2.2 level A and AA rules (axe tags); best-practice rules are not part of the promise.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the portal's sign-in form (by field names, so it works in every language).

    When the portal asks for a second factor (an input named ``otp_token``), fill it with the current
    code of the user's confirmed TOTP device. Fails with the form's errors when sign-in is refused."""
    page.goto("/login/")
    form = page.locator("form", has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    token = page.locator('input[name="otp_token"]')
    if token.count():
        token.fill(_current_totp_code(email))
        with page.expect_navigation():
            page.locator("form", has=token).locator('button[type="submit"]').click()
    refused = page.locator('input[name="password"], input[name="otp_token"]')
    if refused.count():
        errors = page.locator(".form-errors, .errorlist").all_inner_texts()
        raise AssertionError(f"sign-in as {email} was refused: {errors or page.url}")


def _current_totp_code(email: str) -> str:
    """The code the user's authenticator app would show now (django-otp imported lazily: the harness
    works before the second factor exists)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


def sign_out(page: Page) -> None:
    """Sign out with the header's button."""
    with page.expect_navigation():
        page.locator('form[action$="/logout/"] button[type="submit"]').click()


def select_language(page: Page, language: str) -> None:
    """Switch the portal's language with its switcher and wait for the page to come back in it."""
    with page.expect_navigation():
        page.locator(f'form.language-switcher button[value="{language}"]').click()
    lang = page.locator("html").get_attribute("lang")
    assert lang == language, f"the language switcher left the page in {lang!r}, not {language!r}"


def screenshot(page: Page, artifacts: Path, name: str) -> Path:
    """Keep a full-page PNG of the current page as ``<artifacts>/<name>.png``; returns its path."""
    path = artifacts / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@cache
def _axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def check_accessibility(page: Page, context_name: str) -> None:
    """Run axe-core's WCAG 2.2 A/AA rules on the current page; fail listing every serious or critical
    finding (rule, impact, what to fix, the elements).

    axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
    Content-Security-Policy does not govern, so no script tag is added and the policy stays as served."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {" + _axe_source() + "\n}")
    results: dict[str, Any] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return {violations: results.violations.map((rule) => ({
                id: rule.id, impact: rule.impact, help: rule.help,
                nodes: rule.nodes.map((node) => ({
                    target: node.target.join(" "), summary: node.failureSummary,
                    html: node.html.slice(0, 200),
                })),
            }))};
        }""",
        WCAG_TAGS,
    )
    blocking = [rule for rule in results["violations"] if rule["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(f"axe on {context_name} ({page.url}):\n" + format_findings(blocking))


def main_page(page: Page, artifacts: Path, name: str) -> None:
    """One of a role's main pages in a journey: checked by axe (named ``name`` in a failure), then kept
    as the screenshot ``<artifacts>/<name>.png``."""
    check_accessibility(page, name)
    screenshot(page, artifacts, name)


def format_findings(rules: list[dict[str, Any]]) -> str:
    """One paragraph per rule: id, impact and help, then each failing element with axe's summary."""
    lines = []
    for rule in rules:
        lines.append(f"- [{rule['impact']}] {rule['id']}: {rule['help']}")
        for node in rule["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}\n      {node['html']}")
    return "\n".join(lines)


def description_of(field: Locator) -> str:
    """The text of the elements a field's ``aria-describedby`` names, joined: what a screen reader reads
    after the label (help text, errors)."""
    return str(
        field.evaluate(
            """(element) => (element.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
                .map((id) => (document.getElementById(id) || {innerText: ""}).innerText.trim()).join(" | ")"""
        )
    )


def emailed_link(path_fragment: str) -> str:
    """The last link in the test outbox (newest e-mail first) whose URL contains ``path_fragment``."""
    from django.core import mail

    for message in reversed(mail.outbox):
        links = [link for link in re.findall(r"https?://\S+", message.body) if path_fragment in link]
        if links:
            return links[-1]
    raise AssertionError(f"no e-mail has a link to {path_fragment!r}: {[m.subject for m in mail.outbox]}")
