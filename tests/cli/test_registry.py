"""``talentgate registry load | check``: an idempotent load, a clean check of the shipped data, a non-zero exit and a
table naming each problem when the registry has gaps."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from talentgate.cli import app
from talentgate.cooperation.models import Bloc, BlocMembership

pytestmark = pytest.mark.django_db

runner = CliRunner()


def test_load_is_idempotent_and_says_what_it_did():
    result = runner.invoke(app, ["registry", "load"])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output


def test_check_is_clean_on_the_shipped_data():
    result = runner.invoke(app, ["registry", "check"])
    assert result.exit_code == 0, result.output
    assert "no missing region, undated membership or unsourced entry" in result.output


def test_check_exits_non_zero_with_a_table_of_the_problems():
    BlocMembership.objects.filter(bloc__code="brics", country_id="EG", kind="member").update(start_date=None)
    Bloc.objects.create(code="quad", acronym_en="Quad", name_en="Quadrilateral dialogue", kind="forum")
    result = runner.invoke(app, ["registry", "check"])
    assert result.exit_code == 1
    assert "Cooperation registry problems" in result.output
    assert "undated" in result.output
    assert "unsourced" in result.output
    assert "2 problems (0 missing_region, 1 undated, 1 unsourced)" in result.output
