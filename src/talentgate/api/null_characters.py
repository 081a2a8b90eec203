"""Finds a NUL character (U+0000) anywhere a request to the API carries text: path, query string, JSON body.

PostgreSQL text cannot hold NUL: a value carrying one reached the database and the query failed (a 500
on PostgreSQL, silently stored on SQLite). The API refuses such a request up front with 422, naming the
parameter or the dotted path into the body, before any operation reads it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

__all__ = ["NUL", "field_with_null_character"]

NUL = "\x00"


def _path_in_json(value: Any, path: tuple[str, ...]) -> str | None:
    if isinstance(value, str):
        return ".".join(path) if NUL in value else None
    if isinstance(value, dict):
        # Keys are not checked: a key the operation does not know is ignored, and the document allows any.
        for key, item in value.items():
            found = _path_in_json(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _path_in_json(item, (*path, str(index)))
            if found is not None:
                return found
    return None


def field_with_null_character(request: HttpRequest) -> str | None:
    """The envelope ``field`` of the first NUL in ``request`` (``""`` for the path), or ``None`` if it has none.

    A multipart form is left to the operation (its text fields are short and its files are bytes);
    a body that is not JSON is left to the parser, which refuses it.
    """
    if NUL in request.path:
        return ""
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return key.replace(NUL, "")
    if request.content_type == "application/json" and request.body:
        try:
            return _path_in_json(json.loads(request.body), ())
        except ValueError:
            return None
    return None
