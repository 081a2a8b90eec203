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
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from django.db import models
from django.utils.translation import gettext
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = ["DecimalColumn", "IsoDate"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _require_iso_date(value: Any) -> Any:
    """Let a date object or a ``YYYY-MM-DD`` string through to pydantic's date parsing; refuse the rest."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", gettext("Give a date as YYYY-MM-DD (for example 2026-03-31)."))


#: A calendar date written ``YYYY-MM-DD``; its JSON Schema stays ``{"type": "string", "format": "date"}``.
IsoDate = Annotated[date, BeforeValidator(_require_iso_date)]


class DecimalColumn(GroupedMetadata):
    """``Annotated[Decimal, DecimalColumn(Model, "field")]``: a decimal that column can hold, published as such.

    pydantic publishes a decimal as ``number or any string``: the fuzzer's strings were refused with 422
    although the document allowed them, and a number too long for the column reached the database
    (PostgreSQL refuses it: a 500). This metadata publishes the digits the column takes (a number below
    ``10 ** (max_digits - decimal_places)``, or a plain decimal string of that shape) and refuses the
    rest with ``decimal_parsing``, ``decimal_max_digits`` or ``decimal_max_places`` naming the field.
    """

    def __init__(self, model: type[models.Model], name: str) -> None:
        field = model._meta.get_field(name)
        if not isinstance(field, models.DecimalField):
            raise TypeError(f"DecimalColumn: {model.__name__}.{name} is not a DecimalField")
        self.max_digits = field.max_digits
        self.places = field.decimal_places
        self.whole = field.max_digits - field.decimal_places
        self.shape = re.compile(rf"-?[0-9]{{1,{self.whole}}}(\.[0-9]{{1,{self.places}}})?")

    def _require_shape(self, value: Any) -> Any:
        # pydantic would also read "1e5", " 12" or "NaN"; the document promises plain decimals only.
        if isinstance(value, str) and not self.shape.fullmatch(value):
            raise PydanticCustomError(
                "decimal_parsing",
                gettext("Give a number with at most {whole} digits before the point and {places} after."),
                {"whole": self.whole, "places": self.places},
            )
        return value

    def __iter__(self) -> Iterator[Any]:
        bound = 10**self.whole
        number = {"type": "number", "exclusiveMinimum": -bound, "exclusiveMaximum": bound}
        number["multipleOf"] = 10**-self.places
        yield BeforeValidator(self._require_shape)
        yield Field(max_digits=self.max_digits, decimal_places=self.places)
        yield WithJsonSchema({"anyOf": [number, {"type": "string", "pattern": f"^{self.shape.pattern}$"}]})
