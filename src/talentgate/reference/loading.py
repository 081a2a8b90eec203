"""Loads the shipped reference files into the database (idempotent; runs after every migrate)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

import pycountry

from talentgate.engines.rules.fx import FX_TABLE_NAME, read_fx_data
from talentgate.reference.models import Country, Currency, ExchangeRate, ExchangeRateTable

M49_SOURCE = "UN Statistics Division, Standard country or area codes for statistical use (M49), download of 2024-09"
ISO4217_SOURCE = f"ISO 4217 via pycountry {pycountry.__version__ if hasattr(pycountry, '__version__') else ''}".strip()


def _data_text(name: str) -> str:
    return resources.files("talentgate.reference").joinpath("data", name).read_text(encoding="utf-8")


def load_countries() -> int:
    """Upsert the 248 M49 countries and areas; returns the number loaded."""
    # keep_default_na would turn Namibia's "NA" into a missing value in pandas; csv keeps text as text.
    rows = list(csv.DictReader(_data_text("m49.csv").splitlines()))
    for row in rows:
        Country.objects.update_or_create(
            iso_alpha2=row["iso_alpha2"],
            defaults={
                "iso_alpha3": row["iso_alpha3"],
                "m49_code": row["m49_code"],
                "name_en": row["name_en"],
                "region": row["region"],
                "sub_region": row["sub_region"],
                "intermediate_region": row["intermediate_region"],
                "source": M49_SOURCE,
            },
        )
    return len(rows)


def load_currencies() -> int:
    currencies = list(pycountry.currencies)
    existing = set(Currency.objects.values_list("code", flat=True))
    Currency.objects.bulk_create(
        [
            Currency(code=c.alpha_3, numeric=getattr(c, "numeric", ""), name=c.name, source="ISO 4217 via pycountry")
            for c in currencies
            if c.alpha_3 not in existing
        ]
    )
    return len(currencies)


def load_exchange_rates() -> int:
    """Load the annual-average-per-USD table; years with no published value are skipped, not guessed.

    The file is the rules engine's package data (``engines/rules/data/fx_rates.yaml``), so the
    engine's conversions and this table read the same numbers.
    """
    data: dict[str, Any] = read_fx_data()
    table, _ = ExchangeRateTable.objects.update_or_create(
        name=FX_TABLE_NAME,
        defaults={
            "base_currency": data["base"],
            "description": "Annual average exchange rates, currency units per 1 USD (indicative).",
            "source": "ECB euro foreign exchange reference rates (cross rates computed), CBUAE peg, "
            "Vedomosti from Bank of Russia data; see docs/licences.md",
            "compiled": str(data["compiled"]),
        },
    )
    count = 0
    for currency, years in data["rates"].items():
        for year, entry in years.items():
            if not str(year).isdigit() or entry.get("value") is None:
                continue
            ExchangeRate.objects.update_or_create(
                table=table,
                currency=currency,
                valid_from=dt.date(int(year), 1, 1),
                defaults={
                    "valid_to": dt.date(int(year), 12, 31),
                    "units_per_base": Decimal(str(entry["value"])),
                    "method": entry.get("method", ""),
                },
            )
            count += 1
    return count


def load_all() -> dict[str, int]:
    return {"countries": load_countries(), "currencies": load_currencies(), "exchange_rates": load_exchange_rates()}


def load_after_migrate(**kwargs: Any) -> None:
    load_all()
