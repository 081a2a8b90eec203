"""The curated vocabulary: the demo catalogue's occupations and skills, ISO 639-1 languages, ranked suggestions."""

from __future__ import annotations

import doctest

from talentgate.demo import catalogue
from talentgate.hosts import vocabulary


def test_the_docstring_examples_hold():
    assert doctest.testmod(vocabulary).failed == 0


def test_occupations_are_the_demo_catalogues_titles_once_each_with_their_isco_codes():
    titles = {o.title: o.isco08 for o in catalogue.OCCUPATIONS}
    assert {t.label: t.code for t in vocabulary.occupations()} == titles


def test_a_match_at_the_start_ranks_before_a_match_inside_a_word():
    labels = [t.label for t in vocabulary.suggest_occupations("prop", limit=5)]
    assert labels == ["Propellant chemist", "Propulsion engineer", "Electric propulsion scientist"]


def test_digits_match_isco_codes_and_limit_cuts():
    found = vocabulary.suggest_occupations("2144", limit=3)
    assert len(found) == 3
    assert {t.code for t in found} == {"2144"}


def test_an_empty_query_lists_the_first_terms_and_nothing_matches_nonsense():
    assert vocabulary.suggest_skills("", limit=2) == list(vocabulary.skills()[:2])
    assert vocabulary.suggest_skills("zzzz-not-a-skill") == []


def test_languages_by_code_or_name_and_exact_occupation_lookup():
    assert vocabulary.suggest_languages("kazakh")[0] == vocabulary.Term("Kazakh", "kk")
    assert vocabulary.language_name("de") == "German"
    assert vocabulary.language_name("xx") == "xx"
    assert vocabulary.occupation_for_label("  gnc   ENGINEER ") == vocabulary.Term("GNC engineer", "2144")
    assert vocabulary.occupation_for_label("rocket whisperer") is None
