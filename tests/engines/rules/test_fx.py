"""The shipped exchange-rate table: reading it, choosing the year, converting, refusing to guess."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from talentgate.engines.rules import fx
from talentgate.engines.rules.fx import Conversion, FxTable, MissingRate, load_fx_table


def test_module_examples_run():
    assert doctest.testmod(fx).failed == 0


def test_the_shipped_table_is_named_and_keeps_unpublished_years_as_unknown():
    table = load_fx_table()
    assert table.name == "annual-average-usd"
    assert table.base == "USD"
    assert table.rates["JPY"] == {2024: 151.43, 2025: 149.66}
    assert table.rates["KZT"] == {2024: None, 2025: None}
    assert table.rates["RUB"][2024] is None


def test_cross_rates_take_both_legs_from_the_same_year():
    table = FxTable("t", "USD", {"AAA": {2024: 2.0, 2025: 4.0}, "BBB": {2024: 10.0}})
    # BBB has no 2025 rate, so AAA's 2024 rate is used with it, not AAA's 2025 one.
    result = table.convert(8.0, "AAA", "BBB", dt.date(2025, 5, 1))
    assert result == Conversion(40.0, 2024, "converted from AAA with t 2024 (latest year before 2025)")


def test_same_currency_needs_no_rate_and_no_note():
    assert load_fx_table().convert(5.0, "XYZ", "XYZ", dt.date(2025, 1, 1)) == Conversion(5.0, 2025, "")


@pytest.mark.parametrize(
    ("source", "on", "missing"),
    [
        ("KZT", dt.date(2025, 3, 1), MissingRate("KZT", 2025, "annual-average-usd")),
        ("RUB", dt.date(2024, 3, 1), MissingRate("RUB", 2024, "annual-average-usd")),
        ("EUR", dt.date(2023, 3, 1), MissingRate("EUR", 2023, "annual-average-usd")),
        ("XXX", dt.date(2025, 3, 1), MissingRate("XXX", 2025, "annual-average-usd")),
    ],
)
def test_a_rate_the_table_does_not_have_is_refused_naming_currency_and_year(source, on, missing):
    assert load_fx_table().convert(100.0, source, "JPY", on) == missing
