"""Exports of analytics: CSV of one table or of all, the row-level case list (consent respected), XLSX and PDF.

Aggregate exports are reads and leave no trace; the row-level export names people's cases, so it
is written to the audit trail (who exported, which filters, never the rows).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext

from talentgate.analytics import reports, selectors
from talentgate.analytics.dashboard import Dashboard
from talentgate.analytics.filters import Filters
from talentgate.common import audit
from talentgate.common.errors import FieldError, ValidationFailed

AUDIT_CHAIN = "analytics"
CASE_ROW_COLUMNS = ["case", "stage", "origin_country", "sector", "host", "opened_on", "arrived_on", "departed_on"]
FORMATS = ("csv", "xlsx", "pdf")


def _csv_text(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # A byte-order mark so spreadsheet programs read the Cyrillic labels as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_csv(dashboard: Dashboard, key: str) -> bytes:
    """One table as CSV: its header, then its rows."""
    try:
        table = dashboard.table(key)
    except KeyError:
        raise ValidationFailed([FieldError("table", "unknown", gettext("No dashboard table has this name."))]) from None
    return _csv_text([table.columns, *table.rows])


def dashboard_csv(dashboard: Dashboard) -> bytes:
    """Every table in one CSV, one line per figure: table, row label, column, value; the last line the as-of time."""
    lines: list[list[Any]] = [["table", "row", "column", "value"]]
    for table in dashboard.tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                lines.append([table.key, row[0], column, value])
    as_of = "figures as of" if dashboard.from_summary else "counted live at"
    lines.append(["about", as_of, "", dashboard.counted_at.strftime("%Y-%m-%d %H:%M UTC")])
    return _csv_text(lines)


def render_dashboard(dashboard: Dashboard, fmt: str) -> tuple[bytes, str, str]:
    """``dashboard`` in ``fmt`` (csv, xlsx or pdf): (content, media type, file extension)."""
    if fmt == "csv":
        return dashboard_csv(dashboard), "text/csv; charset=utf-8", "csv"
    if fmt == "xlsx":
        return reports.dashboard_xlsx(dashboard), reports.XLSX_TYPE, "xlsx"
    if fmt == "pdf":
        return reports.dashboard_pdf(dashboard), "application/pdf", "pdf"
    raise ValidationFailed([FieldError("format", "choice", gettext("Choose csv, xlsx or pdf."))])


def export_dashboard(actor: Any, filters: Filters, fmt: str) -> tuple[bytes, str, str]:
    """The dashboard for ``filters`` in ``fmt``, for an analyst, a supervisor or an administrator."""
    if fmt not in FORMATS:
        raise ValidationFailed([FieldError("format", "choice", gettext("Choose csv, xlsx or pdf."))])
    return render_dashboard(selectors.dashboard_for(actor, filters), fmt)


def export_case_rows(actor: Any, filters: Filters) -> bytes:
    """One CSV line per case opened or arrived in the period, leaving out people who withdrew analytics consent."""
    cases = selectors.case_rows_for(actor, filters)
    rows: list[list[Any]] = [CASE_ROW_COLUMNS]
    for case in cases.iterator(chunk_size=2000):
        rows.append(
            [
                case.pk,
                case.stage,
                case.origin_country,
                case.sector.code if case.sector else "",
                case.organisation_id or "",
                case.opened_at.date().isoformat(),
                case.arrived_on.isoformat() if case.arrived_on else "",
                case.departed_on.isoformat() if case.departed_on else "",
            ]
        )
    audit.record(
        actor,
        "analytics.case_rows_exported",
        actor,
        chain=AUDIT_CHAIN,
        fields=["period", *(name for name in ("sector", "bloc", "host") if getattr(filters, name) not in ("", None))],
    )
    return _csv_text(rows)
