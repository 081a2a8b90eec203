"""The API's shared field types accept exactly what the OpenAPI document promises."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from talentgate.api.fields import IsoDate


class Filters(BaseModel):
    on: IsoDate | None = None


def test_an_iso_date_is_read_as_that_day():
    assert Filters(on="2026-03-31").on == date(2026, 3, 31)
    assert Filters(on=date(2026, 3, 31)).on == date(2026, 3, 31)
    assert Filters().on is None


@pytest.mark.parametrize("value", ["0", 0, 1795523914, "20260331", "2026-3-31", "2026-03-31T00:00:00", "31.03.2026"])
def test_numbers_timestamps_and_other_spellings_are_refused_as_date_format(value):
    with pytest.raises(ValidationError) as raised:
        Filters(on=value)
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [(("on",), "date_format")]


def test_an_impossible_day_is_still_refused():
    with pytest.raises(ValidationError):
        Filters(on="2026-02-30")


def test_the_json_schema_is_still_an_iso_date_string():
    assert Filters.model_json_schema()["properties"]["on"]["anyOf"][0] == {"type": "string", "format": "date"}
