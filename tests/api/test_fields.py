"""The API's shared field types accept exactly what the OpenAPI document promises."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from talentgate.api.fields import IsoDate


class Filters(BaseModel):
    on: IsoDate | None = None


def test_an_iso_date_is_read_as_that_day():
    assert Filters.model_validate({"on": "2026-03-31"}).on == date(2026, 3, 31)
    assert Filters(on=date(2026, 3, 31)).on == date(2026, 3, 31)
    assert Filters().on is None


@pytest.mark.parametrize("value", ["0", 0, 1795523914, "20260331", "2026-3-31", "2026-03-31T00:00:00", "31.03.2026"])
def test_numbers_timestamps_and_other_spellings_are_refused_as_date_format(value):
    with pytest.raises(ValidationError) as raised:
        Filters.model_validate({"on": value})
    assert [(e["loc"], e["type"]) for e in raised.value.errors()] == [(("on",), "date_format")]


def test_an_impossible_day_is_still_refused():
    with pytest.raises(ValidationError):
        Filters.model_validate({"on": "2026-02-30"})


def test_the_json_schema_is_still_an_iso_date_string():
    assert Filters.model_json_schema()["properties"]["on"]["anyOf"][0] == {"type": "string", "format": "date"}


def test_a_decimal_column_publishes_and_keeps_its_digits():
    from decimal import Decimal
    from typing import Annotated

    from talentgate.api.fields import DecimalColumn
    from talentgate.competitions.models import Criterion

    class CriterionIn(BaseModel):
        weight: Annotated[Decimal, DecimalColumn(Criterion, "weight")]

    assert CriterionIn.model_validate({"weight": "12.5"}).weight == Decimal("12.5")
    assert CriterionIn.model_validate({"weight": 0.25}).weight == Decimal("0.25")
    assert CriterionIn.model_json_schema()["properties"]["weight"]["anyOf"] == [
        {"type": "number", "exclusiveMinimum": -10000, "exclusiveMaximum": 10000, "multipleOf": 0.01},
        {"type": "string", "pattern": r"^-?[0-9]{1,4}(\.[0-9]{1,2})?$"},
    ]
    for value, rule in [("12345", "decimal_parsing"), (12345, "decimal_whole_digits"), ("NaN", "decimal_parsing")]:
        with pytest.raises(ValidationError) as raised:
            CriterionIn.model_validate({"weight": value})
        assert [e["type"] for e in raised.value.errors()] == [rule]


def test_a_decimal_column_must_name_a_decimal_field():
    from talentgate.api.fields import DecimalColumn
    from talentgate.competitions.models import Criterion

    with pytest.raises(TypeError, match=r"Criterion\.code is not a DecimalField"):
        DecimalColumn(Criterion, "code")
