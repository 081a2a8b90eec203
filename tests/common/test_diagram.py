"""docs/domain.md shows the models as they are."""

from __future__ import annotations

from pathlib import Path

from talentgate.common.diagram import embed_in, mermaid_diagram

DOMAIN_DOC = Path(__file__).resolve().parents[2] / "docs" / "domain.md"


def test_diagram_has_every_model_and_relation():
    diagram = mermaid_diagram()
    assert "candidates_Profile {" in diagram
    assert "programmes_Application }o--|| candidates_Profile : profile" in diagram


def test_domain_doc_is_up_to_date():
    text = DOMAIN_DOC.read_text(encoding="utf-8")
    assert embed_in(text) == text, "docs/domain.md is stale: run `make docs`"
