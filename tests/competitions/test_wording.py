"""Conflict reasons and the assignment's why are stored as codes and worded in the reader's language."""

from __future__ import annotations

from django.utils import translation

from talentgate.competitions import wording
from talentgate.engines.review_assignment import CAPACITY_USED, LEAST_LARGEST_LOAD, PARTIAL, TOO_FEW_ELIGIBLE


def test_conflict_reasons_are_worded_with_their_parameters():
    reasons = [
        {"code": "same_country", "country": "BR"},
        {"code": "coauthorship", "year": "2024", "years": "3"},
        {"code": "declared", "note": ""},
    ]
    with translation.override("en"):
        assert wording.conflict_reasons(reasons) == (
            "both from Brazil; co-authorship in 2024, within 3 years; declared conflict"
        )
    with translation.override("ru"):
        assert wording.conflict_reasons(reasons) == (
            "оба из страны: Бразилия; соавторство в 2024 году, в пределах 3 лет; заявленный конфликт"
        )


def test_the_assignment_is_explained_in_russian_with_russian_plurals():
    with translation.override("ru"):
        assert wording.pair_reason(PARTIAL, load=2, max_load=2, reviews_per_submission=2) == (
            "конфликта нет; у эксперта 2 заявки на оценку"
        )
        assert "каждая заявка получает 2 оценки" in wording.pair_reason(
            LEAST_LARGEST_LOAD, load=1, max_load=3, reviews_per_submission=2
        )
        uncovered = {"code": TOO_FEW_ELIGIBLE, "eligible_reviewers": 1, "reviewers": 5, "needed": 2}
        assert wording.uncovered_reason(uncovered) == "без конфликта интересов лишь 1 из 5 экспертов, а нужно 2"
        capacity = {"code": CAPACITY_USED, "eligible_reviewers": 3, "capacity": 4}
        assert (
            wording.uncovered_reason(capacity)
            == "экспертов без конфликта интересов: 3, но их лимит нагрузки (4) исчерпан"
        )
        summary = wording.run_summary(feasible=False, assigned=3, max_load=2, lower_bound=1, uncovered=1)
        assert summary == "1 заявка не может получить нужные оценки; назначено: 3, наибольшая нагрузка 2."
