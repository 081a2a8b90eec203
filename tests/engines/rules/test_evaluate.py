"""Vectorized and single-profile evaluation: they agree exactly, dates pick versions, missing inputs are explained."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentgate.engines.rules import (
    MISSING,
    NOT_APPLICABLE,
    Columns,
    InputError,
    PolicyNotFound,
    assess_one,
    evaluate,
    evaluate_columns,
    explain,
    get_policy,
)
from talentgate.engines.rules.registry import shipped_policies
from talentgate.engines.rules.schema import Policy

SINGLE_29 = {
    "age_years": 29,
    "education_level": "masters_or_professional_degree",
    "clb_first_official_reading": 9,
    "clb_first_official_writing": 9,
    "clb_first_official_listening": 9,
    "clb_first_official_speaking": 9,
    "canadian_work_years": 0,
    "foreign_work_years": 3,
}


def _value_strategy(spec: Any) -> st.SearchStrategy:
    if spec.type == "category":
        return st.sampled_from(spec.values)
    if spec.type == "boolean":
        return st.booleans()
    if spec.unit in ("CLB", "NCLC"):
        return st.integers(0, 12)
    if spec.unit == "years":
        return st.integers(0, 70)
    if spec.unit == "CEFR level":
        return st.integers(0, 6)
    return st.integers(0, 20_000_000) if spec.type == "integer" else st.floats(0, 1e7, allow_nan=False)


def _person(policy: Policy) -> st.SearchStrategy[dict[str, Any]]:
    # Each input is present, or missing (None) about one time in four.
    fields = {spec.name: st.one_of(st.none(), _value_strategy(spec)) | _value_strategy(spec) for spec in policy.inputs}
    return st.fixed_dictionaries(fields)


def _smallest_int_dtype(values: list[int]) -> Any:
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if all(info.min <= v <= info.max for v in values):
            return dtype
    return np.int64


def _columns(people: list[dict[str, Any]], policy: Policy, narrow: bool = False) -> Columns:
    values: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}
    for spec in policy.inputs:
        raw = [person[spec.name] for person in people]
        absent = np.array([v is None for v in raw])
        if spec.type == "category":
            codes = [-1 if v is None else spec.values.index(v) for v in raw]
            values[spec.name] = np.array(codes, dtype=np.int16)
        elif spec.type == "boolean":
            values[spec.name] = np.array([bool(v) for v in raw])
            missing[spec.name] = absent
        elif spec.type == "integer":
            filled = [0 if v is None else v for v in raw]
            # Narrow columns take the direct-lookup path, wide ones the clipped/searched path.
            values[spec.name] = np.array(filled, dtype=_smallest_int_dtype(filled) if narrow else np.int64)
            missing[spec.name] = absent
        else:
            values[spec.name] = np.array([np.nan if v is None else v for v in raw], dtype=np.float64)
    return Columns(values, missing)


POLICIES = [item.policy for item in shipped_policies()]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: f"{p.id}@{p.version}")
def test_vectorized_and_single_paths_agree_exactly(policy: Policy):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_person(policy), min_size=1, max_size=6), st.booleans())
    def check(people: list[dict[str, Any]], narrow: bool) -> None:
        pooled = evaluate_columns(_columns(people, policy, narrow), policy)
        hashes = pooled.inputs_hash()
        for i, person in enumerate(people):
            single = assess_one(person, policy)
            assert pooled.explanation(i) == single
            assert f"{int(hashes[i]):016x}" == single.inputs_hash

    check()


def test_the_version_in_force_on_the_date_is_used():
    columns = {"arranged_employment": np.array(["teer_0_major_group_00"]), "age_years": np.array([29])}
    before = evaluate(columns, "canada-crs", on=dt.date(2025, 3, 24))
    after = evaluate({"age_years": np.array([29])}, "canada-crs", on=dt.date(2025, 3, 25))
    assert (before.version, after.version) == ("2020-10-27", "2025-03-25")
    assert before.factor_points["arranged_employment"].tolist() == [200]
    assert before.groups["additional"].tolist() == [200]
    with pytest.raises(PolicyNotFound):
        evaluate(columns, "canada-crs", on=dt.date(2019, 1, 1))
    with pytest.raises(PolicyNotFound):
        evaluate(columns, get_policy("canada-crs", version="2020-10-27"), on=dt.date(2025, 6, 1))


def test_a_missing_input_is_an_explained_result_not_an_exception():
    result = explain({"age_years": 29}, "canada-crs", on=dt.date(2025, 6, 1))
    assert result.total == 110
    line = result.factor("education")
    assert (line.points, line.rule, line.missing) == (0, MISSING, ("education_level",))
    assert result.factor("spouse_education").rule == NOT_APPLICABLE
    sentence = result.factor_sentence(line, "en")
    assert sentence == "Level of education: not assessed — missing information (level of education); 0 points."
    assert "нет данных (уровень образования)" in result.factor_sentence(line, "ru")


def test_sentences_name_rows_points_and_caps_in_both_languages():
    crs = get_policy("canada-crs", version="2025-03-25")
    result = assess_one(
        {
            **SINGLE_29,
            "has_accompanying_spouse": True,
            "clb_second_official_reading": 9,
            "clb_second_official_writing": 9,
            "clb_second_official_listening": 9,
            "clb_second_official_speaking": 9,
            "spouse_education_level": "secondary",
        },
        crs,
    )
    english = result.sentences("en")
    russian = result.sentences("ru")
    assert "Age: 29 → 20 to 29 years — 100 points." in "\n".join(english)
    assert "  Возраст: 29 → от 20 до 29 лет — 100 баллов." in russian
    second = result.factor("second_official_language")
    assert (second.points, second.capped) == (22, True)
    assert result.factor_sentence(second, "en").endswith("— 22 points (limited by the factor's maximum).")
    assert english[1] == "Variant: with a spouse or partner coming to Canada."


def test_columns_accept_codes_strings_and_a_foreign_vocabulary_alike():
    crs = get_policy("canada-crs", version="2025-03-25")
    words = np.array(["doctoral", "secondary"])
    by_string = evaluate_columns({"education_level": words}, crs)
    by_code = evaluate_columns({"education_level": np.array([7, 1], dtype=np.int8)}, crs)
    reordered = Columns(
        {"education_level": np.array([0, 1])}, vocabularies={"education_level": ["doctoral", "secondary"]}
    )
    by_vocabulary = evaluate_columns(reordered, crs)
    for result in (by_string, by_code, by_vocabulary):
        assert result.factor_points["education"].tolist() == [150, 30]


def test_bad_columns_are_refused_naming_the_input():
    crs = get_policy("canada-crs", version="2025-03-25")
    with pytest.raises(InputError, match="education_level: 'phd' is not one of"):
        evaluate_columns({"education_level": np.array(["phd"])}, crs)
    with pytest.raises(InputError, match="education_level: category code 9 is out of range"):
        evaluate_columns({"education_level": np.array([9])}, crs)
    with pytest.raises(InputError, match="age_years: a numeric column holds numbers"):
        evaluate_columns({"age_years": np.array(["old"])}, crs)
    with pytest.raises(InputError, match="same length"):
        evaluate_columns({"age_years": np.array([1, 2]), "foreign_work_years": np.array([1])}, crs)
    with pytest.raises(InputError, match="has_accompanying_spouse: must be true or false"):
        assess_one({"has_accompanying_spouse": "yes"}, crs)


def test_inputs_hash_is_reproducible_and_sensitive():
    crs = get_policy("canada-crs", version="2025-03-25")
    first = assess_one(SINGLE_29, crs).inputs_hash
    assert assess_one(dict(SINGLE_29), crs).inputs_hash == first
    assert assess_one({**SINGLE_29, "foreign_work_years": 4}, crs).inputs_hash != first
    # A default made explicit is the same input.
    assert assess_one({**SINGLE_29, "has_sibling_in_canada": False}, crs).inputs_hash == first


def test_results_record_policy_and_version():
    result = evaluate({"age_years": np.array([29, 31])}, "canada-crs", on=dt.date(2025, 6, 1))
    assert (result.policy_id, result.version, result.n) == ("canada-crs", "2025-03-25", 2)
    record = result.explanation(1).as_dict("en")
    assert record["policy"] == "canada-crs"
    assert record["version"] == "2025-03-25"
    assert record["factors"][0] == {
        "factor": "age",
        "group": "core",
        "points": 99,
        "rule": "age_31",
        "reason": "Age: 31 → 31 years — 99 points.",
    }
    assert len(record["inputs_hash"]) == 16
