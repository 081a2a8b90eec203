"""The dashboard's figures read from the latest summary refresh: the same functions, by name, as ``queries``.

:class:`SummaryFigures` answers each figure of ``queries`` with one ``SUM`` over the summary rows of the
grain that keeps exactly the dimensions the filters and the grouping need, so the figures equal the
live counts as of the refresh (tests compare both with raw SQL). Summaries are monthly: they answer
periods made of whole months (a year, a quarter, ``2026-01-01..2026-06-30``); :func:`current_dashboard`
falls back to the live queries for any other period, and when no refresh has finished yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext

from talentgate.analytics import queries
from talentgate.analytics.dashboard import Dashboard, build_dashboard
from talentgate.analytics.filters import Filters
from talentgate.analytics.models import SummaryCount, SummaryRefresh
from talentgate.analytics.refresh import COUNTRY, HOST, SECTOR
from talentgate.cooperation.models import Bloc, BlocMembership
from talentgate.cooperation.selectors import MEMBERS_ONLY, held_on
from talentgate.programmes.models import PrioritySector
from talentgate.reference.models import Country

_DIMENSION_BITS = {"sector": SECTOR, "country": COUNTRY, "host": HOST}


def latest_refresh() -> SummaryRefresh | None:
    """The newest finished refresh, or ``None`` before the first one."""
    return SummaryRefresh.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


def covers(filters: Filters) -> bool:
    """Whether the period is made of whole calendar months (what monthly summaries can answer)."""
    return filters.start.day == 1 and (filters.end + dt.timedelta(days=1)).day == 1


def current_dashboard(filters: Filters, *, today: dt.date | None = None) -> Dashboard:
    """The dashboard from the latest summaries when they cover the period, else counted live (and says why)."""
    if not covers(filters):
        board = build_dashboard(filters, today=today)
        board.live_reason = gettext("the period is not made of whole months, which the summaries count by")
        return board
    refresh = latest_refresh()
    if refresh is None:
        board = build_dashboard(filters, today=today)
        board.live_reason = gettext("no summary has been refreshed yet (talentgate analytics refresh)")
        return board
    return build_dashboard(filters, today=today, figures=SummaryFigures(refresh), as_of=refresh.started_at)


def _spread(histogram: dict[int, int]) -> queries.Spread:
    """Nearest-rank median and 90th percentile of a histogram of tenths of a day (given back as seconds)."""
    count = sum(histogram.values())

    def at_rank(fraction: float) -> int:
        rank, seen = queries.nearest_rank(count, fraction), 0
        for bucket in sorted(histogram):
            seen += histogram[bucket]
            if seen >= rank:
                return bucket * queries.SECONDS_PER_DAY // 10
        raise AssertionError("a rank within the count is always reached")

    return queries.Spread(count, at_rank(0.5), at_rank(0.9))


class SummaryFigures:
    """Every dashboard figure summed from one refresh's rows (the targets are read from their table, as live)."""

    def __init__(self, refresh: SummaryRefresh) -> None:
        self.refresh = refresh
        # Several tables share a sum (arrivals by country feed three of them): each is asked once.
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._blocs: dict[dt.date, dict[str, set[str]]] = {}
        self._sectors: dict[str, list[str]] = {}

    # --- the one query every figure goes through --------------------------------------------------------------

    def _rows(
        self, measure: str, filters: Filters, group: tuple[str, ...] = (), *, entries: bool = False
    ) -> QuerySet[SummaryCount]:
        """The rows of ``measure`` in the period, of the grain keeping the filters' and ``group``'s dimensions."""
        grain = 0
        rows = SummaryCount.objects.filter(
            refresh=self.refresh,
            measure=measure,
            month__gte=filters.start.replace(day=1),
            month__lte=filters.end.replace(day=1),
        )
        if filters.sector:
            grain |= SECTOR
            rows = rows.filter(sector__in=self._sector_codes(filters.sector))
        if filters.bloc:
            grain |= COUNTRY
            rows = rows.filter(country__in=sorted(self._members(filters.end).get(filters.bloc, ())))
        if filters.host is not None:
            grain |= HOST
            rows = rows.filter(host=filters.host)
        for name in group:
            grain |= _DIMENSION_BITS.get(name, 0)
        if entries:
            # Each record once: its first entry into the status within the period.
            rows = rows.filter(Q(prev_month__isnull=True) | Q(prev_month__lt=filters.start.replace(day=1)))
        return rows.filter(grain=grain).order_by()

    def _sector_codes(self, code: str) -> list[str]:
        """The sector and its sub-sectors (the filter's rule in ``queries``)."""
        if code not in self._sectors:
            sectors = PrioritySector.objects.filter(Q(code=code) | Q(parent__code=code))
            self._sectors[code] = list(sectors.values_list("code", flat=True))
        return self._sectors[code]

    def _members(self, on: dt.date) -> dict[str, set[str]]:
        """Every bloc's member countries on ``on`` (one query, the rule of ``countries_in_bloc``)."""
        if on not in self._blocs:
            members: dict[str, set[str]] = {code: set() for code in Bloc.objects.values_list("code", flat=True)}
            held = BlocMembership.objects.filter(held_on(on), kind__in=list(MEMBERS_ONLY), country__isnull=False)
            for code, country in held.values_list("bloc__code", "country_id"):
                members[code].add(country)
            self._blocs[on] = members
        return self._blocs[on]

    def _total(self, measure: str, filters: Filters) -> int:
        key = (measure, filters, "total")
        if key not in self._memo:
            self._memo[key] = int(self._rows(measure, filters).aggregate(total=Sum("n"))["total"] or 0)
        return int(self._memo[key])

    def _by(self, measure: str, filters: Filters, field: str, *, entries: bool = False) -> dict[Any, int]:
        key = (measure, filters, field, entries)
        if key not in self._memo:
            rows = self._rows(measure, filters, (field,), entries=entries).values(field).annotate(total=Sum("n"))
            self._memo[key] = {row[field]: int(row["total"]) for row in rows}
        return dict(self._memo[key])

    def _histograms(self, measure: str, filters: Filters) -> dict[str, dict[int, int]]:
        histograms: dict[str, dict[int, int]] = defaultdict(dict)
        rows = self._rows(measure, filters, ("key", "bucket")).values("key", "bucket").annotate(total=Sum("n"))
        for row in rows:
            histograms[row["key"]][row["bucket"]] = int(row["total"])
        return histograms

    # --- the figures, as in ``queries`` -------------------------------------------------------------------------

    def applications_by_status_reached(self, filters: Filters) -> dict[str, int]:
        counts = self._by("app_entry", filters, "key", entries=True)
        return {str(status): counts.get(str(status), 0) for status in queries.APPLICATION_FUNNEL}

    def offers_made(self, filters: Filters) -> int:
        return self._total("offer_made", filters)

    def offers_accepted(self, filters: Filters) -> int:
        return self._total("offer_accepted", filters)

    def cases_by_stage_reached(self, filters: Filters) -> dict[str, int]:
        counts = self._by("case_entry", filters, "key", entries=True)
        return {str(stage): counts.get(str(stage), 0) for stage in queries.CASE_FUNNEL}

    def case_time_in_stage(self, filters: Filters) -> dict[str, queries.Spread]:
        histograms = self._histograms("case_stay", filters)
        return {str(s): _spread(histograms[str(s)]) for s in queries.CASE_FUNNEL if str(s) in histograms}

    def application_time_in_status(self, filters: Filters) -> dict[str, queries.Spread]:
        histograms = self._histograms("app_stay", filters)
        return {str(s): _spread(histograms[str(s)]) for s in queries.APPLICATION_STAYS if str(s) in histograms}

    def arrivals(self, filters: Filters) -> int:
        return self._total("arrival", filters)

    def arrivals_by_country(self, filters: Filters) -> dict[str, int]:
        counts = self._by("arrival", filters, "country")
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def arrivals_by_region(self, filters: Filters) -> dict[str, int]:
        regions = dict(Country.objects.values_list("iso_alpha2", "region"))
        totals: dict[str, int] = defaultdict(int)
        for code, n in self._by("arrival", filters, "country").items():
            totals[regions.get(code) or ""] += n
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def arrivals_by_bloc(self, filters: Filters) -> dict[str, int]:
        by_country = self._by("arrival", filters, "country")
        members = self._members(filters.end)
        return {code: sum(by_country.get(c, 0) for c in members[code]) for code in sorted(members)}

    def arrivals_by_sector(self, filters: Filters) -> dict[str, int]:
        return dict(sorted(self._by("arrival", filters, "sector").items()))

    def sector_targets(self, filters: Filters) -> dict[str, int]:
        return queries.sector_targets(filters)

    def prorated_sector_targets(self, filters: Filters) -> dict[str, int]:
        return queries.prorated_sector_targets(filters)

    def permit_outcomes(self, filters: Filters) -> dict[str, int]:
        counts = self._by("permit", filters, "key")
        return {"granted": counts.get("grant", 0), "refused": counts.get("refusal", 0)}

    def retention(self, filters: Filters, months: int, *, today: dt.date) -> queries.Retention:
        cutoff = queries.months_before(today, months)

        def due(measure: str) -> int:
            rows = self._rows(measure, filters, ("month", "day")).values("month", "day").annotate(total=Sum("n"))
            limit = (cutoff.replace(day=1), cutoff.day)
            return sum(int(row["total"]) for row in rows if (row["month"], row["day"]) <= limit)

        return queries.Retention(
            months=months, arrived=self.arrivals(filters), due=due("arrival"), retained=due(f"retained_{months}")
        )
