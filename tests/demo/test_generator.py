"""The demo generator: deterministic per seed, valid canonical profiles, coherent careers, real test scales."""

from __future__ import annotations

import itertools
import json
import unicodedata
from datetime import date

import pytest

from talentgate.canonical import CandidateProfile, ielts_overall_band
from talentgate.demo import catalogue
from talentgate.demo.generator import (
    SHOWCASE_INDEX,
    TOEFL_BANDS_FROM,
    generate_candidates,
    generate_opportunities,
    make_candidate,
)
from talentgate.demo.names import ORIGINS, NameMaker, devanagari_to_latin

AS_OF = date(2026, 6, 15)


def _json(candidates) -> list[str]:
    return [json.dumps(c.profile, default=str, sort_keys=True) for c in candidates]


@pytest.fixture(scope="module")
def pool() -> list[CandidateProfile]:
    """Three hundred validated profiles: the sample every property below is checked over."""
    return [CandidateProfile.model_validate(c.profile) for c in generate_candidates(300, seed=11, as_of=AS_OF)]


def test_same_seed_and_date_give_the_same_candidates_and_applications():
    first = list(generate_candidates(40, seed=5, as_of=AS_OF))
    again = list(generate_candidates(40, seed=5, as_of=AS_OF))
    assert _json(first) == _json(again)
    assert [c.application for c in first] == [c.application for c in again]


def test_another_seed_gives_other_people():
    one = _json(generate_candidates(20, seed=5, as_of=AS_OF))
    two = _json(generate_candidates(20, seed=6, as_of=AS_OF))
    assert sum(a != b for a, b in zip(one, two, strict=True)) == 20


def test_a_smaller_pool_is_a_prefix_of_a_larger_one_so_loads_can_be_topped_up():
    small = _json(generate_candidates(10, seed=3, as_of=AS_OF))
    large = _json(generate_candidates(25, seed=3, as_of=AS_OF))
    tail = _json(generate_candidates(15, seed=3, as_of=AS_OF, start=10))
    assert large == small + tail


def test_every_generated_profile_validates_against_the_canonical_model(pool):
    assert len(pool) == 300
    assert [p.id for p in pool[:3]] == ["demo-0000000", "demo-0000001", "demo-0000002"]


def test_ages_match_careers(pool):
    for profile in pool:
        age = (AS_OF - profile.identity.date_of_birth).days / 365.25
        assert 18 <= age <= 70, (profile.id, age)
        born = profile.identity.date_of_birth.year
        for degree in profile.education:
            if degree.graduation_year is not None and degree.level >= 6:
                assert degree.graduation_year - born >= 21, (profile.id, degree)


def test_degrees_come_in_order_and_before_the_jobs_that_follow_them(pool):
    for profile in pool:
        years = [d.graduation_year for d in profile.education]
        levels = [d.level for d in profile.education]
        assert levels == sorted(levels), profile.id
        assert years == sorted(years), profile.id
        if not profile.work_history:
            continue
        first_degree = years[0]
        assert all(job.start_date.year >= first_degree for job in profile.work_history), profile.id
        # The latest job (the career after studies) starts no earlier than the highest degree.
        assert profile.work_history[-1].start_date.year >= years[-1], profile.id


def test_jobs_do_not_overlap_and_end_in_the_past(pool):
    for profile in pool:
        jobs = profile.work_history
        for before, after in itertools.pairwise(jobs):
            assert before.end_date is not None, profile.id
            assert before.end_date <= after.start_date, profile.id
        for job in jobs:
            assert job.start_date <= AS_OF
            assert job.end_date is None or job.end_date <= AS_OF


def test_language_tests_use_each_tests_real_scale(pool):
    seen: set[str] = set()
    for profile in pool:
        for result in profile.language_tests:
            seen.add(result.test.value)
            if result.test.value.startswith("ielts"):
                bands = [result.listening, result.reading, result.writing, result.speaking]
                assert all(4.0 <= b <= 9.0 and (b * 2).is_integer() for b in bands)
                assert result.overall == ielts_overall_band(*bands)
            elif result.test.value == "toefl_ibt":
                if result.test_date >= TOEFL_BANDS_FROM:
                    assert 1.0 <= result.overall <= 6.0
                    assert (result.overall * 2).is_integer()
                else:
                    assert result.overall == result.listening + result.reading + result.writing + result.speaking
                    assert 0 <= result.overall <= 120
            elif result.test.value == "torfl":
                assert result.level in ("A2", "B1", "B2", "C1", "C2")
                assert min(result.listening, result.reading, result.writing, result.speaking) >= 66
            elif result.test.value == "jlpt":
                assert result.level in ("N1", "N2", "N3", "N4", "N5")
            assert result.test_date <= AS_OF
            assert result.test_date > profile.identity.date_of_birth
    assert {"ielts_academic", "toefl_ibt", "torfl", "cefr_self"} <= seen


def test_children_are_born_after_their_parent_was_an_adult(pool):
    children = [(p, m) for p in pool for m in p.family if m.relation.value == "child" and m.date_of_birth is not None]
    assert children
    for profile, child in children:
        assert (child.date_of_birth - profile.identity.date_of_birth).days / 365.25 >= 24


def test_the_pool_has_the_programmes_geography_and_its_scripts(pool):
    countries = {p.identity.citizenships[0] for p in pool}
    assert {"RU", "CN", "IN", "BR", "EG", "IR", "KZ"} <= countries
    scripts = {p.extensions["script"] for p in pool}
    assert {"Cyrl", "Hans", "Deva", "Arab", "Latn"} <= scripts
    for profile in pool:
        if profile.extensions["script"] != "Latn":
            assert profile.identity.given_names_native, profile.id
        latin = profile.identity.given_names_latin + profile.identity.family_name_latin
        letters = [ch for ch in latin if ch.isalpha()]
        assert all("LATIN" in unicodedata.name(ch) for ch in letters), (profile.id, latin)


def test_occupations_carry_isco_codes_and_space_sectors(pool):
    sectors = {s.code for s in catalogue.SECTORS}
    for profile in pool:
        for job in profile.work_history:
            assert job.isco08_code is not None
            assert len(job.isco08_code) == 4
            assert job.sector in sectors


def test_consents_never_have_two_active_for_one_purpose(pool):
    for profile in pool:
        active = [c.purpose for c in profile.consents if c.withdrawn_at is None]
        assert len(active) == len(set(active))


def test_applications_follow_the_lifecycle_with_increasing_times():
    order = ["draft", "submitted", "screening", "assessed", "invited", "matched"]
    statuses = set()
    for candidate in generate_candidates(300, seed=2, as_of=AS_OF):
        plan = candidate.application
        if plan is None:
            continue
        statuses.add(plan.status)
        state, at = "draft", plan.created_at
        for step in plan.steps:
            assert step.from_state == state
            assert step.at > at
            state, at = step.to_state, step.at
        assert state == plan.status
        assert at.date() <= AS_OF
        if plan.status not in ("rejected", "withdrawn"):
            assert [s.to_state for s in plan.steps] == order[1 : order.index(plan.status) + 1]
    assert statuses == {*order, "rejected", "withdrawn"}


def test_the_showcase_candidate_is_matched_with_an_open_offer():
    plan = make_candidate(SHOWCASE_INDEX, seed=9, as_of=AS_OF).application
    assert plan is not None
    assert plan.status == "matched"
    assert plan.offer is not None
    assert plan.offer.status == "offered"
    assert plan.offer.expires_at.date() > AS_OF


def test_opportunities_belong_to_demo_hosts_and_fit_their_sectors():
    hosts = {h.slug: h for h in catalogue.HOST_ORGANISATIONS}
    specs = generate_opportunities(1000, seed=1, as_of=AS_OF)
    assert len(specs) == 40
    for spec in specs:
        host = hosts[spec.host]
        assert spec.sector == host.sector or spec.sector.startswith(host.sector + ".")
        assert spec.salary_min < spec.salary_max
        assert spec.application_deadline <= spec.start_date
    assert len(generate_opportunities(100_000, seed=1, as_of=AS_OF)) == 4000


def test_devanagari_names_are_transliterated_with_final_schwa_dropped():
    assert devanagari_to_latin("नारायण") == "Narayan"
    assert devanagari_to_latin("आदित्य") == "Aditya"
    assert devanagari_to_latin("मिश्र") == "Mishra"


def test_every_origin_yields_a_name_in_both_scripts():
    import random

    maker = NameMaker()
    rng = random.Random(4)
    for origin in ORIGINS:
        for sex in ("female", "male"):
            name = maker.make(origin, sex, rng)
            assert name.given_native, origin
            assert name.given_latin, origin
            assert name.family_latin, origin
