"""``talentgate report``: writes a PDF, XLSX or CSV whose numbers are the dashboard's; bad options name themselves."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from talentgate.cases.models import RelocationCase
from talentgate.cli import app

pytestmark = pytest.mark.django_db

runner = CliRunner()


@pytest.fixture
def world(db, build_analytics_world):
    return build_analytics_world()


def test_csv_holds_the_sql_counts(world, tmp_path):
    output = tmp_path / "report.csv"
    result = runner.invoke(
        app, ["report", "--period", "2026", "--bloc", "test-bloc", "--format", "csv", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    lines = list(csv.DictReader(io.StringIO(output.read_text("utf-8-sig"))))
    arrivals = next(line for line in lines if line["table"] == "outcomes" and line["row"] == "arrivals")
    expected = RelocationCase.objects.filter(arrived_on__year=2026, origin_country__in=["NG", "IN"]).count()
    assert int(arrivals["value"]) == expected == 3


def test_one_table_as_csv(world, tmp_path):
    output = tmp_path / "sectors.csv"
    result = runner.invoke(
        app, ["report", "--period", "2026", "--format", "csv", "--table", "arrivals_by_sector", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8-sig"))))
    assert rows[0] == ["Sector", "Arrivals", "Target for the period", "Of target, %", "Whole-year target"]
    # The period is the whole year 2026, so the prorated target is the whole-year one.
    assert ["Space industry", "2", "10", "20.0", "10"] in rows


def test_xlsx_and_pdf_are_written(world, tmp_path):
    xlsx, pdf = tmp_path / "report.xlsx", tmp_path / "report.pdf"
    assert runner.invoke(app, ["report", "--period", "2026", "--format", "xlsx", "--output", str(xlsx)]).exit_code == 0
    with zipfile.ZipFile(xlsx) as book:
        assert "xl/workbook.xml" in book.namelist()
        assert b'name="arrivals_by_sector"' in book.read("xl/workbook.xml")
    result = runner.invoke(app, ["report", "--period", "2026", "--format", "pdf", "--language", "ru", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Космическая отрасль 2 10 20.0" in text


def test_a_bad_period_names_the_option_and_writes_nothing(world, tmp_path):
    output = tmp_path / "never.pdf"
    result = runner.invoke(app, ["report", "--period", "last year", "--format", "pdf", "-o", str(output)])
    assert result.exit_code == 2
    assert "--period" in result.output
    assert not output.exists()


def test_an_unknown_format_is_refused(world, tmp_path):
    result = runner.invoke(app, ["report", "--format", "docx", "-o", str(tmp_path / "x.docx")])
    assert result.exit_code != 0
    assert "--format" in result.output
