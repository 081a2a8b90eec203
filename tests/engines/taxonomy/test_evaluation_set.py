"""The evaluation set is well-formed, large enough, and none of its phrases leaks from the indexed text."""

from __future__ import annotations

from talentgate.engines.taxonomy.concepts import load_taxonomy
from talentgate.engines.taxonomy.evaluation import NO_MATCH, leaked_phrases, load_evaluation


def test_has_at_least_300_titles_and_300_skills_with_space_and_russian_phrases():
    items = load_evaluation()
    titles = [i for i in items if i.kind == "occupation"]
    skills = [i for i in items if i.kind == "skill"]
    assert len(titles) >= 300
    assert len(skills) >= 300
    assert sum(i.space for i in titles) >= 50
    assert sum(i.space for i in skills) >= 50
    assert sum(any("\u0400" <= ch <= "\u04ff" for ch in i.text) for i in items) >= 60
    assert len({i.text.casefold() for i in items}) == len(items)


def test_every_expected_uri_is_a_concept_of_the_stated_kind():
    taxonomy = load_taxonomy()
    for item in load_evaluation():
        if item.expected_uri != NO_MATCH:
            assert taxonomy.get(item.expected_uri).kind == item.kind, item.text


def test_no_evaluation_phrase_appears_verbatim_in_the_indexed_text_or_the_synonym_list():
    assert leaked_phrases(load_evaluation(), load_taxonomy()) == []


def test_the_leak_check_finds_a_phrase_copied_from_a_label():
    items = load_evaluation()
    copied = type(items[0])("occupation", False, "Aerospace Engineer", "-")
    assert leaked_phrases([copied], load_taxonomy()) == ["Aerospace Engineer"]
