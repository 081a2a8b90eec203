"""Normaliser, synonym list and build heuristics on small hand-made inputs (the full taxonomy is for `normalise eval`)."""

from __future__ import annotations

import pytest

from talentgate.engines.taxonomy.build import _CutModel, _split_occupation_block, singular
from talentgate.engines.taxonomy.concepts import Concept, Taxonomy
from talentgate.engines.taxonomy.normaliser import Normaliser
from talentgate.engines.taxonomy.synonyms import SYNONYMS_PATH, SynonymError, load_synonyms, parse_synonyms
from talentgate.engines.taxonomy.text import fold

AEROSPACE = "http://data.europa.eu/esco/occupation/aero"
NURSE = "http://data.europa.eu/esco/occupation/nurse"
BAKER = "http://data.europa.eu/esco/occupation/baker"


def _small_taxonomy() -> Taxonomy:
    concepts = {
        AEROSPACE: Concept(AEROSPACE, "occupation", "aerospace engineer", ("aeronautical engineer",)),
        NURSE: Concept(NURSE, "occupation", "nurse responsible for general care", ("general nurse",)),
        BAKER: Concept(BAKER, "occupation", "baker", ("bread maker",)),
    }
    concepts[AEROSPACE].synonyms.extend(["propulsion engineer", "rocket engine designer", "инженер-двигателист"])
    return Taxonomy(concepts, {}, [])


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser(_small_taxonomy())


def test_rocket_engine_designer_and_propulsion_engineer_meet(normaliser):
    first = normaliser.normalise("senior rocket engine designer", kind="occupation", top=1)
    second = normaliser.normalise("propulsion engineer (liquid engines)", kind="occupation", top=1)
    assert first[0].uri == second[0].uri == AEROSPACE


def test_russian_and_misspelled_titles_find_their_concept(normaliser):
    assert normaliser.normalise("Инженер-двигателист", top=1)[0].uri == AEROSPACE
    assert normaliser.normalise("aeronautcal enginer", top=1)[0].uri == AEROSPACE
    assert normaliser.normalise("generl nurse", top=1)[0].uri == NURSE


def test_a_phrase_with_no_good_match_returns_nothing(normaliser):
    assert normaliser.normalise("zzz qqq", top=3) == []
    assert normaliser.normalise("   ", top=3) == []


def test_bad_arguments_are_refused_by_name(normaliser):
    with pytest.raises(ValueError, match="kind: must be one of occupation, skill"):
        normaliser.normalise("baker", kind="hobby")
    with pytest.raises(ValueError, match="top: must be at least 1"):
        normaliser.normalise("baker", top=0)


def test_fold_transliterates_and_strips_punctuation():
    assert fold("Инженер-баллистик, ЦУП") == "inzhener ballistik tsup"
    assert fold("C++ / TT&C") == "c++ tt&c"


def test_shipped_synonym_list_is_valid_and_rocket_titles_share_a_concept():
    entries = {e.id: e for e in load_synonyms(SYNONYMS_PATH)}
    assert "rocket engine designer" in entries["propulsion-engineer"].en
    assert entries["propulsion-engineer"].uri == entries["aerospace-engineer-titles"].uri
    assert all(e.rationale for e in entries.values())
    assert sum(len(e.ru) for e in entries.values()) >= 100


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"id": "X", "kind": "skill", "en": ["a"], "rationale": "r", "label": "l"},
            r"entries\[0\]\.id: must be kebab-case",
        ),
        ({"id": "x", "kind": "hobby", "en": ["a"], "rationale": "r"}, r"entries\[0\]\.kind: must be one of"),
        (
            {"id": "x", "kind": "skill", "en": ["a"], "rationale": "r"},
            r"entries\[0\]\.label: required when esco is null",
        ),
        (
            {
                "id": "x",
                "kind": "skill",
                "esco": "http://data.europa.eu/esco/occupation/1",
                "en": ["a"],
                "rationale": "r",
            },
            r"entries\[0\]\.esco: must be an ESCO skill URI",
        ),
        ({"id": "x", "kind": "skill", "label": "l", "en": ["a"]}, r"entries\[0\]\.rationale: required"),
    ],
)
def test_synonym_list_errors_name_the_entry_and_rule(entry, message):
    with pytest.raises(SynonymError, match=message):
        parse_synonyms({"entries": [entry]})


def test_unknown_esco_uri_is_refused():
    entry = {"id": "x", "kind": "skill", "esco": "http://data.europa.eu/esco/skill/nope", "en": ["a"], "rationale": "r"}
    with pytest.raises(SynonymError, match="not an ESCO skill in the bundled tables"):
        parse_synonyms({"entries": [entry]}, {"skill": set(), "occupation": set()})


def test_build_splits_the_description_from_an_occupation_label_block():
    tokens = [
        "technical",
        "director",
        "head",
        "of",
        "technical",
        "Technical",
        "directors",
        "realise",
        "the",
        "artistic",
        "visions.",
    ]
    assert _split_occupation_block(tokens) == (5, 2)
    assert [singular(w) for w in ("directors", "saleswomen", "glass")] == ["director", "saleswoman", "glass"]


def test_build_cuts_a_label_block_where_an_ending_word_meets_a_starting_word():
    model = _CutModel()
    for block in (["bake", "bread"], ["make", "bread"], ["bake", "cakes"], ["make", "cakes"]):
        model.observe_block(block)
        model.observe_opener(block[0])
    model.refit([], [["bake", "bread"], ["make", "cakes"]])
    assert model.cut(["bake", "bread", "make", "bread"]) == [["bake", "bread"], ["make", "bread"]]


def test_the_build_cache_is_keyed_by_settings_and_honours_the_cache_directory(monkeypatch, tmp_path):
    from talentgate.engines.taxonomy.normaliser import NormaliserSettings, _cache_path

    monkeypatch.setenv("TALENTGATE_CACHE_DIR", str(tmp_path))
    default, other = _cache_path(NormaliserSettings()), _cache_path(NormaliserSettings(min_score=0.5))
    assert default.parent == tmp_path
    assert default != other
    assert default == _cache_path(NormaliserSettings())


def test_docstring_examples_of_the_fast_modules_run():
    import doctest

    from talentgate.engines.taxonomy import build, text

    for module in (build, text):
        failures, attempted = doctest.testmod(module)
        assert attempted > 0, module.__name__
        assert failures == 0, module.__name__
