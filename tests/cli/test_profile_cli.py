"""``talentgate profile schema | import | export``: round trips in every format, exact refusals, per-row mode."""

from __future__ import annotations

import csv
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from talentgate.candidates import selectors
from talentgate.candidates.models import Profile
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.cli import app

pytestmark = pytest.mark.django_db

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def canonical_json(data: list[dict]) -> list[dict]:
    return [CandidateProfile.model_validate(item).model_dump(mode="json") for item in data]


def write_json(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_schema_prints_a_valid_json_schema(tmp_path):
    result = run("profile", "schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(canonical_json([example_profile(0)])[0], schema)
    target = tmp_path / "schema.json"
    assert run("profile", "schema", "--output", str(target)).exit_code == 0
    assert json.loads(target.read_text()) == schema


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_then_import_gives_identical_canonical_json(tmp_path, fmt):
    originals = [example_profile(i) for i in range(4)]
    first = run("profile", "import", write_json(tmp_path / "in.json", originals))
    assert first.exit_code == 0, first.output
    exported = tmp_path / f"out.{fmt}"
    assert run("profile", "export", "--output", str(exported)).exit_code == 0

    Profile.objects.all().delete()
    again = run("profile", "import", str(exported))
    assert again.exit_code == 0, again.output
    assert "4 created, 0 updated" in again.stdout

    final = run("profile", "export", "--format", "json")
    assert final.exit_code == 0, final.output
    assert json.loads(final.stdout) == canonical_json(originals)


def test_csv_layout_has_json_cells_for_lists(tmp_path):
    run("profile", "import", write_json(tmp_path / "in.json", [example_profile(0)]))
    result = run("profile", "export", "--format", "csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows[0]["id"] == "example-0000"
    assert rows[0]["identity.date_of_birth"] == "1980-05-17"
    assert json.loads(rows[0]["identity.citizenships"]) == ["KZ"]
    assert json.loads(rows[0]["language_tests"])[0]["test"] == "ielts_general"


def test_invalid_file_is_refused_naming_record_field_and_rule_and_nothing_is_written(tmp_path):
    run("profile", "import", write_json(tmp_path / "seed.json", [example_profile(0)]))
    before = selectors.count_rows()

    changed_existing = example_profile(0)
    changed_existing["identity"]["family_name_latin"] = "Changed"
    bad_country = example_profile(1)
    bad_country["identity"]["citizenships"] = ["XX"]
    bad_band = example_profile(2)
    bad_band["language_tests"][0]["listening"] = 9.5
    path = write_json(tmp_path / "bad.json", [changed_existing, bad_country, bad_band, example_profile(3)])

    result = run("profile", "import", path)
    assert result.exit_code == 1
    assert "refused: 2 of 4 records are invalid; nothing was written" in result.stderr
    assert "record 2: identity.citizenships[0]: " in result.stderr
    assert "[country_code]" in result.stderr
    assert "record 3: language_tests[0].listening: " in result.stderr
    assert "[score_out_of_scale]" in result.stderr
    assert selectors.count_rows() == before
    assert Profile.objects.get().family_name_latin == "Seitkali"


def test_jsonl_errors_name_the_line(tmp_path):
    bad = example_profile(1)
    bad["salary_offers"][0]["currency"] = "EUX"
    lines = [json.dumps(example_profile(0)), "", json.dumps(bad)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("profile", "import", str(path))
    assert result.exit_code == 1
    assert "record 2 (line 3): salary_offers[0].currency: " in result.stderr
    assert "[currency_code]" in result.stderr
    assert Profile.objects.count() == 0


def test_csv_errors_name_the_row_and_the_bad_json_cell(tmp_path):
    run("profile", "import", write_json(tmp_path / "in.json", [example_profile(0), example_profile(1)]))
    exported = run("profile", "export", "--format", "csv").stdout
    Profile.objects.all().delete()
    header, first, second = exported.strip().split("\n")
    broken = second.replace('"[{""phrase"":', '"[{""phrase""', 1)
    path = tmp_path / "broken.csv"
    path.write_text("\n".join([header, first, broken]) + "\n", encoding="utf-8")
    result = run("profile", "import", str(path))
    assert result.exit_code == 1
    assert "record 2 (line 3): skills: cell is not valid JSON" in result.stderr
    assert "[json_invalid]" in result.stderr
    assert Profile.objects.count() == 0


def test_csv_with_unknown_column_is_refused(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,identity.nickname\nx,y\n", encoding="utf-8")
    result = run("profile", "import", str(path))
    assert result.exit_code == 1
    assert "identity.nickname" in result.stderr
    assert "[unknown_column]" in result.stderr


def test_per_row_imports_valid_records_and_reports_rejected(tmp_path):
    bad = example_profile(1)
    bad["work_history"][0]["end_date"] = "1990-01-01"
    path = write_json(tmp_path / "in.json", [example_profile(0), bad, example_profile(2)])
    result = run("profile", "import", "--per-row", path)
    assert result.exit_code == 3
    assert "2 profiles imported (2 created, 0 updated)" in result.stdout
    assert "1 records rejected" in result.stderr
    assert "record 2: work_history[0].end_date: " in result.stderr
    assert "[end_before_start]" in result.stderr
    assert sorted(Profile.objects.values_list("external_id", flat=True)) == ["example-0000", "example-0002"]


def test_import_of_existing_id_updates_it_and_says_so(tmp_path):
    run("profile", "import", write_json(tmp_path / "a.json", [example_profile(0)]))
    changed = example_profile(0)
    changed["identity"]["family_name_latin"] = "Nurlanova"
    result = run("profile", "import", write_json(tmp_path / "b.json", [changed, example_profile(1)]))
    assert result.exit_code == 0, result.output
    assert "2 profiles imported (1 created, 1 updated)" in result.stdout
    assert "updated existing ids: example-0000" in result.stdout
    assert Profile.objects.get(external_id="example-0000").family_name_latin == "Nurlanova"


def test_import_reads_standard_input():
    text = "\n".join(json.dumps(example_profile(i)) for i in range(2)) + "\n"
    result = run("profile", "import", "-", stdin=text)
    assert result.exit_code == 0, result.output
    assert Profile.objects.count() == 2


def test_repeated_id_in_one_file_is_refused(tmp_path):
    path = write_json(tmp_path / "in.json", [example_profile(0), example_profile(0)])
    result = run("profile", "import", path)
    assert result.exit_code == 1
    assert "record 2: id: id 'example-0000' already appears in record 1 [duplicate_id]" in result.stderr
    assert Profile.objects.count() == 0


def test_malformed_json_file_is_refused(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('[{"id": "a",', encoding="utf-8")
    result = run("profile", "import", str(path))
    assert result.exit_code == 1
    assert "[json_invalid]" in result.stderr


def test_missing_file_is_a_usage_error():
    result = run("profile", "import", "/nonexistent/profiles.json")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_export_selected_ids_and_unknown_id(tmp_path):
    run("profile", "import", write_json(tmp_path / "in.json", [example_profile(i) for i in range(3)]))
    result = run("profile", "export", "--format", "jsonl", "--id", "example-0002", "--id", "example-0000")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["example-0000", "example-0002"]
    missing = run("profile", "export", "--id", "nobody")
    assert missing.exit_code == 1
    assert "no profile with id nobody" in missing.stderr
