"""The dashboard as labelled tables: every figure from ``queries`` laid out once, for the page, the API and exports.

Each :class:`Table` keeps its first column as the row label and numbers in the others; the same
object feeds the HTML table, the chart's JSON, CSV, XLSX and the PDF, so they cannot disagree.
Labels are rendered in the active language when the dashboard is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy

from talentgate.analytics import queries
from talentgate.analytics.filters import Filters
from talentgate.cases.models import Stage
from talentgate.cooperation.models import Bloc
from talentgate.hosts.models import Organisation
from talentgate.programmes.models import ApplicationStatus, PrioritySector

#: UN M49 region names as the reference table stores them, with their translations.
REGION_NAMES = {
    "Africa": pgettext_lazy("M49 region", "Africa"),
    "Americas": pgettext_lazy("M49 region", "Americas"),
    "Asia": pgettext_lazy("M49 region", "Asia"),
    "Europe": pgettext_lazy("M49 region", "Europe"),
    "Oceania": pgettext_lazy("M49 region", "Oceania"),
}


@dataclass
class Table:
    """One table of the dashboard: ``rows`` are ``[label, number, ...]`` under ``columns``.

    ``chart_columns`` are the indices of the number columns drawn in the chart beside the table
    (empty: no chart); ``note`` says how the figures were counted.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart_columns: list[int] = field(default_factory=list)
    note: str = ""

    def chart(self) -> dict[str, Any]:
        """The chart's data, taken from the table's own rows (labels and one series per charted column)."""
        return {
            "key": self.key,
            "title": self.title,
            "labels": [str(row[0]) for row in self.rows],
            "series": [
                {"label": self.columns[index], "values": [row[index] for row in self.rows]}
                for index in self.chart_columns
            ],
        }

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows, "note": self.note}


@dataclass
class Dashboard:
    """Every table for one set of filters, with when it was counted."""

    filters: Filters
    tables: list[Table]
    counted_at: dt.datetime
    filter_labels: dict[str, str]
    #: True when the figures come from the summary refresh that began at ``counted_at`` (their as-of time);
    #: False when they were counted live from the domain tables at ``counted_at``.
    from_summary: bool = False
    #: Why live figures were counted live (empty when from a summary or when built directly).
    live_reason: str = ""

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def charts(self) -> list[dict[str, Any]]:
        return [table.chart() for table in self.tables if table.chart_columns]


def _days(seconds: int | None) -> float | None:
    return None if seconds is None else queries.tenths_of_day(seconds) / 10


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def local_label(obj: Any, stem: str = "name") -> str:
    """``obj.<stem>_ru`` on a Russian page when filled in, else ``obj.<stem>_en``."""
    language = _language()
    localised = getattr(obj, f"{stem}_{language}", "") if language != "en" else ""
    return str(localised or getattr(obj, f"{stem}_en"))


def _country_name(code: str) -> str:
    if not code:
        return gettext("unknown")
    try:
        return str(Locale.parse(_language()).territories.get(code, code))
    except ValueError:
        return code


def _filter_labels(filters: Filters) -> dict[str, str]:
    everything = gettext("all")
    sector = PrioritySector.objects.filter(code=filters.sector).first() if filters.sector else None
    bloc = Bloc.objects.filter(code=filters.bloc).first() if filters.bloc else None
    host = Organisation.objects.filter(pk=filters.host).first() if filters.host is not None else None
    return {
        "period": filters.period_label,
        "sector": local_label(sector) if sector else everything,
        "bloc": local_label(bloc, "acronym") if bloc else everything,
        "host": host.name if host else everything,
    }


def build_dashboard(
    filters: Filters,
    *,
    today: dt.date | None = None,
    figures: Any = queries,
    as_of: dt.datetime | None = None,
) -> Dashboard:
    """Every figure for ``filters`` from ``figures`` (no access check: callers go through ``selectors.dashboard_for``).

    ``figures`` is the live ``queries`` module (the default) or a ``summaries.SummaryFigures`` whose
    refresh began at ``as_of``; ``summaries.summary_dashboard`` picks the source.
    """
    today = today or timezone.localdate()
    count = gettext("count")
    tables: list[Table] = []

    reached = figures.applications_by_status_reached(filters)
    tables.append(
        Table(
            "applications_funnel",
            gettext("Applications by status reached"),
            [gettext("Status"), gettext("Applications")],
            [[str(ApplicationStatus(status).label), n] for status, n in reached.items()],
            [1],
            gettext("Distinct applications that entered each status in the period."),
        )
    )
    tables.append(
        Table(
            "offers",
            gettext("Offers"),
            [gettext("Offers"), count],
            [
                [gettext("made"), figures.offers_made(filters)],
                [gettext("accepted"), figures.offers_accepted(filters)],
            ],
            [1],
            gettext("Offers made in the period, and offers accepted in the period."),
        )
    )
    stages = figures.cases_by_stage_reached(filters)
    tables.append(
        Table(
            "cases_funnel",
            gettext("Relocation cases by stage reached"),
            [gettext("Stage"), gettext("Cases")],
            [[str(Stage(stage).label), n] for stage, n in stages.items()],
            [1],
            gettext("Distinct cases that entered each stage in the period."),
        )
    )
    case_spreads = figures.case_time_in_stage(filters)
    tables.append(
        Table(
            "case_time_in_stage",
            gettext("Time in stage (relocation cases)"),
            [gettext("Stage"), gettext("Stays"), gettext("Median, days"), gettext("90th percentile, days")],
            [
                [str(Stage(stage).label), s.count, _days(s.median_seconds), _days(s.p90_seconds)]
                for stage, s in case_spreads.items()
            ],
            [2, 3],
            gettext("Active time (clock pauses excluded) in stages the cases left in the period."),
        )
    )
    application_spreads = figures.application_time_in_status(filters)
    tables.append(
        Table(
            "application_time_in_status",
            gettext("Time in status (applications)"),
            [gettext("Status"), gettext("Stays"), gettext("Median, days"), gettext("90th percentile, days")],
            [
                [str(ApplicationStatus(status).label), s.count, _days(s.median_seconds), _days(s.p90_seconds)]
                for status, s in application_spreads.items()
            ],
            [2, 3],
            gettext("From entering a status to the next transition, for statuses left in the period."),
        )
    )
    tables.append(_sector_table(filters, figures))
    by_country = figures.arrivals_by_country(filters)
    tables.append(
        Table(
            "arrivals_by_country",
            gettext("Arrivals by country of origin"),
            [gettext("Country"), gettext("Code"), gettext("Arrivals")],
            [[_country_name(code), code, n] for code, n in by_country.items()],
            [2],
        )
    )
    by_region = figures.arrivals_by_region(filters)
    tables.append(
        Table(
            "arrivals_by_region",
            gettext("Arrivals by UN M49 region"),
            [gettext("Region"), gettext("Arrivals")],
            [[str(REGION_NAMES.get(name, name)) if name else gettext("unknown"), n] for name, n in by_region.items()],
            [1],
        )
    )
    by_bloc = figures.arrivals_by_bloc(filters)
    blocs = {bloc.code: bloc for bloc in Bloc.objects.filter(code__in=list(by_bloc))}
    tables.append(
        Table(
            "arrivals_by_bloc",
            gettext("Arrivals by bloc"),
            [gettext("Bloc"), gettext("Arrivals")],
            [[local_label(blocs[code], "acronym"), n] for code, n in by_bloc.items()],
            [1],
            gettext("Membership as of the period's last day; a country in several blocs counts in each."),
        )
    )
    permits = figures.permit_outcomes(filters)
    tables.append(
        Table(
            "outcomes",
            gettext("Outcomes"),
            [gettext("Figure"), count],
            [
                [gettext("offers accepted"), figures.offers_accepted(filters)],
                [gettext("permits granted"), permits["granted"]],
                [gettext("permits refused"), permits["refused"]],
                [gettext("arrivals"), figures.arrivals(filters)],
            ],
            [1],
        )
    )
    tables.append(
        Table(
            "retention",
            gettext("Retention"),
            [
                gettext("Follow-up"),
                gettext("Arrived in the period"),
                gettext("Due by today"),
                gettext("Reached it without leaving early"),
                gettext("Retention, %"),
            ],
            [
                [gettext("%(months)s months") % {"months": r.months}, r.arrived, r.due, r.retained, r.rate]
                for r in (figures.retention(filters, months, today=today) for months in (6, 12))
            ],
            [4],
            gettext("People who arrived in the period and were due the follow-up by today."),
        )
    )
    counted_at = as_of or timezone.now()
    return Dashboard(filters, tables, counted_at, _filter_labels(filters), from_summary=as_of is not None)


def _proration_note(filters: Filters) -> str:
    """How the period's targets were counted: whole years, or which share of which year's days."""
    parts = []
    for year in filters.years:
        covered, total = queries.days_of_year_in_period(filters, year)
        if covered != total:
            parts.append(
                gettext("%(year)s: %(covered)s of %(total)s days") % {"year": year, "covered": covered, "total": total}
            )
    if not parts:
        return gettext("Targets are the programmes' whole-country yearly targets for the years the period touches.")
    return gettext(
        "The period covers part of a target year, so its target is prorated by days (%(days)s): yearly target "
        "× days in the period ÷ days in the year, rounded half up; the whole-year target is beside it."
    ) % {"days": "; ".join(parts)}


def _sector_table(filters: Filters, figures: Any) -> Table:
    actual = figures.arrivals_by_sector(filters)
    targets = figures.prorated_sector_targets(filters)
    whole_year = figures.sector_targets(filters)
    codes = sorted(set(actual) | set(targets), key=lambda code: (code == "", code))
    sectors = {sector.code: sector for sector in PrioritySector.objects.filter(code__in=codes)}
    rows = []
    for code in codes:
        target = targets.get(code)
        arrived = actual.get(code, 0)
        share = round(100 * arrived / target, 1) if target else None
        label = local_label(sectors[code]) if code in sectors else gettext("no sector")
        rows.append([label, arrived, target, share, whole_year.get(code)])
    return Table(
        "arrivals_by_sector",
        gettext("Arrivals by priority sector against targets"),
        [
            gettext("Sector"),
            gettext("Arrivals"),
            gettext("Target for the period"),
            gettext("Of target, %"),
            gettext("Whole-year target"),
        ],
        rows,
        [1, 2],
        _proration_note(filters),
    )
