"""The Russian catalogue is complete and its compiled .mo (committed, so no gettext is needed to run) is current."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import talentgate

LC_MESSAGES = Path(talentgate.__file__).parent / "locale" / "ru" / "LC_MESSAGES"


def _catalogue():
    with (LC_MESSAGES / "django.po").open("rb") as handle:
        return read_po(handle, locale="ru")


def _messages():
    return [m for m in _catalogue() if m.id]


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [m.id for m in _messages() if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in _messages() if m.fuzzy]
    assert untranslated == [], "translate these in locale/ru/LC_MESSAGES/django.po, then `make messages`"
    assert fuzzy == [], "review these fuzzy entries, remove the flag, then `make messages`"


def test_compiled_catalogue_matches_the_po_file():
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for message in _messages():
        # An entry with a context (pgettext) is looked up under it: the same msgid may mean another thing elsewhere.
        context = message.context
        if isinstance(message.id, str):
            found = compiled.pgettext(context, message.id) if context else compiled.gettext(message.id)
            if found != message.string:
                stale.append(message.id)
        else:
            singular, plural = message.id
            found = (
                compiled.npgettext(context, singular, plural, 1) if context else compiled.ngettext(singular, plural, 1)
            )
            if found != message.string[0]:
                stale.append(singular)
    assert stale == [], "run `make messages` to recompile django.mo"


def test_plural_forms_are_russian():
    assert _catalogue().num_plurals == 4


def test_msgfmt_check_passes_with_nothing_untranslated_or_fuzzy(tmp_path):
    # GNU msgfmt is the tool that builds the .mo: its format checks (placeholders kept, plural forms) must pass.
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt not found: install gettext (deps/debian.txt, `make deps`)")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(LC_MESSAGES / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics
