"""``talentgate normalise``: ranked concepts with scores and labels, the evaluation table, and refused options."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from talentgate.cli import app
from talentgate.engines.taxonomy import normaliser as normaliser_module
from talentgate.engines.taxonomy.concepts import Concept, Taxonomy
from talentgate.engines.taxonomy.normaliser import Normaliser

AEROSPACE = "http://data.europa.eu/esco/occupation/aero"


@pytest.fixture
def small_normaliser(monkeypatch):
    concept = Concept(AEROSPACE, "occupation", "aerospace engineer", isco_group="2144")
    concept.synonyms.append("propulsion engineer")
    small = Normaliser(Taxonomy({AEROSPACE: concept}, {}, []))
    monkeypatch.setattr(normaliser_module, "default_normaliser", lambda: small)
    return small


def test_prints_ranked_matches_with_scores_labels_and_isco(small_normaliser):
    result = CliRunner().invoke(app, ["normalise", "propulsion enginer", "--kind", "occupation", "--top", "5"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("1. 0.")
    assert f"aerospace engineer  <{AEROSPACE}>  ISCO 2144" in first
    assert "matched: propulsion engineer" in result.stdout


def test_says_so_when_nothing_matches(small_normaliser):
    result = CliRunner().invoke(app, ["normalise", "qqq zzz"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "no good match"


def test_refuses_an_unknown_kind(small_normaliser):
    result = CliRunner().invoke(app, ["normalise", "baker", "--kind", "hobby"])
    assert result.exit_code == 2
    assert "--kind: must be one of occupation, skill" in result.output
