"""Reference data is loaded on migrate with its source, and conversions name their table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentgate.common.errors import ValidationFailed
from talentgate.reference.models import Country, Currency
from talentgate.reference.selectors import convert

pytestmark = pytest.mark.django_db


def test_all_m49_countries_loaded_with_regions():
    assert Country.objects.count() == 248
    namibia = Country.objects.get(iso_alpha2="NA")  # "NA" must stay a code, not become a missing value
    assert (namibia.region, namibia.sub_region, namibia.m49_code) == ("Africa", "Sub-Saharan Africa", "516")
    assert Country.objects.get(iso_alpha2="AF").m49_code == "004"
    assert "M49" in namibia.source


def test_iso_4217_currencies_loaded():
    assert Currency.objects.filter(code__in=["EUR", "RUB", "KZT", "USD"]).count() == 4


def test_convert_through_the_dated_table():
    amount = convert(Decimal("1000"), "EUR", "USD", dt.date(2025, 6, 1))
    assert amount.quantize(Decimal("0.01")) == Decimal("1127.78")  # 1000 / 0.8867


def test_convert_refuses_a_missing_rate_naming_currency_and_date():
    with pytest.raises(ValidationFailed) as caught:
        convert(Decimal("1"), "KZT", "USD", dt.date(2025, 6, 1))
    (error,) = caught.value.errors
    assert (error.field, error.rule) == ("currency", "rate_missing")
    assert "KZT" in error.message
    assert "2025-06-01" in error.message
