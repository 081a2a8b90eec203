"""Dates known only to the year or month ("2006", "2015-07"), as the registry's sources give them.

A partial date is stored as the first day of the period it names plus its precision, so that
"as of" queries compare plain dates while pages show only what the source said::

    >>> parse_partial_date("2015-07")
    PartialDate(day=datetime.date(2015, 7, 1), precision='month')
    >>> str(parse_partial_date("2006"))
    '2006'

A membership that "started in 2010" therefore counts from 2010-01-01 and one that "ended in
2022" stops on 2022-01-01: queries on a day inside an imprecise period are approximate, and the
precision shown beside the date says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


class PartialDateError(ValueError):
    """The text is not YYYY, YYYY-MM or YYYY-MM-DD (or names an impossible day)."""


@dataclass(frozen=True)
class PartialDate:
    """The first day of the named period and how much of it the source gave."""

    day: dt.date
    precision: str

    def __str__(self) -> str:
        return format_partial_date(self.day, self.precision)


def parse_partial_date(text: object) -> PartialDate:
    """Read ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"`` (a ``datetime.date`` is taken as a full day)."""
    if isinstance(text, dt.date):
        return PartialDate(text, DAY)
    match = _PATTERN.match(str(text).strip())
    if match is None:
        raise PartialDateError(f"'{text}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match["year"], match["month"], match["day"]
    try:
        value = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise PartialDateError(f"'{text}' is not a real date ({exc})") from None
    return PartialDate(value, DAY if day else MONTH if month else YEAR)


def format_partial_date(day: dt.date | None, precision: str) -> str:
    """The date as precisely as it is known: ``2015``, ``2015-07`` or ``2015-07-01`` (empty for none)."""
    if day is None:
        return ""
    if precision == YEAR:
        return f"{day.year:04d}"
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
