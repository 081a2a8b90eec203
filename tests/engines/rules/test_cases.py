"""The hand-computed YAML cases of every shipped policy pass, cover the grids, and the runner catches mistakes."""

from __future__ import annotations

from importlib import resources

import pytest

from talentgate.engines.rules.cases import run_cases, run_shipped_cases
from talentgate.engines.rules.registry import policy_ids

REPORTS = run_shipped_cases()


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.file)
def test_shipped_cases_pass(report):
    failures = [(r.name, r.failures) for r in report.results if not r.passed]
    assert failures == []
    assert len(report.results) >= 5


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.file)
def test_shipped_cases_cover_every_row_boundary_cap_and_variant(report):
    assert report.uncovered_rows == []
    assert report.untested_boundaries == []
    assert report.unreached_caps == []
    assert report.unused_variants == []


def test_every_shipped_policy_version_has_cases():
    covered = {(r.policy_id, r.version) for r in REPORTS}
    for policy_id in policy_ids():
        from talentgate.engines.rules.registry import policy_versions

        for policy in policy_versions(policy_id):
            assert (policy.id, policy.version) in covered


def _crs_cases() -> str:
    return resources.files("talentgate.policies").joinpath("canada-crs/cases-2025-03-25.yaml").read_text("utf-8")


def test_a_wrong_hand_computed_total_fails_its_case():
    text = _crs_cases().replace("total: 469", "total: 470")
    report = run_cases(text, "edited.yaml")
    failed = [r for r in report.results if not r.passed]
    assert [r.name for r in failed] == ["single, 29, master's, CLB 9 in all abilities, 3 years abroad"]
    assert failed[0].failures == ["total 469 != expected 470"]


def test_naming_a_row_that_was_not_used_fails():
    text = _crs_cases().replace("- [31, 99, age_31]", "- [31, 99, age_32]", 1)
    report = run_cases(text, "edited.yaml")
    failed = [r for r in report.results if not r.passed]
    assert len(failed) == 1
    assert failed[0].failures == ["age_years=31: row 'age.age_32' was not used (age used 'age_31')"]


def test_removing_a_boundary_case_is_reported_as_missing_coverage():
    text = _crs_cases().replace("        - [44, 6, age_44]\n", "", 1).replace("        - [44, 5, age_44]\n", "", 1)
    report = run_cases(text, "edited.yaml")
    assert report.passed
    assert report.uncovered_rows == ["age.age_44"]
    assert report.untested_boundaries == ["age.age_44 at 44", "age.age_44 at 44"]
