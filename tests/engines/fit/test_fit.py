"""Fit score and retrieval: reasons in words, hard constraints, and the vectorised scorer equals the per-pair one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from talentgate.engines.fit import (
    CandidateProfile,
    Opportunity,
    batch_top_opportunities,
    encode_pool,
    explain_fit,
    top_candidates_for,
    top_opportunities_for,
)
from talentgate.engines.fit.retrieval import score_candidate_row, score_opportunity_column
from talentgate.engines.fit.synthetic import random_pool


def test_reasons_name_matched_and_missing_skills_and_the_language_gap():
    candidate = CandidateProfile("ana", skills=tuple(f"s{i}" for i in range(7)), languages={"ru": 2})
    opportunity = Opportunity("lab", required_skills=tuple(f"s{i}" for i in range(9)), required_languages={"ru": 3})
    fit = explain_fit(candidate, opportunity)
    assert fit.reasons[0] == {
        "code": "required_skills",
        "params": {"matched": [f"s{i}" for i in range(7)], "missing": ["s7", "s8"], "required": 9},
    }
    assert {"code": "language_below", "params": {"language": "ru", "required": "B1", "has": "A2"}} in fit.reasons
    assert fit.eligible is False
    assert fit.parts["required_skills"] == pytest.approx(7 / 9)


def test_degree_dates_and_places_are_hard_constraints():
    candidate = CandidateProfile("ben", degree_level=6, available_from=dt.date(2026, 3, 1))
    opportunity = Opportunity("orbit", min_degree_level=7, latest_start=dt.date(2026, 2, 1), places_left=0)
    fit = explain_fit(candidate, opportunity)
    assert fit.eligible is False
    assert fit.reasons == [
        {"code": "degree_below", "params": {"required": 7, "has": 6}},
        {"code": "starts_too_late", "params": {"available_from": "2026-03-01", "latest_start": "2026-02-01"}},
        {"code": "no_places_left", "params": {}},
    ]


def test_reasons_carry_only_known_codes_with_their_declared_parameters():
    from talentgate.engines.fit import REASON_CODES

    candidate = CandidateProfile("dee", occupations=("x",), skills=("a",), languages={"de": 1}, experience_years=1.5)
    opportunity = Opportunity(
        "lab",
        occupations=("y",),
        required_skills=("a", "b"),
        optional_skills=("c",),
        min_experience_years=3,
        required_languages={"de": 4},
        min_degree_level=6,
        places_left=0,
    )
    reasons = explain_fit(candidate, opportunity).reasons
    assert [r["code"] for r in reasons] == [
        "required_skills",
        "optional_skills",
        "occupation_differs",
        "experience",
        "language_below",
        "degree_below",
        "no_places_left",
    ]
    for reason in reasons:
        assert tuple(reason["params"]) == REASON_CODES[reason["code"]]
    assert reasons[3]["params"] == {"years": 1.5, "sought": 3.0}


def test_a_perfect_fit_scores_one():
    candidate = CandidateProfile("cho", occupations=("eng",), skills=("a", "b"), experience_years=5, policy_score=1.0)
    opportunity = Opportunity(
        "pad", occupations=("eng",), required_skills=("a",), optional_skills=("b",), min_experience_years=3
    )
    fit = explain_fit(candidate, opportunity)
    assert fit.eligible is True
    assert fit.score == pytest.approx(1.0)


def _reference(candidates, opportunities):
    scores = np.full((len(candidates), len(opportunities)), -np.inf)
    for i, candidate in enumerate(candidates):
        for j, opportunity in enumerate(opportunities):
            fit = explain_fit(candidate, opportunity)
            if fit.eligible:
                scores[i, j] = fit.score
    return scores


def test_vectorised_scores_equal_the_per_pair_reference_both_ways():
    candidates, opportunities = random_pool(40, 60, n_skills=30, n_occupations=4, seed=7)
    pool = encode_pool(candidates, opportunities)
    reference = _reference(candidates, opportunities)
    assert np.isfinite(reference).sum() > 100  # the pool has eligible and ineligible pairs
    assert (~np.isfinite(reference)).sum() > 100
    rows = np.vstack([score_candidate_row(pool, i) for i in range(len(candidates))])
    columns = np.column_stack([score_opportunity_column(pool, j) for j in range(len(opportunities))])
    np.testing.assert_allclose(rows, reference, atol=1e-5)
    np.testing.assert_allclose(columns, reference, atol=1e-5)


def test_top_k_and_batch_return_the_best_eligible_pairs_in_order():
    candidates, opportunities = random_pool(30, 50, n_skills=25, n_occupations=3, seed=11)
    pool = encode_pool(candidates, opportunities)
    reference = _reference(candidates, opportunities)
    indices, scores = batch_top_opportunities(pool, k=5, chunk=7)
    # Compare scores, not indices: float32 and float64 may order near-ties differently.
    for i in range(len(candidates)):
        best = np.sort(reference[i][np.isfinite(reference[i])])[::-1][:5]
        found = indices[i][indices[i] >= 0]
        np.testing.assert_allclose(reference[i, found], best, atol=1e-5)
        np.testing.assert_allclose(scores[i][: len(best)], best, atol=1e-5)
        np.testing.assert_allclose(reference[i, top_opportunities_for(pool, i, 5).indices], best, atol=1e-5)
    column = reference[:, 0]
    best = np.sort(column[np.isfinite(column)])[::-1][:4]
    found = top_candidates_for(pool, 0, 4)
    np.testing.assert_allclose(column[found.indices], best, atol=1e-5)
    assert found.ids == [candidates[i].id for i in found.indices]


def test_bad_input_is_refused_with_the_field_named():
    with pytest.raises(ValueError, match=r"candidate x: languages.ru: CEFR level must be 0-6"):
        encode_pool([CandidateProfile("x", languages={"ru": 9})], [])
    pool = encode_pool(*random_pool(3, 3, seed=1))
    with pytest.raises(ValueError, match="k: must be at least 1"):
        top_opportunities_for(pool, 0, 0)


def test_docstring_examples_run():
    import doctest

    from talentgate.engines.fit import explain

    failures, attempted = doctest.testmod(explain)
    assert attempted > 0
    assert failures == 0
