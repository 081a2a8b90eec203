"""``talentgate policy``: list, show, test (non-zero exit on a failing case) and schema."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from talentgate.cli import policy as policy_cli
from talentgate.engines.rules import cases as cases_module

runner = CliRunner()


def test_list_shows_every_version_with_dates():
    result = runner.invoke(policy_cli.app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    crs = [line for line in lines if line.startswith("canada-crs")]
    assert len(crs) == 2
    assert "2020-10-27 .. 2025-03-24" in crs[0]
    assert "2025-03-25 .. " in crs[1]


def test_show_picks_the_version_in_force_and_lists_open_questions():
    result = runner.invoke(policy_cli.app, ["show", "canada-crs", "--on", "2025-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("canada-crs 2020-10-27: ")
    assert "factor arranged_employment [table]" in result.output
    assert "open question: Start date" in result.output
    russian = runner.invoke(policy_cli.app, ["show", "canada-crs", "--lang", "ru"])
    assert "factor age [banded]: Возраст" in russian.output


def test_show_as_json_round_trips_the_policy():
    result = runner.invoke(policy_cli.app, ["show", "canada-crs", "--version", "2025-03-25", "--json"])
    data = json.loads(result.output)
    assert data["id"] == "canada-crs"
    assert data["max_total"] == 1200
    assert data["factors"][0]["bands"][3]["points"] == {"with_spouse": 100, "without_spouse": 110}


def test_show_refuses_unknown_ids_and_bad_dates():
    unknown = runner.invoke(policy_cli.app, ["show", "atlantis-points"])
    assert unknown.exit_code == 2
    assert "no shipped policy 'atlantis-points'" in unknown.output
    bad_date = runner.invoke(policy_cli.app, ["show", "canada-crs", "--on", "yesterday"])
    assert bad_date.exit_code == 2
    assert "--on: 'yesterday' is not a date" in bad_date.output


def test_test_runs_the_cases_and_reports_coverage():
    result = runner.invoke(policy_cli.app, ["test", "canada-crs"])
    assert result.exit_code == 0, result.output
    assert "== canada-crs/cases-2025-03-25.yaml (canada-crs 2025-03-25)" in result.output
    assert "coverage: every row, band boundary, cap and variant" in result.output
    assert result.output.rstrip().splitlines()[-1] == "71 passed, 0 failed"


def test_test_exits_non_zero_when_a_case_fails(monkeypatch):
    real = cases_module.run_cases

    def with_a_wrong_total(text: str, file: str, policy=None):
        return real(text.replace("total: 469", "total: 470"), file, policy)

    monkeypatch.setattr(cases_module, "run_cases", with_a_wrong_total)
    result = runner.invoke(policy_cli.app, ["test", "canada-crs"])
    assert result.exit_code == 1
    assert "FAIL single, 29, master's, CLB 9 in all abilities, 3 years abroad" in result.output
    assert "total 469 != expected 470" in result.output


def test_schema_is_json_schema_of_a_policy():
    result = runner.invoke(policy_cli.app, ["schema"])
    schema = json.loads(result.output)
    assert schema["title"] == "Policy"
    assert {"id", "version", "effective_from", "source", "inputs", "factors"} <= set(schema["required"])


def test_policy_is_registered_on_the_talentgate_command():
    from talentgate.cli import app

    result = runner.invoke(app, ["policy", "list"])
    assert result.exit_code == 0, result.output
    assert "canada-crs" in result.output
