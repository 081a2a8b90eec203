"""Reads of reference data: country regions and money conversion through a named rate table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from talentgate.common.errors import ValidationFailed
from talentgate.reference.loading import FX_TABLE_NAME
from talentgate.reference.models import ExchangeRate


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
