"""Canonical-format refusals in the visitor's language: the rule and path stay, English is left as written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation
from pydantic import ValidationError

from talentgate.candidates.errors import MESSAGE_SHAPES, translated_message, validation_failed
from talentgate.canonical import CandidateProfile


def _refusal(**identity):
    payload = {
        "id": "lang-1",
        "identity": {
            "given_names_latin": "Amara",
            "family_name_latin": "Okafor",
            "date_of_birth": "1990-04-12",
            "sex": "female",
            **identity,
        },
    }
    with pytest.raises(ValidationError) as caught:
        CandidateProfile.model_validate(payload)
    return caught.value


@pytest.mark.parametrize(
    ("identity", "path", "rule", "english", "russian"),
    [
        (
            {"date_of_birth": (date.today() + timedelta(days=3)).isoformat()},
            "identity.date_of_birth",
            "date_in_future",
            "date of birth is in the future",
            "дата рождения в будущем",
        ),
        (
            {"residence_country": "XX"},
            "identity.residence_country",
            "country_code",
            "'XX' is not an ISO 3166-1 alpha-2 country code (e.g. 'KZ', 'IN', 'BR')",
            "«XX» — не код страны ISO 3166-1 alpha-2 (например, «KZ», «IN», «BR»)",
        ),
    ],
)
def test_a_canonical_refusal_is_russian_with_the_same_rule_and_path(identity, path, rule, english, russian):
    error = _refusal(**identity)
    with translation.override("en"):
        assert [e.as_dict() for e in validation_failed(error).errors] == [
            {"field": path, "rule": rule, "message": english}
        ]
    with translation.override("ru"):
        assert [e.as_dict() for e in validation_failed(error).errors] == [
            {"field": path, "rule": rule, "message": russian}
        ]


def test_english_is_exactly_what_the_canonical_model_wrote():
    error = _refusal(given_names_latin="x" * 151)
    [item] = error.errors(include_url=False)
    with translation.override("en"):
        [refusal] = validation_failed(error).errors
    assert refusal.message == item["msg"] == "String should have at most 150 characters"
    with translation.override("ru"):
        assert validation_failed(error).errors[0].message == "не более 150 симв."


def test_an_unknown_message_passes_through_as_written():
    with translation.override("ru"):
        assert translated_message("a message no shape describes") == "a message no shape describes"


def test_every_shape_has_a_russian_translation():
    with translation.override("ru"):
        untranslated = [shape for shape in MESSAGE_SHAPES if translation.gettext(shape) == shape]
    assert untranslated == []
