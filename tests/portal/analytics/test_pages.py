"""The analytics pages: figures equal to SQL counts in tables with charts from the same rows, exports holding the
same numbers, consent respected in the row-level export, filters shown with errors next to them, roles refused."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from pypdf import PdfReader

from talentgate.accounts.roles import Role
from talentgate.analytics.dashboard import build_dashboard
from talentgate.analytics.filters import parse_filters
from talentgate.cases.models import Decision, RelocationCase
from talentgate.common.audit import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("portal:analytics:dashboard")


def _chart_data(html: str) -> list[dict]:
    match = re.search(r'<script id="analytics-charts" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the chart data is embedded with json_script"
    return json.loads(match.group(1))


def _rows(response) -> dict[str, list[list]]:
    return {table.key: table.rows for table in response.context["dashboard"].tables}


def test_the_page_shows_each_figure_equal_to_its_sql_count(analyst_client, world):
    response = analyst_client.get(URL, {"period": "2026"})
    assert response.status_code == 200
    outcomes = dict((label, n) for label, n in _rows(response)["outcomes"])
    assert outcomes["arrivals"] == RelocationCase.objects.filter(arrived_on__year=2026).count() == 4
    granted = Decision.objects.filter(kind="grant", decided_at__year=2026).count()
    assert outcomes["permits granted"] == granted
    sectors = {row[0]: row[1:] for row in _rows(response)["arrivals_by_sector"]}
    assert sectors["Space industry"] == [2, 10, 20.0, 10]  # 2 arrivals against a yearly target of 10
    html = response.content.decode()
    assert '<th scope="row">Space industry</th><td>2</td><td>10</td><td>20.0</td>' in html


def test_the_chart_data_is_the_tables_rows(analyst_client, world):
    response = analyst_client.get(URL, {"period": "2026"})
    charts = {chart["key"]: chart for chart in _chart_data(response.content.decode())}
    tables = response.context["dashboard"].tables
    assert set(charts) == {table.key for table in tables if table.chart_columns}
    for table in tables:
        if not table.chart_columns:
            continue
        chart = charts[table.key]
        assert chart["labels"] == [str(row[0]) for row in table.rows]
        for series, index in zip(chart["series"], table.chart_columns, strict=True):
            assert series["label"] == table.columns[index]
            assert series["values"] == [row[index] for row in table.rows]


def test_the_page_has_no_inline_script_or_style(analyst_client, world):
    html = analyst_client.get(URL, {"period": "2026"}).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert " style=" not in html
    assert "<style" not in html
    assert "portal/vendor/chartjs/chart.umd.min.js" in html
    assert "http://" not in html.replace("http://testserver", "")


def test_filters_change_the_figures(analyst_client, world):
    everything = _rows(analyst_client.get(URL, {"period": "2026"}))
    bloc = _rows(analyst_client.get(URL, {"period": "2026", "bloc": "test-bloc"}))
    host = _rows(analyst_client.get(URL, {"period": "2026", "host": world.hosts["Neural Labs"].pk}))
    assert dict(everything["outcomes"])["arrivals"] == 4
    assert dict(bloc["outcomes"])["arrivals"] == 3
    assert dict(host["outcomes"])["arrivals"] == 1  # chen


def test_a_bad_filter_is_shown_next_to_its_field_and_no_figures(analyst_client, world):
    response = analyst_client.get(URL, {"period": "2026-13", "sector": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    period_group = html[html.index('id="group-period"') : html.index('id="group-sector"')]
    assert "Give the period as a year" in period_group
    assert 'id="id_sector_error"' in html[html.index('id="group-sector"') : html.index('id="group-bloc"')]
    assert 'aria-describedby="id_period_error' in html or 'aria-invalid="true"' in html
    assert response.context["dashboard"] is None


def test_the_russian_page_renders(analyst_client, world):
    response = analyst_client.get(URL, {"period": "2026"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
    assert "Космическая отрасль" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CANDIDATE, Role.HOST_ADMIN, Role.REVIEWER, Role.AUTHORITY])
def test_other_roles_are_refused(client, make_user, world, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("portal:analytics:export", kwargs={"fmt": "xlsx"})).status_code == 403
    assert client.get(reverse("portal:analytics:case_rows")).status_code == 403


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_supervisors_and_administrators_see_it(client, make_user, world, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 200


def _xlsx_sheets(content: bytes) -> dict[str, list[list]]:
    """Each sheet's rows (strings and numbers) read back with zipfile and the XML parser."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = [
            "".join(t.text or "" for t in item.iter(f"{{{ns['m']}}}t"))
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)
        ]
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheets = {}
        for sheet in ElementTree.fromstring(book.read("xl/workbook.xml")).find("m:sheets", ns):
            xml = ElementTree.fromstring(book.read("xl/" + targets[sheet.get(rel)].lstrip("/").removeprefix("xl/")))
            rows = []
            for row in xml.iter(f"{{{ns['m']}}}row"):
                values = []
                for cell in row.findall("m:c", ns):
                    value = cell.find("m:v", ns)
                    if value is None:
                        values.append(None)
                    elif cell.get("t") == "s":
                        values.append(shared[int(value.text)])
                    else:
                        number = float(value.text)
                        values.append(int(number) if number.is_integer() else number)
                rows.append(values)
            sheets[sheet.get("name")] = rows
    return sheets


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float | int) and isinstance(b, float | int) and float(a) == float(b))


def test_the_xlsx_holds_every_table_with_the_same_numbers(analyst_client, world):
    response = analyst_client.get(reverse("portal:analytics:export", kwargs={"fmt": "xlsx"}), {"period": "2026"})
    assert response.status_code == 200
    sheets = _xlsx_sheets(response.content)
    board = build_dashboard(parse_filters("2026"))
    for table in board.tables:
        rows = sheets[table.key]
        assert rows[0] == table.columns
        for got, expected in zip(rows[1 : 1 + len(table.rows)], table.rows, strict=True):
            assert all(_same(g, e) for g, e in zip(got, expected, strict=False)), (table.key, got, expected)
    arrivals = {row[0]: row[1] for row in sheets["outcomes"][1:5]}
    assert arrivals["arrivals"] == RelocationCase.objects.filter(arrived_on__year=2026).count()


def test_the_csv_exports_hold_the_same_numbers(analyst_client, world):
    board = build_dashboard(parse_filters("2026"))
    whole = analyst_client.get(reverse("portal:analytics:export", kwargs={"fmt": "csv"}), {"period": "2026"})
    lines = list(csv.DictReader(io.StringIO(whole.content.decode("utf-8-sig"))))
    figures = {(line["table"], line["row"], line["column"]): line["value"] for line in lines}
    for table in board.tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                assert figures[(table.key, str(row[0]), column)] == ("" if value is None else str(value))
    one = analyst_client.get(
        reverse("portal:analytics:table_csv", kwargs={"key": "arrivals_by_country"}), {"period": "2026"}
    )
    rows = list(csv.reader(io.StringIO(one.content.decode("utf-8-sig"))))
    assert rows[0] == board.table("arrivals_by_country").columns
    assert rows[1:] == [[str(v) for v in row] for row in board.table("arrivals_by_country").rows]


def test_the_pdf_report_shows_targets_and_actuals(analyst_client, world):
    response = analyst_client.get(reverse("portal:analytics:export", kwargs={"fmt": "pdf"}), {"period": "2026"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Arrivals by priority sector against targets" in text
    assert "Space industry 2 10 20.0" in " ".join(text.split())


def test_the_row_level_export_leaves_out_withdrawn_consent_and_is_audited(analyst_client, world):
    response = analyst_client.get(reverse("portal:analytics:case_rows"), {"period": "2026"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    ids = {int(row["case"]) for row in rows}
    assert world.cases["dita"].pk not in ids  # withdrew her consent
    assert world.cases["ada"].pk in ids  # withdrew, then consented again
    assert ids == {case.pk for name, case in world.cases.items() if name != "dita"}
    assert AuditEntry.objects.filter(action="analytics.case_rows_exported").count() == 1


def test_the_header_links_to_analytics_for_analysts_only(client, make_user, world):
    link = f'href="{URL}"'
    client.force_login(make_user(Role.ANALYST))
    assert link in client.get(reverse("portal:home")).content.decode()
    client.force_login(make_user(Role.OFFICER))
    assert link not in client.get(reverse("portal:home")).content.decode()
