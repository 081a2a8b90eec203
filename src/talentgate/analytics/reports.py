"""The dashboard as files: an XLSX workbook (XlsxWriter, one sheet per table) and a PDF report (reportlab).

Both are drawn from the same :class:`~talentgate.analytics.dashboard.Dashboard` tables as the page, so
their numbers are the page's. The PDF is set in DejaVu Sans (the decision letters' fonts) so Russian
labels print.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext

from talentgate.analytics.dashboard import Dashboard
from talentgate.cases.letters import BOLD_FONT_NAME, FONT_NAME, _register_fonts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet name's length


def _filter_lines(dashboard: Dashboard) -> list[tuple[str, str]]:
    labels = dashboard.filter_labels
    return [
        (gettext("Period"), labels["period"]),
        (gettext("Sector"), labels["sector"]),
        (gettext("Bloc"), labels["bloc"]),
        (gettext("Host"), labels["host"]),
        (
            gettext("Figures as of") if dashboard.from_summary else gettext("Counted live at"),
            dashboard.counted_at.strftime("%Y-%m-%d %H:%M UTC"),
        ),
    ]


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """A workbook: a "filters" sheet, then one sheet per table named by its key, header row first."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    about = workbook.add_worksheet("filters")
    about.write_row(0, 0, [gettext("Analytics report")], bold)
    for index, (name, value) in enumerate(_filter_lines(dashboard), start=1):
        about.write_row(index, 0, [name, value])
    about.set_column(0, 1, 28)
    for table in dashboard.tables:
        sheet = workbook.add_worksheet(table.key[:_SHEET_NAME_LIMIT])
        sheet.write_row(0, 0, table.columns, bold)
        for index, row in enumerate(table.rows, start=1):
            for column, value in enumerate(row):
                if value is None:
                    sheet.write_blank(index, column, None)
                else:
                    sheet.write(index, column, value)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, len(table.columns) - 1, 16)
        if table.note:
            sheet.write(len(table.rows) + 2, 0, table.note)
    workbook.close()
    return buffer.getvalue()


def dashboard_pdf(dashboard: Dashboard) -> bytes:
    """A printable report: the filters, then each table with its note, targets beside actuals."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", fontName=BOLD_FONT_NAME, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", fontName=BOLD_FONT_NAME, fontSize=16, leading=20)
    story: list[Any] = [Paragraph(gettext("Analytics report"), title), Spacer(1, 3 * mm)]
    for name, value in _filter_lines(dashboard):
        story.append(Paragraph(f"{_escape(name)}: {_escape(value)}", body))
    for table in dashboard.tables:
        story.append(Paragraph(_escape(table.title), heading))
        if table.note:
            story.append(Paragraph(_escape(table.note), body))
        cells = [[Paragraph(_escape(str(c)), body) for c in table.columns]]
        cells += [[_escape(_cell(value)) for value in row] for row in table.rows]
        if not table.rows:
            cells.append([gettext("nothing in this period")] + [""] * (len(table.columns) - 1))
        grid = Table(cells, repeatRows=1, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        story += [Spacer(1, 2 * mm), grid]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=gettext("Analytics report"), leftMargin=15 * mm, rightMargin=15 * mm
    )
    document.build(story)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
