"""Reads of reference data: countries and currencies for pickers, and money conversion through a named rate table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

from talentgate.common.errors import ValidationFailed
from talentgate.reference.loading import FX_TABLE_NAME
from talentgate.reference.models import Country, Currency, ExchangeRate


def convert(amount: Decimal, currency: str, to: str, on: dt.date, table: str = FX_TABLE_NAME) -> Decimal:
    """Convert ``amount`` from ``currency`` to ``to`` with the rates of ``table`` valid ``on`` that date.

    Refuses (naming the currency and date) when the table has no rate, rather than guess.
    """

    def per_base(code: str) -> Decimal:
        rate = (
            ExchangeRate.objects.filter(table__name=table, currency=code, valid_from__lte=on, valid_to__gte=on)
            .values_list("units_per_base", flat=True)
            .first()
        )
        if rate is None:
            raise ValidationFailed.single(
                "currency", "rate_missing", f"Table {table} has no {code} rate valid on {on.isoformat()}."
            )
        return Decimal(rate)

    if currency == to:
        return amount
    return amount / per_base(currency) * per_base(to)


def _reader_locale() -> Locale | None:
    """The active language's CLDR locale (babel), None for English: our tables' names are English already."""
    language = (get_language() or "en").replace("-", "_")
    if language.split("_")[0] == "en":
        return None
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return None


def country_choices() -> list[tuple[str, str]]:
    """``(ISO 3166-1 alpha-2, name)`` of every country, by name in the active language (CLDR names via babel;
    our M49 table's English name where CLDR has none): the options of a country picker."""
    rows = Country.objects.values_list("iso_alpha2", "name_en")
    locale = _reader_locale()
    named = [(code, str(locale.territories.get(code, name)) if locale else name) for code, name in rows]
    return sorted(named, key=lambda row: row[1].casefold())


def currency_choices() -> list[tuple[str, str]]:
    """``(ISO 4217 code, "code name")`` of every currency, by code, the name in the active language (CLDR);
    a code CLDR does not name in that language (a few funds and units of account) is shown alone."""
    locale = _reader_locale()
    rows = Currency.objects.order_by("code").values_list("code", "name")
    if locale is None:
        return [(code, f"{code} {name}") for code, name in rows]
    return [(code, f"{code} {locale.currencies[code]}" if code in locale.currencies else code) for code, _name in rows]
