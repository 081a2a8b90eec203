"""Derived inputs: CLB/NCLC from test scores by IRCC's charts, education levels, years at a date, the profile adapter."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.engines.rules import evaluate_columns, get_policy
from talentgate.engines.rules.derive import (
    CRS_EDUCATION_LEVELS,
    cefr_code,
    cefr_from_scores,
    clb_from_scores,
    completed_years,
    crs_education_level,
    derive_inputs,
    work_years,
)


def _levels(test: str, ability: str, scores: list[float], **kw) -> list[int]:
    return clb_from_scores(test, ability, np.array(scores, dtype=float), **kw)[0].tolist()


def test_ielts_general_rows_at_their_boundaries():
    # IRCC chart, reading: 3.5 CLB 4, 4.0-4.5 CLB 5, 5.0-5.5 CLB 6, 6.0 CLB 7, 6.5 CLB 8, 7.0-7.5 CLB 9, 8.0+ CLB 10.
    assert _levels("ielts_general", "reading", [3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 9.0]) == [
        0,
        4,
        5,
        5,
        6,
        6,
        7,
        8,
        9,
        9,
        10,
        10,
    ]
    # Listening: 4.5 CLB 4, 5.0 CLB 5, 5.5 CLB 6, 6.0-7.0 CLB 7, 7.5 CLB 8, 8.0 CLB 9, 8.5+ CLB 10.
    assert _levels("ielts_general", "listening", [4.5, 5.0, 5.5, 6.0, 7.0, 7.5, 8.0, 8.5]) == [4, 5, 6, 7, 7, 8, 9, 10]


def test_celpip_pte_and_tcf_rows():
    assert _levels("celpip_general", "speaking", [3, 4, 9, 10, 12]) == [0, 4, 9, 10, 10]
    # PTE Core writing: CLB 7 = 69-78, CLB 8 = 79-87, CLB 10 = 90.
    assert _levels("pte_core", "writing", [68, 69, 78, 79, 89, 90]) == [6, 7, 7, 8, 9, 10]
    # TCF Canada writing is scored 0-20: 10-11 NCLC 7, 16-20 NCLC 10.
    assert _levels("tcf_canada", "writing", [3, 4, 10, 11, 16, 20]) == [0, 4, 7, 7, 10, 10]


def test_tef_canada_table_follows_the_test_date():
    dates = np.array(["2023-12-10", "2023-12-11"], dtype="datetime64[D]")
    # 263 on the historical reading scale (0-300) is NCLC 10; on the 0-699 scale it is below the chart.
    assert _levels("tef_canada", "reading", [263, 263], taken_on=dates) == [10, 0]
    assert _levels("tef_canada", "speaking", [456, 455], taken_on=np.datetime64("2024-05-01")) == [7, 6]


def test_missing_and_invalid_scores():
    levels, missing = clb_from_scores("ielts_general", "writing", np.array([np.nan, 7.0]))
    assert missing.tolist() == [True, False]
    assert levels.tolist()[1] == 9
    with pytest.raises(ValueError, match=r"ielts_general.writing: scores must be on the test's grid \(steps of 0.5\)"):
        clb_from_scores("ielts_general", "writing", np.array([6.25]))
    with pytest.raises(ValueError, match=r"ielts_general\.writing: scores must be between 0 and 9"):
        clb_from_scores("ielts_general", "writing", np.array([9.5]))
    with pytest.raises(ValueError, match="test: 'toefl_ibt' has no CLB/NCLC equivalence"):
        clb_from_scores("toefl_ibt", "writing", np.array([25]))


def test_cefr_levels():
    assert [cefr_code(x) for x in ("", "A1", "b2", "C2")] == [0, 1, 4, 6]
    assert cefr_from_scores("ielts_overall", np.array([3.5, 4.0, 5.5, 7.0, 8.5])).tolist() == [0, 3, 4, 5, 6]
    assert cefr_from_scores("toefl_ibt_band", np.array([1.0, 4.5, 6.0])).tolist() == [1, 4, 6]
    with pytest.raises(ValueError, match="not a CEFR level"):
        cefr_code("D1")


def test_crs_education_level_from_isced():
    codes = crs_education_level(
        np.array([2, 3, 4, 4, 5, 6, 6, 7, 8]),
        np.array([0, 0, 1, 1, 1, 1, 2, 2, 3]),
        np.array([True, True, True, False, True, True, True, True, True]),
    )
    assert [CRS_EDUCATION_LEVELS[c] for c in codes] == [
        "less_than_secondary",
        "secondary",
        "one_year_post_secondary",
        "two_year_post_secondary",
        "two_year_post_secondary",
        "bachelors_or_three_year_program",
        "two_or_more_credentials_one_three_year",
        "masters_or_professional_degree",
        "doctoral",
    ]
    with pytest.raises(ValueError, match="ISCED 2011 levels are 0 to 8"):
        crs_education_level(np.array([9]))


def test_completed_years_counts_birthdays():
    born = np.array(["1996-03-25", "1996-03-26", "2000-02-29"], dtype="datetime64[D]")
    assert completed_years(born, np.datetime64("2025-03-25")).tolist() == [29, 28, 25]


def test_work_years_merge_overlaps_and_respect_the_window():
    on = dt.date(2025, 1, 1)
    person = np.array([0, 0, 1, 2])
    start = np.array(["2015-01-01", "2016-01-01", "2020-01-01", "2001-01-01"], dtype="datetime64[D]")
    end = np.array(["2018-01-01", "2019-01-01", "NaT", "2016-01-01"], dtype="datetime64[D]")
    # person 0: overlapping spells cover 2015-2019 once (4 years); person 1: open spell, 5 years;
    # person 2: only 2015-2016 lies in the last 10 years.
    assert work_years(person, start, end, on, 3).tolist() == [4, 5, 1]
    part_time = work_years(person, start, end, on, 3, hours_per_week=np.array([15.0, 15.0, 40.0, 40.0]))
    assert part_time.tolist() == [3, 5, 1]


def test_derive_inputs_from_a_canonical_profile():
    profile = CandidateProfile.model_validate(example_profile(0))
    columns = derive_inputs([profile], on=dt.date(2025, 6, 1))
    values = {name: array.tolist()[0] for name, array in columns.values.items()}
    assert values["age_years"] == 45  # born 1980-05-17
    assert CRS_EDUCATION_LEVELS[values["education_level"]] == "bachelors_or_three_year_program"  # PhD not finished
    # IELTS GT 2024-03-02: reading 7.0 -> 9, writing 6.5 -> 8, listening 8.0 -> 9, speaking 7.0 -> 9.
    assert [values[f"clb_first_official_{a}"] for a in ("reading", "writing", "listening", "speaking")] == [9, 8, 9, 9]
    assert values["foreign_work_years"] == 10
    assert values["canadian_work_years"] == 0
    assert values["has_accompanying_spouse"] is True
    assert CRS_EDUCATION_LEVELS[values["spouse_education_level"]] == "masters_or_professional_degree"
    result = evaluate_columns(columns, get_policy("canada-crs", on=dt.date(2025, 6, 1)))
    # with spouse: age 45 -> 0; bachelor's 112; 29 + 22 + 29 + 29 = 109; spouse master's 10;
    # transferability: post_secondary/clb7 13, three_plus/clb7 25 -> 38; total 269
    assert result.total.tolist() == [269]
    assert result.missing == {}


def test_an_expired_language_test_leaves_the_language_missing():
    profile = CandidateProfile.model_validate(example_profile(0))
    columns = derive_inputs([profile], on=dt.date(2026, 6, 1))
    assert columns.missing["clb_first_official_reading"].tolist() == [True]
    result = evaluate_columns(columns, get_policy("canada-crs", on=dt.date(2026, 6, 1)))
    assert "clb_first_official_reading" in result.explanation(0).missing
