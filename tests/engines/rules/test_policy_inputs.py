"""Derived inputs of every shipped policy from canonical profiles, extension fields, and assessment records."""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pytest

from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.engines.rules import get_policy, policy_inputs, records
from talentgate.engines.rules.policy_inputs import DerivationContext, derive_for_policy, missing_paths
from talentgate.engines.rules.vectorized import evaluate_columns

ON = dt.date(2026, 6, 1)
MERIT = get_policy("programme-merit", version="2026-01-01")
HSP = get_policy("japan-hsp", version="2024-03-13")
CARD = get_policy("germany-opportunity-card", version="2024-06-01")


def _profile(**changes):
    data = example_profile(1)
    data.update(changes)
    return CandidateProfile.model_validate(data)


def _job(sector="", isco="2144", start="2016-01-01", end=None, country="RU"):
    return {
        "title": "Engineer",
        "isco08_code": isco,
        "sector": sector,
        "country": country,
        "start_date": start,
        "end_date": end,
    }


def _value(pool, name, row=0):
    return pool.columns.values[name][row].item()


@pytest.mark.parametrize("module", [policy_inputs, records])
def test_docstring_examples_run(module):
    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failures == 0


def test_priority_profession_follows_the_most_recent_job_and_the_configured_lists():
    ctx = DerivationContext(priority_sectors=("space",), priority_isco=frozenset({"2144"}))
    priority = _profile(work_history=[_job("space.launch", isco="2511")])
    related_by_history = _profile(
        work_history=[_job("space.launch", end="2019-12-31"), _job("banking", isco="2411", start="2020-01-01")]
    )
    related_by_group = _profile(work_history=[_job("energy", isco="2145")])
    unlisted = _profile(work_history=[_job("banking", isco="2411")])
    nothing = _profile(work_history=[])
    pool = derive_for_policy(MERIT, [priority, related_by_history, related_by_group, unlisted, nothing], ON, ctx)
    codes = pool.columns.values["priority_profession"].tolist()
    declared = MERIT.input("priority_profession").values
    assert [declared[c] for c in codes] == ["priority", "related", "related", "not_listed", "not_listed"]
    # 2016-01-01 .. 2026-06-01 in a priority sector: ten completed years; 2016-01-01 .. 2019-12-31 is 1,460 days,
    # four years of 365 days; the bankers have none.
    assert pool.columns.values["priority_experience_years"].tolist()[:4] == [10, 4, 0, 0]


def test_cefr_from_ielts_bands_rounds_the_mean_as_ielts_does():
    test = {
        "test": "ielts_academic",
        "test_date": "2025-05-01",
        "listening": 7.0,
        "reading": 7.0,
        "writing": 6.5,
        "speaking": 6.5,
    }
    # mean 6.75 rounds up to 7.0: C1 (code 5); 6.625 would round to 6.5: B2 (code 4).
    high = _profile(language_tests=[test])
    low = _profile(language_tests=[{**test, "speaking": 6.0}])
    pool = derive_for_policy(CARD, [high, low], ON)
    assert pool.columns.values["english_cefr"].tolist() == [5, 4]
    assert pool.columns.values["german_cefr"].tolist() == [0, 0]


def test_japan_degree_salary_and_language():
    profile = _profile(
        education=[
            {
                "level": 7,
                "field_code": "0413",
                "degree_title": "MBA",
                "institution": "Keio",
                "country": "JP",
                "graduation_year": 2015,
            }
        ],
        salary_offers=[{"amount": "650000", "currency": "JPY", "period": "month", "offered_on": "2026-01-10"}],
        language_tests=[{"test": "jlpt", "test_date": "2024-12-01", "level": "N2"}],
    )
    pool = derive_for_policy(HSP, [profile], ON)
    assert HSP.input("highest_degree").values[_value(pool, "highest_degree")] == "professional_degree_business"
    assert _value(pool, "annual_salary_jpy") == 7_800_000.0
    assert HSP.input("japanese_language").values[_value(pool, "japanese_language")] == "n2"
    assert _value(pool, "japanese_university_degree") is True


def test_a_salary_in_another_currency_is_converted_with_the_rate_of_the_assessment_year_and_named():
    euros = _profile(salary_offers=[{"amount": "90000", "currency": "EUR", "period": "year"}])
    on_2025 = dt.date(2025, 9, 1)
    pool = derive_for_policy(HSP, [euros], on_2025)
    # 90,000 EUR / 0.8867 EUR per USD * 149.66 JPY per USD (annual averages 2025)
    assert _value(pool, "annual_salary_jpy") == pytest.approx(90_000 / 0.8867 * 149.66)
    assert pool.notes_for(0) == ["converted from EUR with annual-average-usd 2025"]
    assert pool.notes_by_row() == {0: ["converted from EUR with annual-average-usd 2025"]}
    assert pool.problems == []
    assert "annual_salary_jpy" not in evaluate_columns(pool.columns, HSP).explanation(0).missing


def test_a_year_without_rates_uses_the_latest_earlier_year_and_says_so():
    euros = _profile(salary_offers=[{"amount": "5000", "currency": "EUR", "period": "month"}])
    pool = derive_for_policy(HSP, [euros], ON)
    assert _value(pool, "annual_salary_jpy") == pytest.approx(60_000 / 0.8867 * 149.66)
    assert pool.notes_for(0) == ["converted from EUR with annual-average-usd 2025 (latest year before 2026)"]


def test_a_currency_without_a_rate_is_a_missing_input_naming_currency_and_year_unless_an_extension_gives_it():
    tenge = _profile(salary_offers=[{"amount": "30000000", "currency": "KZT", "period": "year"}])
    roubles_2024 = _profile(salary_offers=[{"amount": "6000000", "currency": "RUB", "period": "year"}])
    given = _profile(
        salary_offers=[{"amount": "30000000", "currency": "KZT", "period": "year"}],
        extensions={"annual_salary_jpy": 14_000_000},
    )
    pool = derive_for_policy(HSP, [tenge, given], ON)
    assert np.isnan(pool.columns.values["annual_salary_jpy"][0])
    assert pool.columns.values["annual_salary_jpy"][1] == 14_000_000
    assert pool.problems == [
        (
            0,
            "salary_offers",
            "annual_salary_jpy: no annual-average-usd exchange rate for KZT in 2026 or an earlier year",
        )
    ]
    assert pool.notes == []
    result = evaluate_columns(pool.columns, HSP)
    assert "annual_salary_jpy" in result.explanation(0).missing
    assert "annual_salary_jpy" not in result.explanation(1).missing
    # RUB has a 2025 rate but none for 2024: an assessment in 2024 never borrows the later year.
    early = derive_for_policy(HSP, [roubles_2024], dt.date(2024, 6, 1))
    assert np.isnan(early.columns.values["annual_salary_jpy"][0])
    assert "RUB in 2024" in early.problems[0][2]


def test_extension_fields_supply_what_a_profile_cannot_show_and_bad_types_are_reported():
    secured = _profile(extensions={"livelihood_secured": True, "shortage_occupation": True})
    wrong = _profile(extensions={"livelihood_secured": "yes"})
    pool = derive_for_policy(CARD, [secured, wrong], ON)
    assert pool.columns.values["livelihood_secured"].tolist() == [True, False]
    assert pool.columns.missing["livelihood_secured"].tolist() == [False, True]
    assert pool.columns.values["shortage_occupation"].tolist() == [True, False]
    assert pool.problems == [(1, "extensions.livelihood_secured", "livelihood_secured must be true or false")]


def test_missing_inputs_name_the_profile_paths_to_fill_in():
    assert missing_paths(["clb_first_official_reading", "clb_first_official_writing", "education_level"]) == [
        "language_tests",
        "education",
    ]
    assert missing_paths(["partner_also_qualifies"]) == ["extensions.partner_also_qualifies"]


@pytest.mark.parametrize("policy_id", ["canada-crs", "programme-merit", "japan-hsp", "germany-opportunity-card"])
def test_every_input_of_every_shipped_policy_gets_a_column(policy_id):
    policy = get_policy(policy_id, on=ON)
    profiles = [CandidateProfile.model_validate(example_profile(i)) for i in range(4)]
    pool = derive_for_policy(policy, profiles, ON)
    assert set(pool.columns.values) == {spec.name for spec in policy.inputs}
    assert len(pool.columns) == 4


def test_explanation_with_a_precomputed_hash_equals_the_one_computed_per_row():
    profiles = [CandidateProfile.model_validate(example_profile(i)) for i in range(5)]
    crs = get_policy("canada-crs", on=ON)
    result = evaluate_columns(derive_for_policy(crs, profiles, ON).columns, crs)
    hashes = result.inputs_hash()
    for i in range(5):
        assert result.explanation(i, int(hashes[i])) == result.explanation(i)


def test_cached_records_equal_records_explained_one_by_one():
    profiles = []
    for i in range(6):
        data = example_profile(i % 3)
        data["id"] = f"person-{i}"
        profiles.append(CandidateProfile.model_validate(data))
    crs = get_policy("canada-crs", on=ON)
    result = evaluate_columns(derive_for_policy(crs, profiles, ON).columns, crs)
    ids = [p.id for p in profiles]
    cache: dict = {}
    cached = list(records.iter_records(result, ids, ON, "ru", cache=cache))
    assert cached == list(records.iter_records(result, ids, ON, "ru"))
    assert len(cache) == 3
    assert [r["id"] for r in cached] == ids
