"""The canonical profile format: code lists, score scales, cross-field rules and the JSON Schema."""

from __future__ import annotations

import copy
import doctest
import subprocess
import sys
from datetime import date
from decimal import Decimal

import jsonschema
import pytest
from pydantic import ValidationError

import talentgate.canonical
from talentgate.canonical import (
    CandidateProfile,
    LanguageTest,
    LanguageTestResult,
    codes,
    ielts_overall_band,
    language_tests,
    profile_json_schema,
)
from talentgate.canonical import profile as profile_module

BASE = {
    "id": "cand-0001",
    "identity": {
        "given_names_latin": "Aigerim",
        "family_name_latin": "Seitkali",
        "given_names_native": "Айгерим",
        "date_of_birth": "1990-05-17",
        "sex": "female",
        "citizenships": ["KZ"],
        "residence_country": "KZ",
        "email": "aigerim@example.test",
        "phone": "+77011234567",
    },
    "education": [
        {"level": 7, "field_code": "0716", "institution": "Al-Farabi KazNU", "country": "KZ", "graduation_year": 2013}
    ],
    "work_history": [
        {
            "title": "Propulsion engineer",
            "isco08_code": "2144",
            "employer": "KazCosmos",
            "country": "KZ",
            "start_date": "2013-09-01",
            "end_date": "2020-01-31",
        }
    ],
    "language_tests": [
        {
            "test": "ielts_general",
            "test_date": "2024-03-02",
            "listening": 8.0,
            "reading": 7.0,
            "writing": 6.5,
            "speaking": 7.0,
            "overall": 7.0,
        }
    ],
    "salary_offers": [{"amount": "85000", "currency": "EUR", "period": "year"}],
}


def errors_of(data: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as caught:
        CandidateProfile.model_validate(data)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


def with_change(path: tuple, value: object) -> dict:
    data = copy.deepcopy(BASE)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def test_valid_profile_normalises_codes_and_fills_the_tested_language():
    data = with_change(("identity", "citizenships"), ["kz", "ru"])
    profile = CandidateProfile.model_validate(data)
    assert profile.identity.citizenships == ["KZ", "RU"]
    assert profile.language_tests[0].language == "en"
    assert profile.salary_offers[0].amount == Decimal("85000")


def test_refuses_unknown_country_with_its_path():
    assert errors_of(with_change(("identity", "citizenships"), ["KZ", "XX"])) == [
        (("identity", "citizenships", 1), "country_code")
    ]


def test_refuses_unknown_currency_with_its_path():
    assert errors_of(with_change(("salary_offers", 0, "currency"), "EUX")) == [
        (("salary_offers", 0, "currency"), "currency_code")
    ]


def test_refuses_ielts_band_above_nine():
    assert errors_of(with_change(("language_tests", 0, "listening"), 9.5)) == [
        (("language_tests", 0, "listening"), "score_out_of_scale")
    ]


def test_refuses_ielts_band_off_the_half_band_grid():
    assert errors_of(with_change(("language_tests", 0, "reading"), 7.25)) == [
        (("language_tests", 0, "reading"), "score_out_of_scale")
    ]


def test_refuses_ielts_overall_that_is_not_the_rounded_mean():
    assert errors_of(with_change(("language_tests", 0, "overall"), 8.0)) == [
        (("language_tests", 0, "overall"), "overall_inconsistent")
    ]


def test_ielts_overall_rounds_quarter_bands_up():
    assert ielts_overall_band(6.5, 6.5, 5.5, 6.5) == 6.5  # mean 6.25
    assert ielts_overall_band(6.5, 6.5, 6.5, 7.5) == 7.0  # mean 6.75
    assert ielts_overall_band(6.0, 6.0, 6.0, 6.5) == 6.0  # mean 6.125


def test_refuses_job_ending_before_it_starts():
    assert errors_of(with_change(("work_history", 0, "end_date"), "2012-01-01")) == [
        (("work_history", 0, "end_date"), "end_before_start")
    ]


def test_refuses_job_starting_before_age_fourteen():
    assert errors_of(with_change(("work_history", 0, "start_date"), "2004-05-16")) == [
        (("work_history", 0, "start_date"), "before_minimum_age")
    ]
    CandidateProfile.model_validate(with_change(("work_history", 0, "start_date"), "2004-05-17"))


def test_refuses_graduation_before_birth_year_plus_fourteen():
    assert errors_of(with_change(("education", 0, "graduation_year"), 2003)) == [
        (("education", 0, "graduation_year"), "before_minimum_age")
    ]


def test_profile_cross_checks_wait_until_the_fields_are_valid():
    data = with_change(("education", 0, "graduation_year"), 2003)
    data["identity"]["residence_country"] = "ZZ"
    assert sorted(errors_of(data)) == [
        (("identity", "residence_country"), "country_code"),
    ]  # the graduation-year check needs a valid identity, so it reports once the country is fixed
    data["identity"]["residence_country"] = "KZ"
    assert errors_of(data) == [(("education", 0, "graduation_year"), "before_minimum_age")]


def test_refuses_job_without_any_occupation_code():
    data = copy.deepcopy(BASE)
    del data["work_history"][0]["isco08_code"]
    assert errors_of(data) == [(("work_history", 0, "isco08_code"), "occupation_code_missing")]


def test_refuses_unknown_field_names():
    data = with_change(("identity", "nickname"), "Ai")
    assert errors_of(data) == [(("identity", "nickname"), "extra_forbidden")]


def test_refuses_bad_isced_field_code():
    assert errors_of(with_change(("education", 0, "field_code"), "1234")) == [
        (("education", 0, "field_code"), "isced_field_code")
    ]


@pytest.mark.parametrize(
    ("result", "loc", "rule"),
    [
        (
            {"test": "pte_core", "listening": 91, "reading": 60, "writing": 60, "speaking": 60},
            "listening",
            "score_out_of_scale",
        ),
        (
            {"test": "tcf_canada", "listening": 500, "reading": 500, "writing": 21, "speaking": 10},
            "writing",
            "score_out_of_scale",
        ),
        ({"test": "celpip_general", "listening": 9, "reading": 9, "writing": 9}, "speaking", "score_missing"),
        ({"test": "jlpt", "overall": 150}, "level", "level_missing"),
        ({"test": "jlpt", "level": "N1", "speaking": 30}, "speaking", "score_not_reported"),
        ({"test": "goethe", "level": "B3"}, "level", "level_not_in_scale"),
        ({"test": "hsk", "level": "HSK2", "overall": 250}, "overall", "score_out_of_scale"),
        ({"test": "cefr_self", "level": "B2"}, "language", "language_missing"),
        ({"test": "goethe", "level": "B2", "language": "fr"}, "language", "language_mismatch"),
        ({"test": "bjt"}, None, "result_empty"),
    ],
)
def test_language_results_are_checked_against_the_tests_real_scale(result, loc, rule):
    data = copy.deepcopy(BASE)
    data["language_tests"] = [{"test_date": "2024-01-10", **result}]
    expected_loc = ("language_tests", 0, loc) if loc else ("language_tests", 0)
    assert errors_of(data) == [(expected_loc, rule)]


def test_toefl_scale_depends_on_the_test_date():
    old = {"listening": 25, "reading": 27, "writing": 24, "speaking": 23, "overall": 99}
    LanguageTestResult.model_validate({"test": "toefl_ibt", "test_date": "2025-06-01", **old})
    with pytest.raises(ValidationError) as caught:
        LanguageTestResult.model_validate({"test": "toefl_ibt", "test_date": "2026-02-01", **old})
    assert {e["loc"] for e in caught.value.errors()} == {
        ("listening",),
        ("reading",),
        ("writing",),
        ("speaking",),
        ("overall",),
    }
    new = {"listening": 5.5, "reading": 5.0, "writing": 4.5, "speaking": 5.0, "overall": 5.0}
    LanguageTestResult.model_validate({"test": "toefl_ibt", "test_date": "2026-02-01", **new})


def test_every_test_has_a_spec():
    assert set(language_tests.TEST_SPECS) == set(LanguageTest)


def test_spouse_career_is_checked_against_the_spouse_birth_date():
    data = copy.deepcopy(BASE)
    data["family"] = [
        {
            "relation": "spouse",
            "given_names_latin": "Daniyar",
            "date_of_birth": "1995-01-01",
            "work_history": [{"title": "Teacher", "isco08_code": "2330", "country": "KZ", "start_date": "2005-01-01"}],
        }
    ]
    assert errors_of(data) == [(("family", 0, "work_history", 0, "start_date"), "before_minimum_age")]


def test_only_one_partner_and_children_need_birth_dates():
    data = copy.deepcopy(BASE)
    data["family"] = [
        {"relation": "spouse", "given_names_latin": "A"},
        {"relation": "partner", "given_names_latin": "B"},
        {"relation": "child", "given_names_latin": "C"},
    ]
    assert sorted(errors_of(data)) == [(("family", 2, "date_of_birth"), "missing")]
    data["family"][2]["date_of_birth"] = "2019-04-01"
    assert errors_of(data) == [(("family", 1, "relation"), "duplicate")]


def test_consents_keep_history_but_only_one_active_per_purpose():
    data = copy.deepcopy(BASE)
    data["consents"] = [
        {
            "purpose": "matched_hosts",
            "version": "1",
            "given_at": "2025-01-01T10:00:00+03:00",
            "withdrawn_at": "2025-02-01T00:00:00Z",
        },
        {"purpose": "matched_hosts", "version": "2", "given_at": "2025-03-01T00:00:00Z"},
    ]
    profile = CandidateProfile.model_validate(data)
    assert profile.model_dump(mode="json")["consents"][0]["given_at"] == "2025-01-01T07:00:00Z"
    data["consents"].append({"purpose": "matched_hosts", "version": "3", "given_at": "2025-04-01T00:00:00Z"})
    assert errors_of(data) == [(("consents", 2), "duplicate")]


def test_consent_needs_a_timezone():
    data = copy.deepcopy(BASE)
    data["consents"] = [{"purpose": "anonymised_analytics", "version": "1", "given_at": "2025-01-01T10:00:00"}]
    assert errors_of(data) == [(("consents", 0, "given_at"), "timezone_aware")]


def test_json_roundtrip_is_identical():
    profile = CandidateProfile.model_validate(BASE)
    dumped = profile.model_dump(mode="json")
    assert CandidateProfile.model_validate(dumped).model_dump(mode="json") == dumped
    assert CandidateProfile.model_validate_json(profile.model_dump_json()) == profile


def test_json_schema_is_valid_and_accepts_a_dumped_profile():
    schema = profile_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(CandidateProfile.model_validate(BASE).model_dump(mode="json"), schema)
    assert "language_tests" in schema["properties"]
    assert schema["$defs"]["IdentityDocument"]["properties"]["number"]["x-sensitive"] is True


def test_the_package_imports_no_django():
    code = (
        "import sys, talentgate.canonical; sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("module", [talentgate.canonical, codes, language_tests, profile_module])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_date_of_birth_in_the_future_is_refused():
    future = date.today().replace(year=date.today().year + 1).isoformat()
    data = copy.deepcopy(BASE)
    data["identity"]["date_of_birth"] = future
    data["education"], data["work_history"], data["language_tests"] = [], [], []
    assert errors_of(data) == [(("identity", "date_of_birth"), "date_in_future")]
