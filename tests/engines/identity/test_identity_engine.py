"""The framework-free identity core: blind index, name folding across scripts, duplicate evidence."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from talentgate.engines import identity
from talentgate.engines.identity import (
    PersonFacts,
    blind_index,
    compare_people,
    email_local_part,
    fold_name,
    name_search_key,
    normalise_document_number,
    search_terms,
)
from talentgate.engines.identity import documents as documents_module
from talentgate.engines.identity import names as names_module
from talentgate.engines.identity import similarity as similarity_module


@pytest.mark.parametrize("module", [documents_module, names_module, similarity_module])
def test_docstring_examples_hold(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_surface_is_explicit():
    assert sorted(identity.__all__) == sorted(name for name in identity.__all__ if hasattr(identity, name))
    assert "blind_index" in identity.__all__
    assert "name_search_key" in identity.__all__


@pytest.mark.parametrize(
    "typed", ["AB 1234567", "ab-1234567", "AB–123 45 67", " a.b/1234567 ", "ＡＢ１２３４５６７", "AB\u00a01234567"]
)
def test_separators_case_and_width_do_not_change_the_number(typed):
    assert normalise_document_number(typed) == "AB1234567"
    assert blind_index(typed, "ru", "key") == blind_index("AB1234567", "RU", "key")


def test_the_issuing_country_and_the_key_are_part_of_the_index():
    base = blind_index("AB1234567", "RU", "key")
    assert blind_index("AB1234567", "KZ", "key") != base
    assert blind_index("AB1234567", "RU", "another key") != base
    assert blind_index("AB1234568", "RU", "key") != base
    assert len(base) == 64
    assert int(base, 16) >= 0


def test_the_index_does_not_contain_the_number():
    assert "1234567" not in blind_index("AB1234567", "RU", "key")


def test_an_empty_number_has_no_index_and_an_empty_key_is_refused():
    assert blind_index(" -- ", "RU", "key") == ""
    with pytest.raises(ValueError, match="key is empty"):
        blind_index("AB1", "RU", "")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ivanov", "Иванов"),
        ("IVANOV", "иванов"),
        ("Iwanow", "Иванов"),
        ("Yuri", "Юрий"),
        ("Iurii", "Yuri"),
        ("Yurij", "Юрий"),
        ("Dmitry", "Dmitrii"),
        ("Дмитрий", "Dmitriy"),
        ("Sergei", "Сергей"),
        ("Yelena", "Елена"),
        ("Fyodor", "Фёдор"),
        ("Pyotr", "Petr"),
        ("Tatyana", "Татьяна"),
        ("Natalia", "Наталья"),
        ("Aleksandr", "Alexandr"),
        ("Mikhail", "Mihail"),
        ("Maria", "Мария"),
        ("José", "JOSE"),
        ("Ολγα", "Olga"),
    ],
)
def test_spellings_of_one_name_fold_alike(one, other):
    assert fold_name(one) == fold_name(other)


@pytest.mark.parametrize(("one", "other"), [("Ivanov", "Ivanova"), ("Anna", "Inna"), ("Petrov", "Pavlov")])
def test_different_names_stay_different(one, other):
    assert fold_name(one) != fold_name(other)


def test_search_key_holds_every_folded_word_once_with_word_starts_marked():
    key = name_search_key(["Yuri Alexeyevich", "Ivanov", "Юрий", "Иванов"])
    assert key == " aleksevich iuri ivanov "
    for query in ["Ivanov", "Иванов", "iva", "Юр", "yuri ivanov"]:
        assert all(f" {term}" in key for term in search_terms(query)), query
    assert not all(f" {term}" in key for term in search_terms("vanov"))


def test_cjk_names_are_found_by_the_whole_romanised_name_and_by_each_syllable():
    key = name_search_key(["伟明", "王"])
    for query in ["Weiming", "Wang", "wei", "王"]:
        assert all(f" {term}" in key for term in search_terms(query)), query


def test_a_query_with_no_letters_has_no_terms():
    assert search_terms(" -- ,") == []


def test_email_local_part_ignores_case_dots_and_tags():
    assert email_local_part("Yuri.Ivanov+2@Example.org") == email_local_part("yuriivanov@other.example") != ""


def _person(names, born=date(1990, 5, 1), email="", indexes=()):
    return PersonFacts(tuple(names), born, email, frozenset(indexes))


def test_same_document_is_strong_whatever_the_names():
    evidence = compare_people(_person(["Anna Petrova"], indexes=["x"]), _person(["Boris Sidorov"], indexes=["x", "y"]))
    assert evidence is not None
    assert evidence.reasons == ("same_identity_document",)
    assert evidence.score == 1.0


def test_same_birth_date_and_a_transliterated_name_is_likely():
    evidence = compare_people(_person(["Yuri Ivanov"]), _person(["Иванов Юрий"]))
    assert evidence is not None
    assert evidence.reasons == ("same_birth_date_and_name",)
    assert evidence.score == 0.9
    assert evidence.name_similarity == 100.0


def test_a_close_but_not_equal_name_scores_lower():
    close = compare_people(_person(["Yuri Ivanov"]), _person(["Yuri Ivanova"]))
    exact = compare_people(_person(["Yuri Ivanov"]), _person(["Yuri Ivanov"]))
    assert exact is not None
    assert exact.score == 0.9
    assert close is not None
    assert 0.6 < close.score < exact.score


def test_same_email_local_part_and_name_is_weak():
    evidence = compare_people(
        _person(["Yuri Ivanov"], email="yuri.ivanov@a.example"),
        _person(["Iurii Ivanov"], born=date(1991, 1, 1), email="YuriIvanov@b.example"),
    )
    assert evidence is not None
    assert evidence.reasons == ("same_email_local_part_and_name",)
    assert evidence.score == 0.4


def test_every_rule_met_is_named_and_the_strongest_scores():
    evidence = compare_people(
        _person(["Yuri Ivanov"], email="yuri@a.example", indexes=["x"]),
        _person(["Юрий Иванов"], email="yuri@b.example", indexes=["x"]),
    )
    assert evidence is not None
    assert evidence.reasons == ("same_identity_document", "same_birth_date_and_name", "same_email_local_part_and_name")
    assert evidence.score == 1.0


def test_no_rule_met_is_no_evidence():
    assert compare_people(_person(["Yuri Ivanov"]), _person(["Anna Petrova"])) is None
    assert compare_people(_person(["Yuri Ivanov"], born=None), _person(["Yuri Ivanov"], born=None)) is None
