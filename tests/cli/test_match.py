"""``talentgate match FILE``: JSON in, certified allocation out, malformed instances refused by name."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from talentgate.cli import app

INSTANCE = {
    "candidates": [{"id": "ana", "ranking": ["lab", "orbit"]}, {"id": "ben", "ranking": ["lab"]}],
    "positions": [
        {"id": "lab", "capacity": 1, "ranking": ["ben", "ana", "dev"]},
        {"id": "orbit", "capacity": 2, "ranking": ["cho", "dev", "ana"]},
    ],
    "couples": [{"members": ["cho", "dev"], "ranking": [["orbit", "lab"], ["orbit", "orbit"]]}],
}


def test_allocates_a_file_and_prints_the_certified_result(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(INSTANCE), encoding="utf-8")
    result = CliRunner().invoke(app, ["match", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    # ben takes lab (lab ranks him first) and ana falls back to orbit; lab refuses dev, so the
    # couple takes (orbit, orbit), displacing ana, whom orbit ranks below both members.
    assert document["assignment"] == {"ana": None, "ben": "lab", "cho": "orbit", "dev": "orbit"}
    assert document["stable"] is True
    assert document["blocking_pairs"] == []
    assert document["stats"]["matched"] == 3
    assert document["stats"]["seats"] == 3


def test_reads_standard_input_with_a_dash():
    result = CliRunner().invoke(app, ["match", "-"], input=json.dumps(INSTANCE))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["assignment"]["ben"] == "lab"


def test_refuses_a_negative_capacity_naming_the_entry():
    bad = json.loads(json.dumps(INSTANCE))
    bad["positions"][1]["capacity"] = -2
    result = CliRunner().invoke(app, ["match", "-"], input=json.dumps(bad))
    assert result.exit_code == 2
    assert "positions[1].capacity: must be a whole number >= 0 (got -2)" in result.output
    assert "assignment" not in result.output


def test_refuses_a_couple_member_also_listed_alone():
    bad = json.loads(json.dumps(INSTANCE))
    bad["couples"][0]["members"] = ["cho", "ben"]
    result = CliRunner().invoke(app, ["match", "-"], input=json.dumps(bad))
    assert result.exit_code == 2
    assert "couples[0].members[1]: candidate 'ben' is also listed alone at candidates[1]" in result.output


def test_refuses_bad_json_and_a_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["match", "-"], input="{not json")
    assert result.exit_code == 2
    assert "instance: not valid JSON at line 1 column 2" in result.output
    missing = CliRunner().invoke(app, ["match", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    assert "nope.json: cannot read" in missing.output
