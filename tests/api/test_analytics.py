"""``GET /api/analytics/dashboard`` and its export: the same tables as the page (and as CSV, XLSX and PDF files),
for analysts, supervisors and administrators only; a bad filter or format names its field and rule."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from pypdf import PdfReader

from talentgate.accounts.roles import Role
from talentgate.analytics.refresh import refresh_summaries
from talentgate.analytics.reports import XLSX_TYPE
from talentgate.cases.models import Decision, RelocationCase
from talentgate.common.audit import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/analytics/dashboard"


@pytest.fixture
def world(db, build_analytics_world):
    return build_analytics_world()


def _client(make_user, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


def test_an_analyst_gets_every_table_with_sql_equal_figures(make_user, world):
    response = _client(make_user, Role.ANALYST).get(URL, {"period": "2026", "sector": "space"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["filters"] == {"start": "2026-01-01", "end": "2026-12-31", "sector": "space", "bloc": "", "host": None}
    tables = {table["key"]: table for table in body["tables"]}
    outcomes = dict(tables["outcomes"]["rows"])
    expected = RelocationCase.objects.filter(arrived_on__year=2026, sector__code="space").count()
    assert outcomes["arrivals"] == expected == 2
    assert tables["arrivals_by_sector"]["rows"] == [["Space industry", 2, 10, 20.0, 10]]


def test_anonymous_gets_401(world):
    response = Client().get(URL)
    assert response.status_code == 401
    assert list(response.json()) == ["errors"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CANDIDATE, Role.HOST_STAFF])
def test_other_roles_get_403(make_user, world, role):
    response = _client(make_user, role).get(URL)
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "role"


def test_a_bad_filter_names_its_field(make_user, world):
    response = _client(make_user, Role.SUPERVISOR).get(URL, {"period": "2026-Q5", "bloc": "atlantis"})
    assert response.status_code == 400
    fields = {(error["field"], error["rule"]) for error in response.json()["errors"]}
    assert fields == {("period", "format"), ("bloc", "unknown")}


def test_a_non_numeric_host_is_a_422_naming_host(make_user, world):
    response = _client(make_user, Role.ADMINISTRATOR).get(URL, {"host": "abc"})
    assert response.status_code == 422
    assert "host" in response.json()["errors"][0]["field"]


# --- exports: GET /api/analytics/dashboard/export ---------------------------------------------------------------------

EXPORT = "/api/analytics/dashboard/export"


def _workbook(content: bytes) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


@pytest.mark.parametrize("refreshed", [False, True], ids=["live", "from the summaries"])
def test_the_xlsx_export_totals_equal_sql(make_user, world, refreshed):
    if refreshed:
        refresh_summaries()
    response = _client(make_user, Role.ANALYST).get(EXPORT, {"format": "xlsx", "period": "2026", "sector": "space"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="analytics-2026-01-01..2026-12-31.xlsx"'
    sheets = _workbook(response.content)
    outcomes = {row[0]: row[1] for row in sheets["outcomes"][1:5]}
    space_arrivals = RelocationCase.objects.filter(arrived_on__year=2026, sector__code="space")
    assert outcomes["arrivals"] == space_arrivals.count() == 2
    granted = Decision.objects.filter(kind="grant", decided_at__year=2026, case__sector__code="space").count()
    assert outcomes["permits granted"] == granted
    by_country = {row[1]: row[2] for row in sheets["arrivals_by_country"][1:] if row[1]}
    assert sum(by_country.values()) == space_arrivals.count()
    for code, n in by_country.items():
        assert n == space_arrivals.filter(origin_country=code).count()
    about = {row[0]: row[1] for row in sheets["filters"][1:]}
    assert ("Figures as of" in about) is refreshed
    assert ("Counted live at" in about) is not refreshed


def test_the_csv_and_pdf_exports(make_user, world):
    client = _client(make_user, Role.SUPERVISOR)
    as_csv = client.get(EXPORT, {"period": "2026"})  # csv is the default format
    assert as_csv.status_code == 200
    lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert lines[0] == ["table", "row", "column", "value"]
    assert ["outcomes", "arrivals", "count", str(RelocationCase.objects.filter(arrived_on__year=2026).count())] in lines
    assert lines[-1][:2] == ["about", "counted live at"]
    as_pdf = client.get(EXPORT, {"period": "2026", "format": "PDF"})
    assert as_pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(as_pdf.content)).pages)
    assert "Space industry 2 10 20.0" in " ".join(text.split())


def test_a_bad_export_filter_or_format_is_named_and_nothing_is_written(make_user, world):
    client = _client(make_user, Role.ANALYST)
    before = AuditEntry.objects.count()
    response = client.get(EXPORT, {"format": "docx", "period": "2026"})
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("format", "choice")]
    response = client.get(EXPORT, {"format": "xlsx", "period": "2026-13", "sector": "nowhere"})
    assert response.status_code == 400
    assert {(e["field"], e["rule"]) for e in response.json()["errors"]} == {("period", "format"), ("sector", "unknown")}
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CANDIDATE, Role.HOST_ADMIN, Role.REVIEWER])
def test_other_roles_get_no_export(make_user, world, role):
    response = _client(make_user, role).get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "role"
    assert Client().get(EXPORT).status_code == 401
