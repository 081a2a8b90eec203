"""Mounts the API under /api/ (the project's urls.py includes ``urlpatterns``).

Paths under /api/ that match no operation get the error envelope with 404 too, never an HTML page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from talentgate.api.main import api


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """404 in the envelope for any path under /api/ that no operation serves."""
    body = {"errors": [{"field": "", "rule": "not_found", "message": "No API operation at this path."}]}
    return api.create_response(request, body, status=404)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_path, name="api-unknown-path"),
]
