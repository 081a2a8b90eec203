"""Fit reasons stored as codes and parameters, worded in the reader's language when shown."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from talentgate.engines.fit import CandidateProfile, Opportunity, explain_fit
from talentgate.matching.reasons import render_reason, render_reasons


def _reasons() -> list[dict]:
    candidate = CandidateProfile(
        "ana", skills=("gnc",), languages={"ru": 2}, experience_years=4, degree_level=6,
        available_from=dt.date(2026, 3, 1),
    )  # fmt: skip
    opportunity = Opportunity(
        "lab",
        occupations=("eng",),
        required_skills=("gnc", "kalman"),
        optional_skills=("c++",),
        min_experience_years=2.5,
        required_languages={"ru": 3},
        min_degree_level=7,
        latest_start=dt.date(2026, 2, 1),
        places_left=0,
    )
    return explain_fit(candidate, opportunity, labels={"gnc": "GNC", "kalman": "Kalman filtering"}).reasons


def test_every_reason_reads_as_a_sentence_in_english():
    with translation.override("en"):
        assert render_reasons(_reasons()) == [
            "matches 1 of 2 required skills: GNC; missing: Kalman filtering",
            "has 0 of 1 desirable skill",
            "occupation differs from the one sought",
            "4 years of experience, 2.5 sought",
            "Russian B1 required, candidate has A2",
            "master's degree required, candidate has bachelor's",
            "available from March 1, 2026, after the latest start Feb. 1, 2026",
            "no places left",
        ]


def test_names_and_dates_follow_the_readers_language():
    language_gap = {"code": "language_below", "params": {"language": "de", "required": "B2", "has": "none"}}
    late = {"code": "starts_too_late", "params": {"available_from": "2026-03-01", "latest_start": "2026-02-01"}}
    with translation.override("ru"):
        worded = render_reason(language_gap)
        assert worded.startswith("немецкий")
        assert "B2" in worded
        assert "German" not in worded
        assert "1 марта 2026" in render_reason(late)
    with translation.override("en"):
        assert render_reason(language_gap).startswith("German B2")


def test_text_from_older_runs_and_unknown_codes_are_shown_as_they_are():
    assert render_reasons(["matches 1 of 1 required skills: GNC", {"code": "future_code", "params": {}}]) == [
        "matches 1 of 1 required skills: GNC",
        "future_code",
    ]
    assert render_reasons(None) == []
