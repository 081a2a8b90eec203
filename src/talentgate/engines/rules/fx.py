"""The dated exchange-rate table shipped as data (``data/fx_rates.yaml``) and money conversion through it.

The table holds annual averages in currency units per 1 USD; a conversion uses the rate of the
year of the assessment date or, when that year has no published value, of the latest earlier
year that has one (and says so). A rate the table does not have is never guessed: the
conversion is refused with :class:`MissingRate`, naming the currency and the year.

The platform's ``reference`` app loads the same file into the database through
:func:`load_fx_table`, so the engine and the database cannot disagree.

>>> import datetime as dt
>>> table = load_fx_table()
>>> table.name
'annual-average-usd'
>>> result = table.convert(1000.0, "EUR", "JPY", dt.date(2025, 6, 1))
>>> round(result.amount), result.year, result.note
(168783, 2025, 'converted from EUR with annual-average-usd 2025')
>>> table.convert(1000.0, "EUR", "JPY", dt.date(2026, 3, 1)).note
'converted from EUR with annual-average-usd 2025 (latest year before 2026)'
>>> table.convert(10.0, "KZT", "JPY", dt.date(2025, 6, 1))
MissingRate(currency='KZT', year=2025, table='annual-average-usd')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["FX_DATA_FILE", "FX_TABLE_NAME", "Conversion", "FxTable", "MissingRate", "load_fx_table", "read_fx_data"]

#: The name results give for the shipped table.
FX_TABLE_NAME = "annual-average-usd"
#: The shipped file, as package data of ``talentgate.engines.rules``.
FX_DATA_FILE = "data/fx_rates.yaml"


@dataclass(frozen=True)
class Conversion:
    """An amount converted, the rate year used and a sentence naming the table and year."""

    amount: float
    year: int
    note: str


@dataclass(frozen=True)
class MissingRate:
    """No rate for ``currency`` in ``year`` or before it: the converted input is missing."""

    currency: str
    year: int
    table: str

    @property
    def message(self) -> str:
        return f"no {self.table} exchange rate for {self.currency} in {self.year} or an earlier year"


@dataclass(frozen=True)
class FxTable:
    """Annual rates per currency: ``rates[currency][year]`` in units per 1 ``base`` (``None``: not published)."""

    name: str
    base: str
    rates: dict[str, dict[int, float | None]]

    def rate(self, currency: str, on: dt.date) -> tuple[float, int] | MissingRate:
        """Units of ``currency`` per 1 base unit in the year of ``on`` or the latest earlier year with a value."""
        known = {year: value for year, value in self.rates.get(currency, {}).items() if value is not None}
        usable = [year for year in known if year <= on.year]
        if not usable:
            return MissingRate(currency, on.year, self.name)
        year = max(usable)
        return known[year], year

    def convert(self, amount: float, source: str, target: str, on: dt.date) -> Conversion | MissingRate:
        """``amount`` in ``source`` expressed in ``target`` with the rates in force ``on`` (see module doc)."""
        if source == target:
            return Conversion(amount, on.year, "")
        source_rate = self.rate(source, on)
        if isinstance(source_rate, MissingRate):
            return source_rate
        target_rate = self.rate(target, on)
        if isinstance(target_rate, MissingRate):
            return target_rate
        # Both legs must come from the same year, or the cross rate mixes two years' averages.
        year = min(source_rate[1], target_rate[1])
        source_units = self.rates[source].get(year)
        target_units = self.rates[target].get(year)
        if source_units is None:
            return MissingRate(source, year, self.name)
        if target_units is None:
            return MissingRate(target, year, self.name)
        note = f"converted from {source} with {self.name} {year}"
        if year != on.year:
            note += f" (latest year before {on.year})"
        return Conversion(amount / source_units * target_units, year, note)


def read_fx_data() -> dict[str, Any]:
    """The shipped file as parsed YAML (safe loading), for the engine and the database loader alike."""
    text = resources.files("talentgate.engines.rules").joinpath(FX_DATA_FILE).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def load_fx_table() -> FxTable:
    """The shipped table, read once per process."""
    data = read_fx_data()
    rates: dict[str, dict[int, float | None]] = {}
    for currency, years in data["rates"].items():
        rates[currency] = {
            int(year): (None if entry.get("value") is None else float(entry["value"]))
            for year, entry in years.items()
            if str(year).isdigit()
        }
    return FxTable(FX_TABLE_NAME, str(data["base"]), rates)
