"""``talentgate assess``: one record per profile, valid against ``--schema``, in chunks, with refusals named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from talentgate.canonical.examples import example_profile
from talentgate.cli import app
from talentgate.cli.assess import assess_stream
from talentgate.engines.rules import get_policy

runner = CliRunner()
POLICIES = ["canada-crs", "programme-merit", "japan-hsp", "germany-opportunity-card"]


def _jsonl(profiles):
    return "".join(json.dumps(p) + "\n" for p in profiles)


def _schema():
    result = runner.invoke(app, ["assess", "--schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _run(args, stdin):
    return runner.invoke(app, ["assess", *args, "-"], input=stdin)


@pytest.mark.parametrize("policy_id", POLICIES)
def test_every_line_validates_against_the_schema(policy_id):
    validator = jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker())
    result = _run(["--policy", policy_id, "--on", "2026-06-01"], _jsonl(example_profile(i) for i in range(6)))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    for line in lines:
        record = json.loads(line)
        validator.validate(record)
        assert list(record) == list(_schema()["required"])
        assert record["policy"] == policy_id
        assert record["on"] == "2026-06-01"
    assert [json.loads(line)["id"] for line in lines] == [f"example-{i:04d}" for i in range(6)]


def test_the_date_picks_the_version_in_force():
    before = _run(["--policy", "canada-crs", "--on", "2025-01-10"], _jsonl([example_profile(1)]))
    after = _run(["--policy", "canada-crs", "--on", "2025-06-10"], _jsonl([example_profile(1)]))
    assert json.loads(before.stdout)["version"] == "2020-10-27"
    assert json.loads(after.stdout)["version"] == "2025-03-25"


def test_reasons_come_in_the_language_asked_for():
    english = json.loads(_run(["--policy", "canada-crs", "--on", "2026-01-05"], _jsonl([example_profile(2)])).stdout)
    russian = json.loads(
        _run(["--policy", "canada-crs", "--on", "2026-01-05", "--lang", "ru"], _jsonl([example_profile(2)])).stdout
    )
    assert english["factors"][0]["reason"].startswith("Age: ")
    assert russian["factors"][0]["reason"].startswith("Возраст: ")
    assert english["total"] == russian["total"]
    assert english["inputs_hash"] == russian["inputs_hash"]


def test_json_and_csv_inputs_give_the_same_records_as_jsonl(tmp_path):
    from talentgate.canonical import CandidateProfile
    from talentgate.canonical.interchange import Format, write_profiles

    profiles = [CandidateProfile.model_validate(example_profile(i)) for i in range(3)]
    outputs = []
    for fmt in (Format.JSONL, Format.JSON, Format.CSV):
        path = tmp_path / f"profiles.{fmt.value}"
        with path.open("w", encoding="utf-8") as stream:
            write_profiles(profiles, fmt, stream)
        result = runner.invoke(app, ["assess", "--policy", "programme-merit", "--on", "2026-06-01", str(path)])
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) == 3


def test_csv_output_has_the_record_fields_as_columns_and_json_cells():
    result = _run(["--policy", "japan-hsp", "--on", "2026-06-01", "--format", "csv"], _jsonl([example_profile(4)]))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == _schema()["required"]
    assert rows[0]["id"] == "example-0004"
    assert rows[0]["eligible"] in ("true", "false")
    factors = json.loads(rows[0]["factors"])
    assert {f["factor"] for f in factors} == {f.id for f in get_policy("japan-hsp", version="2024-03-13").factors}


def test_chunks_give_the_same_output_and_number_records_across_chunks():
    profiles = [example_profile(i) for i in range(7)]
    text = _jsonl(profiles[:4]) + '{"id": "broken"}\n' + _jsonl(profiles[4:]) + _jsonl(profiles[:1])
    policy = get_policy("canada-crs", version="2025-03-25")
    outputs = []
    for chunk_size in (2, 100):
        out = io.StringIO()
        summary = assess_stream(io.StringIO(text), "-", out, policy, dt.date(2026, 2, 1), chunk_size=chunk_size)
        assert (summary.written, summary.refused) == (7, 2)
        assert summary.problems[0].startswith("record 5 (line 5): identity:")
        assert summary.problems[1] == (
            "record 9 (line 9): id: id 'example-0000' already appears in record 1 [duplicate_id]"
        )
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


def test_a_bad_record_is_named_on_stderr_the_rest_are_written_and_the_exit_status_is_1():
    bad = example_profile(9)
    bad["language_tests"][0]["listening"] = 9.7
    result = _run(["--policy", "canada-crs"], _jsonl([example_profile(1), bad, example_profile(1)]))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "record 2 (line 2): language_tests[0].listening:" in result.stderr
    assert "record 3 (line 3): id: id 'example-0001' already appears in record 1 [duplicate_id]" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "no-such-policy"], "--policy: no shipped policy 'no-such-policy'"),
        (["--policy", "canada-crs", "--on", "2026-13-01"], "--on: '2026-13-01' is not a date"),
        (
            ["--policy", "canada-crs", "--on", "2001-01-01"],
            "--policy: no version of canada-crs is in force on 2001-01-01",
        ),
        (["--policy", "canada-crs", "--format", "xml"], "--format: 'xml' is not one of jsonl, csv"),
        (["--policy", "canada-crs", "--lang", "de"], "--lang: 'de' is not one of en, ru"),
        ([], "--policy: give a policy id"),
    ],
)
def test_bad_options_are_refused_naming_the_option(args, message):
    result = _run(args, _jsonl([example_profile(1)]))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_file_is_refused_naming_it(tmp_path):
    result = runner.invoke(app, ["assess", "--policy", "canada-crs", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "FILE: cannot read" in result.stderr


def test_missing_inputs_are_reported_as_profile_paths():
    profile = example_profile(3)
    profile["language_tests"] = []
    record = json.loads(_run(["--policy", "canada-crs", "--on", "2026-01-05"], _jsonl([profile])).stdout)
    assert record["missing"] == ["language_tests"]
    assert any(f["rule"] == "missing" for f in record["factors"])
    germany = json.loads(_run(["--policy", "germany-opportunity-card"], _jsonl([example_profile(3)])).stdout)
    assert germany["eligible"] is False
    assert germany["missing"] == ["extensions.livelihood_secured"]
    assert "cannot be checked" in germany["gates"][0]["reason"]
