"""The letter renderer on its own: English and Russian PDFs with the decision's facts, fonts that carry Cyrillic."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from talentgate.cases import letters
from talentgate.cases.letters import LetterContent, LetterFontMissing, find_fonts, render_letter


def content(**overrides):
    values = {
        "language": "en",
        "programme_name": "Talent Programme",
        "case_reference": "C-17",
        "candidate_name": "Anna Petrova",
        "decision_kind": "rejection",
        "decision_label": "Rejection",
        "basis": "Policy canada-crs, version 3",
        "officer_name": "Olga Officer",
        "decided_on": date(2026, 11, 24),
        "reasons": "The <salary> & the contract\ndo not match.\n\nSecond reason.",
        "reconsideration_until": date(2026, 12, 24),
        "reconsideration_days": 30,
    }
    values.update(overrides)
    return LetterContent(**values)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_english_letter_states_decision_basis_officer_date_reasons_and_window():
    pdf = render_letter(content())
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in (
        "Decision letter",
        "Anna Petrova",
        "Rejection",
        "Policy canada-crs, version 3",
        "Olga Officer",
        "Nov. 24, 2026",
        "The <salary> & the contract",
        "Second reason.",
        "within 30 days",
        "Dec. 24, 2026",
        "Request reconsideration",
    ):
        assert expected in text, expected


def test_russian_letter_is_worded_in_russian_and_keeps_cyrillic_text():
    pdf = render_letter(
        content(language="ru", candidate_name="Анна Петрова", reasons="Зарплата ниже порога.", decision_label="Отказ")
    )
    text = text_of(pdf)
    with translation.override("ru"):
        heading = gettext("Decision letter")
    assert heading in text
    assert "Анна Петрова" in text
    assert "Зарплата ниже порога." in text
    assert "Отказ" in text
    # Dates use the Russian month names from Django's own catalogue.
    assert "24 ноября 2026" in text
    assert "24 декабря 2026" in text
    assert b"DejaVuSans" in pdf


def test_approval_letter_has_no_reconsideration_section():
    text = text_of(
        render_letter(content(decision_kind="approval", decision_label="Approval", reconsideration_until=None))
    )
    assert "Reconsideration" not in text
    assert "Approval" in text


def test_same_content_gives_the_same_bytes():
    assert render_letter(content()) == render_letter(content())


def test_missing_fonts_raise_a_clear_error(monkeypatch, settings, tmp_path):
    settings.LETTER_FONT_DIR = str(tmp_path)
    monkeypatch.setattr(letters, "FONT_DIRS", ())
    with pytest.raises(LetterFontMissing, match="fonts-dejavu-core"):
        find_fonts()


def test_configured_font_folder_is_tried_first(settings, tmp_path):
    real = find_fonts()
    for path in real.values():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    settings.LETTER_FONT_DIR = str(tmp_path)
    assert find_fonts()["regular"] == tmp_path / "DejaVuSans.ttf"
