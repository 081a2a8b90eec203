"""Labels for people: occupations and skills (the curated Russian term, else ESCO's English label marked as
English) and money in the reader's format."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from talentgate.portal.templatetags.portal_labels import concept_label, money


def test_a_curated_russian_term_is_shown_for_a_synonym_listed_title():
    with translation.override("ru"):
        assert concept_label("Propulsion engineer", "2144") == (
            'Инженер-двигателист <span class="muted">ISCO-08 2144</span>'
        )


def test_an_esco_label_without_a_russian_term_stays_english_and_says_so():
    with translation.override("ru"):
        assert concept_label("software developer", "2512") == (
            '<span lang="en">software developer</span> <span class="muted">ISCO-08 2512</span>'
        )
    with translation.override("en"):
        assert concept_label("software developer") == "software developer"


def test_money_follows_the_readers_number_and_currency_format():
    with translation.override("en"):
        assert money(Decimal("85000"), "EUR") == "€85,000.00"
    with translation.override("ru"):
        assert money(Decimal("85000"), "EUR") == "85\xa0000,00\xa0€"
    assert money(None, "EUR") == ""
