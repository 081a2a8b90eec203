"""The dashboard's filters: a period (a year, a quarter or a date range), a sector, a bloc and a host.

``parse_filters`` turns the text a person typed (page, API, command line) into :class:`Filters`, refusing
bad input with a ``ValidationFailed`` that names the field and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from talentgate.common.errors import FieldError, ValidationFailed

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Filters:
    """Which slice of the programme the figures count; empty strings and ``None`` mean "all"."""

    start: dt.date
    end: dt.date
    sector: str = ""
    bloc: str = ""
    host: int | None = None

    @property
    def period_label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start 00:00, the day after end 00:00) in the current time zone."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2026`` (a year), ``2026-Q1`` (a quarter) or ``2026-01-01..2026-06-30`` (inclusive), as (start, end)."""
    text = (text or "").strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return start, following - dt.timedelta(days=1)
    if match := _RANGE.match(text):
        try:
            start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
        except ValueError:
            start = end = None  # type: ignore[assignment]
        if start is not None and end is not None and start <= end:
            return start, end
    raise ValidationFailed(
        [
            FieldError(
                "period",
                "format",
                gettext(
                    "Give the period as a year (2026), a quarter (2026-Q1) or a range of real dates, "
                    "the first not after the last (2026-01-01..2026-06-30)."
                ),
            )
        ]
    )


def parse_filters(
    period: str = "", sector: str = "", bloc: str = "", host: str | int | None = None, *, today: dt.date | None = None
) -> Filters:
    """Filters from text; an empty period means the current calendar year. Unknown codes are refused."""
    from talentgate.cooperation.models import Bloc
    from talentgate.hosts.models import Organisation
    from talentgate.programmes.models import PrioritySector

    errors: list[FieldError] = []
    start = end = None
    try:
        start, end = parse_period(period or str((today or timezone.localdate()).year))
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    sector = (sector or "").strip()
    if sector and not PrioritySector.objects.filter(code=sector).exists():
        errors.append(FieldError("sector", "unknown", gettext("No priority sector has this code.")))
    bloc = (bloc or "").strip()
    if bloc and not Bloc.objects.filter(code=bloc).exists():
        errors.append(FieldError("bloc", "unknown", gettext("No bloc has this code.")))
    host_id: int | None = None
    if host not in (None, ""):
        try:
            host_id = int(host)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors.append(FieldError("host", "integer", gettext("Give the host organisation's number.")))
        else:
            if not Organisation.objects.filter(pk=host_id).exists():
                errors.append(FieldError("host", "unknown", gettext("No host organisation has this number.")))
    if errors:
        raise ValidationFailed(errors)
    assert start is not None
    assert end is not None
    return Filters(start=start, end=end, sector=sector, bloc=bloc, host=host_id)
