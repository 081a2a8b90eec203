"""The API docs page works offline: every asset it loads is served from our own /static/."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

ASSET_ATTRIBUTES = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_docs_page_loads_only_local_static_assets(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = ASSET_ATTRIBUTES.findall(html)
    assert assets, "the docs page should load Swagger UI"
    assert all(url.startswith("/static/") for url in assets), assets
    assert "http://" not in html
    assert "https://" not in html


def test_docs_assets_exist_in_the_static_files(client):
    html = client.get("/api/docs").content.decode()
    for url in ASSET_ATTRIBUTES.findall(html):
        assert finders.find(url.removeprefix("/static/")), url


def test_swagger_validator_badge_is_off(client):
    # Swagger UI would otherwise fetch a badge image from validator.swagger.io.
    html = client.get("/api/docs").content.decode()
    assert '"validatorUrl": null' in html
