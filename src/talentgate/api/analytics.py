"""API routes of analytics: the dashboard's tables (analysts, supervisors and administrators only).

``GET /api/analytics/dashboard?period=2026-Q1&sector=space&bloc=brics&host=7`` answers every table the
portal's dashboard shows (same rows, same labels, in the request's language); the chart series are the
tables' own columns. ``GET /api/analytics/dashboard/export?format=xlsx&...`` downloads the same tables
as CSV (a line per figure), an XLSX workbook or a PDF report, as the portal's export links do. Both read
the latest summaries when they cover the period and say the figures' as-of time. Calls only
``analytics.filters``, ``analytics.selectors`` and ``analytics.services``.
"""

# No ``from __future__ import annotations``: ninja reads the Query schema's annotations at runtime.

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from talentgate.analytics import selectors, services
from talentgate.analytics.filters import parse_filters
from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses

router = Router(tags=["analytics"])


class DashboardFilters(Schema):
    period: str = Field("", description="2026, 2026-Q1 or 2026-01-01..2026-06-30; empty: the current year.")
    sector: str = Field("", description="A priority sector's code (its sub-sectors included).")
    bloc: str = Field("", description="A bloc's code; membership as of the period's last day.")
    host: int | None = Field(None, description="A host organisation's id.")


class FiltersOut(Schema):
    start: dt.date
    end: dt.date
    sector: str
    bloc: str
    host: int | None


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str


class DashboardOut(Schema):
    filters: FiltersOut
    counted_at: dt.datetime = Field(
        description="The figures' as-of time: the summary refresh's start, or when counted live."
    )
    from_summary: bool = Field(description="True when read from the summaries, false when counted live.")
    tables: list[TableOut]


@router.get(
    "/dashboard",
    response={200: DashboardOut, **error_responses(400, 401, 403, 422)},
    summary="Get the analytics dashboard",
)
def get_dashboard(request: HttpRequest, filters: Query[DashboardFilters]) -> dict[str, Any]:
    """Every dashboard table for the filters; each figure is a database count."""
    actor = actor_of(request)
    selectors.require_analytics_access(actor)
    parsed = parse_filters(filters.period, filters.sector, filters.bloc, filters.host)
    board = selectors.dashboard_for(actor, parsed)
    return {
        "filters": {
            "start": parsed.start,
            "end": parsed.end,
            "sector": parsed.sector,
            "bloc": parsed.bloc,
            "host": parsed.host,
        },
        "counted_at": board.counted_at,
        "from_summary": board.from_summary,
        "tables": [table.as_dict() for table in board.tables],
    }


class ExportFilters(DashboardFilters):
    format: str = Field("csv", description="csv (a line per figure, the as-of time last; the default), xlsx or pdf.")


_EXPORT_TYPES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/dashboard/export",
    response={200: None, **error_responses(400, 401, 403, 422)},
    summary="Download the analytics dashboard (CSV, XLSX or PDF)",
    openapi_extra={"responses": {"200": {"description": "The dashboard as a file.", "content": _EXPORT_TYPES}}},
)
def export_dashboard(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    """The dashboard for the filters as a file; a bad filter or format is refused naming its field and rule."""
    actor = actor_of(request)
    selectors.require_analytics_access(actor)
    parsed = parse_filters(filters.period, filters.sector, filters.bloc, filters.host)
    content, media_type, extension = services.export_dashboard(actor, parsed, filters.format.strip().lower())
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="analytics-{parsed.period_label}.{extension}"'
    return response
