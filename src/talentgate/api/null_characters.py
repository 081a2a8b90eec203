"""Finds a NUL character (U+0000) anywhere a request to the API carries text: path, query string, JSON body.

PostgreSQL text cannot hold NUL: a value carrying one reached the database and the query failed (a 500
on PostgreSQL, silently stored on SQLite). The API refuses such a request up front with 422, naming the
parameter or the dotted path into the body, before any operation reads it: with 422 in the path or the
query string, with 400 in a JSON body (see :class:`NullCharacter`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

__all__ = ["NUL", "NullCharacter", "field_with_null_character", "find_null_character"]

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


@dataclass(frozen=True)
class NullCharacter:
    """Where the first NUL of a request is: the envelope ``field`` and whether it is in the JSON body.

    A NUL in the body refuses the body as a whole (400, which every operation reading a body declares):
    it may sit under a key the operation ignores, where the published schema allows any value, so it is
    not one declared field failing its validation (422).
    """

    field: str
    in_body: bool

    @property
    def status(self) -> int:
        """The HTTP status the refusal answers with."""
        return 400 if self.in_body else 422


def find_null_character(request: HttpRequest) -> NullCharacter | None:
    """The first NUL in ``request`` (field ``""`` for the path), or ``None`` if it has none.

    A multipart form is left to the operation (its text fields are short and its files are bytes);
    a body that is not JSON is left to the parser, which refuses it.
    """
    if NUL in request.path:
        return NullCharacter("", in_body=False)
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return NullCharacter(key.replace(NUL, ""), in_body=False)
    if request.content_type == "application/json" and request.body:
        try:
            field = _path_in_json(json.loads(request.body), ())
        except ValueError:
            return None
        return None if field is None else NullCharacter(field, in_body=True)
    return None


def field_with_null_character(request: HttpRequest) -> str | None:
    """The envelope ``field`` of the first NUL in ``request`` (``""`` for the path), or ``None``."""
    found = find_null_character(request)
    return None if found is None else found.field
