"""Every object a service says it cannot find is named in Russian too (NotFound's noun, context "object")."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import pgettext

import talentgate
from talentgate.common.errors import NotFound

SOURCE = Path(talentgate.__file__).parent
NOT_FOUND_CALL = re.compile(r'\bNotFound\(\s*"([^"]+)"\s*\)')


def _nouns() -> set[str]:
    return {
        noun
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        for noun in NOT_FOUND_CALL.findall(path.read_text(encoding="utf-8"))
    }


def test_every_noun_given_to_not_found_has_a_russian_name():
    nouns = _nouns()
    assert {"case", "call", "suspected duplicate"} <= nouns
    with translation.override("ru"):
        untranslated = sorted(noun for noun in nouns if pgettext("object", noun) == noun)
    assert untranslated == [], "add these to OBJECT_NAMES in common/errors.py, then `make messages`"


def test_the_refusal_reads_in_russian():
    with translation.override("ru"):
        assert NotFound("call").errors[0].message == "Не найдено: конкурс."
