"""An analyst in a real browser: the analytics dashboard from the header, a malformed period refused next to its
field, the figures narrowed by period, bloc, host and priority sector through the filter form, each time equal to
the dashboard counted for the same filters; then the filtered dashboard downloaded as a PDF report, an XLSX
workbook and a CSV of every figure, each read back and checked for its kind and its numbers.

The programme's history is the analytics tests' known world (``tests/analytics/world.py``), written row by row
with chosen dates.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.analytics.dashboard import build_dashboard
from talentgate.analytics.filters import parse_filters

from .support import check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Figures-Desk-2031"
EMAIL = "anna.analyst@example.test"


@pytest.fixture
def world(build_analytics_world):
    built = build_analytics_world()
    create_user(None, email=EMAIL, password=PASSWORD, role=Role.ANALYST, first_name="Anna", last_name="Analyst")
    return built


def _arrivals_shown(page) -> str:
    """The 'arrivals' figure of the page's outcomes table."""
    row = page.locator("#table-outcomes tbody tr").filter(has=page.locator("th", has_text="arrivals"))
    return row.locator("td").first.inner_text()


def _expected_arrivals(period: str, sector: str = "", bloc: str = "", host: int | None = None) -> str:
    board = build_dashboard(parse_filters(period, sector, bloc, host))
    return str(dict(board.table("outcomes").rows)["arrivals"])


def _apply(page, *, period: str, sector: str = "Any", bloc: str = "Any", host: str = "Any") -> None:
    form = page.locator("form.filter-form")
    form.get_by_role("textbox", name="Period").fill(period)
    form.get_by_label("Priority sector").select_option(label=sector)
    form.get_by_label("Bloc (membership as of the period's end)").select_option(label=bloc)
    form.get_by_label("Host organisation").select_option(label=host)
    with page.expect_navigation():
        form.get_by_role("button", name="Apply filters").click()


def _download(page, link_name: str):
    with page.expect_download() as started:
        page.get_by_role("link", name=link_name, exact=True).click()
    download = started.value
    content = Path(download.path()).read_bytes()
    assert content, f"{link_name}: the downloaded file is empty"
    return download.suggested_filename, content


def test_an_analyst_filters_the_dashboard_and_exports_it(new_page, artifacts, world):
    neural_labs = world.hosts["Neural Labs"]
    page = new_page()
    sign_in(page, EMAIL, PASSWORD)

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Analytics").click()
    page.get_by_role("heading", name="Analytics", exact=True).wait_for()
    check_accessibility(page, "analyst: dashboard")

    # A period that is no period: refused next to the field, no figures.
    _apply(page, period="2026-13")
    assert "Give the period as a year" in page.locator("#group-period").inner_text()
    assert page.locator("#table-outcomes").count() == 0
    check_accessibility(page, "analyst: dashboard with a filter error")

    # Period, then bloc, then host, then sector: each time the page shows the figures counted for them.
    _apply(page, period="2026")
    assert _arrivals_shown(page) == _expected_arrivals("2026") == "4"
    _apply(page, period="2026", bloc="TB")
    assert _arrivals_shown(page) == _expected_arrivals("2026", bloc="test-bloc") == "3"
    _apply(page, period="2026", host="Neural Labs")
    assert _arrivals_shown(page) == _expected_arrivals("2026", host=neural_labs.pk) == "1"
    _apply(page, period="2026", sector="Space industry", bloc="TB")
    assert _arrivals_shown(page) == _expected_arrivals("2026", sector="space", bloc="test-bloc")
    assert "sector: Space industry; bloc: TB; host: all." in page.locator("main").inner_text()
    assert "sector=space" in page.url
    assert "bloc=test-bloc" in page.url
    page.locator("canvas[data-chart]").first.wait_for()
    check_accessibility(page, "analyst: filtered dashboard")
    screenshot(page, artifacts, "analyst-dashboard-filtered")

    expected = build_dashboard(parse_filters("2026", "space", "test-bloc", None))
    arrivals = str(dict(expected.table("outcomes").rows)["arrivals"])

    name, pdf = _download(page, "PDF report")
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Arrivals by priority sector against targets" in text

    name, xlsx = _download(page, "Every table as XLSX")
    assert name.endswith(".xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
        assert workbook.testzip() is None

    name, figures = _download(page, "Every figure as CSV")
    assert name.endswith(".csv")
    lines = list(csv.DictReader(io.StringIO(figures.decode("utf-8-sig"))))
    by_key = {(line["table"], line["row"]): line["value"] for line in lines}
    assert by_key[("outcomes", "arrivals")] == arrivals
    for table in expected.tables:
        for row in table.rows:
            assert (table.key, str(row[0])) in by_key, (table.key, row[0])
