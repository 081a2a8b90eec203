"""Fixtures for the browser journeys: Debian's chromium driven by Playwright against pytest-django's live
server. What they give and how to use them is listed in ``support.py``'s docstring."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS_ROOT = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Browser locale and Accept-Language per portal language.
LOCALES = {"en": ("en-GB", "en-GB,en;q=0.9"), "ru": ("ru-RU", "ru-RU,ru;q=0.9")}
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 30_000  # generous: a shared CI machine under load is slow, and only a failure waits it out


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwrights_loop() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio event loop running in this thread while a browser is open;
    Django then takes every ORM call made from the test (fixtures, assertions, the database flush after a
    transactional test) for one made inside async code and refuses it with SynchronousOnlyOperation.
    Nothing here runs concurrently with that loop, so the check is lifted while a browser module runs,
    and restored after it (set at import time, it leaked into every later test and subprocess).

    Module-scoped, like ``browser``, so the lift outlives the database teardown of each test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwrights_loop: None) -> Iterator[Browser]:
    """Headless chromium, one per test module.

    Not session-wide: the event loop it keeps running would make Django refuse the ORM in every
    non-browser test collected after this directory. Fails (never skips) when chromium is missing, so a
    broken CI image cannot pass silently."""
    if not CHROMIUM.exists():
        pytest.fail(f"chromium is not installed at {CHROMIUM} (apt-get install chromium, or `make deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Factory: ``new_page(language="en"|"ru")`` -> a Page in a fresh browser context (own cookies) whose
    locale and Accept-Language are that language's, with ``base_url`` the live server (so
    ``page.goto("/login/")`` works). Every context is closed at teardown."""
    contexts = []

    def _new_page(language: str = "en") -> Page:
        locale, accept_language = LOCALES[language]
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            extra_http_headers={"Accept-Language": accept_language},
            viewport=VIEWPORT,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """``test-artifacts/<test name>/`` (git-ignored), created, for this test's screenshots."""
    directory = ARTIFACTS_ROOT / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    directory.mkdir(parents=True, exist_ok=True)
    return directory
