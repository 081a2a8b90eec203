"""No external asset of any kind: every template, stylesheet and rendered page loads only from our own /static/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

import talentgate
from talentgate.accounts.roles import Role

pytestmark = pytest.mark.django_db

PACKAGE = Path(talentgate.__file__).parent
# src=, href=, action=, srcset= and CSS url()/@import pointing at another host (or protocol-relative).
EXTERNAL_IN_HTML = re.compile(r"""(?:src|href|srcset|action|data)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
EXTERNAL_IN_CSS = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def _our_templates() -> list[Path]:
    return sorted(PACKAGE.glob("**/templates/**/*.html"))


def test_there_are_templates_to_check():
    assert any(p.name == "base.html" for p in _our_templates())


@pytest.mark.parametrize("template", _our_templates(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_loads_nothing_from_another_host(template):
    text = template.read_text(encoding="utf-8")
    assert not EXTERNAL_IN_HTML.search(text)
    assert not INLINE_SCRIPT.search(text), "put scripts in a static .js file"
    assert not INLINE_HANDLER.search(text), "no inline event handlers (onclick=...)"


@pytest.mark.parametrize("stylesheet", sorted(PACKAGE.glob("**/static/**/*.css")), ids=lambda p: p.name)
def test_stylesheet_loads_nothing_from_another_host(stylesheet):
    assert not EXTERNAL_IN_CSS.search(stylesheet.read_text(encoding="utf-8"))


@pytest.mark.parametrize("url_name", ["portal:login", "portal:home"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_rendered_pages_mention_no_other_host(client, make_user, url_name, language):
    if url_name == "portal:home":
        client.force_login(make_user(Role.ADMINISTRATOR))
    html = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "http://" not in html
    assert "https://" not in html
    assert not re.search(r"""(?:src|href)=["']//""", html)


def test_vendored_htmx_and_its_licence_are_served_locally(client):
    htmx = finders.find("portal/vendor/htmx.min.js")
    assert htmx
    assert Path(htmx).stat().st_size > 40_000
    licence = finders.find("portal/vendor/htmx.LICENSE")
    assert licence
    assert "Zero-Clause BSD" in Path(licence).read_text()
    html = client.get(reverse("portal:login")).content.decode()
    assert '<script src="/static/portal/vendor/htmx.min.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/portal/portal.css">' in html
