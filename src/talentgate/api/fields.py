"""Field types the API's schemas and parameters share, where pydantic's own parsing is laxer than the schema.

The OpenAPI document promises ``{"type": "string", "format": "date"}`` for a date, but pydantic also
reads a number, or a string of digits, as seconds since 1970: ``?on=0`` was taken for 1 January 1970.
``IsoDate`` accepts only what the document says, an ISO 8601 calendar date ``YYYY-MM-DD``, and refuses
anything else with the rule ``date_format`` naming the field.

>>> from pydantic import TypeAdapter, ValidationError
>>> TypeAdapter(IsoDate).validate_python("2026-11-24")
datetime.date(2026, 11, 24)
>>> try:
...     TypeAdapter(IsoDate).validate_python("0")
... except ValidationError as error:
...     print(error.errors()[0]["type"])
date_format
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

__all__ = ["IsoDate"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _require_iso_date(value: Any) -> Any:
    """Let a date object or a ``YYYY-MM-DD`` string through to pydantic's date parsing; refuse the rest."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", "Give a date as YYYY-MM-DD (for example 2026-03-31).")


#: A calendar date written ``YYYY-MM-DD``; its JSON Schema stays ``{"type": "string", "format": "date"}``.
IsoDate = Annotated[date, BeforeValidator(_require_iso_date)]
