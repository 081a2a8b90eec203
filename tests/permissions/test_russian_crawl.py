"""Every page of the permission matrix, for each role allowed on it, rendered in Russian: no English left.

The matrix already knows every page (each ``GET`` endpoint that is not the API), which actors may open it and
on which object of its world; this crawl reuses both. Each page is fetched with a Russian browser and its
visible text (tags stripped; ``<script>``/``<style>`` dropped; ``title``/``placeholder``/``aria-label``/``alt``
and button values kept) is checked for

* any English message id of the catalogue whose Russian differs from it (the page forgot to translate it), and
* any raw code (``permit_granted``, ``host_admin``): a stored code shown instead of its label.

What is English on purpose is marked in the template, not here: an element with ``lang="en"`` (an ESCO label,
which has no Russian source, WCAG 3.1.2 "language of parts") or ``translate="no"`` (a code, a file name, a
proper name) is skipped with everything inside it. The world's own data (titles, names, terms and questions
typed in English by the people who made the objects, read from ``entries/*.py``) is removed before the check.
Allowances, each justified where it is made: ``ALLOWED_MSGIDS``; commands and addresses (``talentgate
analytics refresh``, ``otpauth://...``); and the admin's record rows and filter values (stored data and each
model's ``__str__``, internal labels of ids and codes); the admin's own text, model and field names are checked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from permission_matrix import entries
from permission_matrix.harness import ANONYMOUS, STAFF_WITHOUT_PERMISSIONS, Endpoint
from permission_matrix.world import ACTOR_ROLES

import talentgate

pytestmark = pytest.mark.django_db

CATALOGUE = Path(talentgate.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"
RUSSIAN = {"HTTP_ACCEPT_LANGUAGE": "ru"}

ENTRIES = Path(entries.__file__).parent


@cache
def world_data() -> tuple[str, ...]:
    """Text the world's builders typed (``entries/*.py``): titles, names, terms, questions, reasons.

    People's own words are shown as they wrote them, in any language; a page repeating them is not
    untranslated. Taken from the string literals of the entries that read as text: several words, or one
    capitalised word (a name), or a file name. Longest first, so a title goes before a word inside it.
    """
    found: set[str] = set()
    for source in ENTRIES.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        # Docstrings, endpoint labels and exemptions describe the matrix; no page shows them.
        skipped = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        skipped |= {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "label"}
        skipped |= {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Exempt"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skipped:
                continue
            text = node.value.strip()
            is_name = re.fullmatch(r"[A-Z][a-z]+", text) is not None
            is_file_name = re.fullmatch(r"[\w-]+\.(?:pdf|png|jpe?g|txt|docx?)", text) is not None
            if is_name or is_file_name or (" " in text and re.search(r"[A-Za-z]{3}", text)):
                found.add(text)
    return tuple(sorted(found, key=len, reverse=True))


#: Catalogue message ids that also occur, untranslated and rightly so, inside other text.
ALLOWED_MSGIDS = {
    # Latin-script codes and names that are the same in Russian (the catalogue keeps them as they are).
}

#: Attributes whose value a person sees or hears (a screen reader reads aria-label and alt).
SPOKEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
SILENT_ELEMENTS = frozenset({"script", "style", "template"})
RAW_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: What a person types or follows, not reads: URIs, e-mail addresses, paths and ``talentgate`` commands.
ADDRESS = re.compile(
    r"\b[a-z][a-z0-9+.-]*://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<!\w)/[\w/.-]*|\btalentgate(?: [a-z][a-z-]*)+"
)


class _VisibleText(HTMLParser):
    """Collects what a reader sees, leaving out silent elements and parts marked English or untranslatable."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool, str]] = []

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped, _id in self._stack)

    def _inside(self, element_id: str) -> bool:
        return any(open_id == element_id for _tag, _skipped, open_id in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = (values.get("lang") or "").lower()
        skipped = (
            tag in SILENT_ELEMENTS
            or (tag != "html" and bool(language) and not language.startswith("ru"))
            or values.get("translate") == "no"
            or (tag == "input" and values.get("type") == "hidden")
            # The admin's records: rows of a change list and the values offered by its filters are stored
            # data and each model's __str__ (ids and codes, also used in logs), not interface text; the
            # admin's headings, column names, filter titles and model names are checked.
            or (tag == "tbody" and self._inside("result_list"))
            or (tag == "li" and self._inside("changelist-filter"))
        )
        if not skipped and not self._skipping():
            self.parts.extend(values[name] or "" for name in SPOKEN_ATTRIBUTES if values.get(name))
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.parts.append(values["value"] or "")
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, skipped, values.get("id") or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # Pop to the matching open tag; an unmatched end tag (browsers ignore it) changes nothing.
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's visible text, one space between pieces."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def _msgid_pattern(msgid: str) -> re.Pattern[str] | None:
    """A word-bounded pattern for ``msgid``, placeholders inside it as short wildcards.

    None when its text around the placeholders has no English word of three letters or more
    ("%(kind)s of %(date)s" says nothing a Russian page could not contain).
    """
    pieces = re.split(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}", re.sub(r"\s+", " ", msgid.strip()))
    while pieces and not pieces[0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1].strip():
        pieces.pop()
    if pieces:
        pieces[0], pieces[-1] = pieces[0].lstrip(), pieces[-1].rstrip()
    if not re.search(r"[A-Za-z]{3}", "".join(pieces)):
        return None
    return re.compile(r"(?<![\w-])" + r".{1,60}?".join(re.escape(piece) for piece in pieces) + r"(?![\w-])")


@cache
def english_msgids() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every catalogue message id whose Russian differs from it, with its pattern."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="ru")
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings or msgid in ALLOWED_MSGIDS:
                continue
            pattern = _msgid_pattern(msgid)
            if pattern is not None:
                found.append((msgid, pattern))
    return tuple(found)


def _in_context(text: str, match: re.Match[str]) -> str:
    start, end = match.span()
    return f"{text[max(0, start - 40) : start]}[[{match.group()}]]{text[end : end + 40]}"


def english_left(text: str) -> list[str]:
    """The English message ids and raw codes found in ``text`` (each with its surroundings).

    The world's own data, e-mail addresses and web addresses are removed first: they are not the interface.
    """
    for data in world_data():
        text = text.replace(data, " ")
    text = ADDRESS.sub(" ", text)
    found = []
    for msgid, pattern in english_msgids():
        match = pattern.search(text)
        if match:
            found.append(f"msgid {msgid!r}: {_in_context(text, match)}")
    for match in RAW_CODE.finditer(text):
        found.append(f"code {match.group()!r}: {_in_context(text, match)}")
    return found


def _readers(endpoint: Endpoint) -> Iterator[str]:
    """One actor per role allowed on ``endpoint``: the owner side first (they see the most of the object)."""
    seen_roles = set()
    for actor in sorted(endpoint.allowed, key=lambda a: (a.startswith("other_"), a)):
        if actor == STAFF_WITHOUT_PERMISSIONS:
            continue
        role = ACTOR_ROLES.get(actor, ANONYMOUS)
        if role not in seen_roles:
            seen_roles.add(role)
            yield actor


#: Admin pages of third-party apps, which ship no Russian catalogue (django-otp's devices, django-tasks'
#: results): Django's own admin text is Russian there; their model and field names are not ours to translate.
THIRD_PARTY_ADMIN = ("admin:otp_static_", "admin:otp_totp_", "admin:django_tasks_database_")

PAGES = [
    (endpoint, actor)
    for module in entries.load()
    for endpoint in module.ENDPOINTS
    if endpoint.method == "GET" and not endpoint.is_api and not endpoint.url_name.startswith(THIRD_PARTY_ADMIN)
    for actor in _readers(endpoint)
]


@pytest.mark.parametrize(("endpoint", "actor"), PAGES, ids=[f"{e.id} as {a}" for e, a in PAGES])
def test_page_shows_no_english_in_russian(matrix_world, endpoint, actor):
    response = matrix_world.client_for(actor).get(endpoint.path(matrix_world), **RUSSIAN)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"not an HTML page: {response.status_code} {response.get('Content-Type')}")
    html = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    found = english_left(visible_text(html))
    assert found == [], f"{endpoint.path(matrix_world)} as {actor}:\n" + "\n".join(found)


def test_visible_text_skips_what_is_marked_english_or_untranslatable():
    html = (
        '<html lang="ru"><head><title>Дела</title><script>var no_code = 1;</script></head>'
        '<body><p>Статус: <span lang="en">Software developers</span> <code translate="no">permit_granted</code>'
        '<img src="x.png" alt="Логотип"><input type="hidden" value="case_id"><input type="submit" value="Save">'
        "</p></body></html>"
    )
    assert visible_text(html) == "Дела Статус: Логотип Save"


def test_english_left_finds_msgids_with_placeholders_and_raw_codes():
    found = english_left("Дело: permit_granted; Staff of Orbital Works")
    assert "msgid 'Staff of %(name)s': Дело: permit_granted; [[Staff of]] Orbital Works" in found
    assert "code 'permit_granted': Дело: [[permit_granted]]; Staff of Orbital Works" in found
    assert english_left("Сотрудники организации Orbital Works; host.admin@matrix.test") == []


def test_what_the_world_typed_is_not_taken_for_the_interface():
    assert "Two-year contract." in world_data()
    assert english_left("Условия: Two-year contract.") == []


def test_admin_rows_and_filter_values_are_data_but_its_headings_are_checked():
    html = (
        '<div id="changelist-filter"><h3>Этап</h3><ul><li><a>case 4 (permit_granted)</a></li></ul></div>'
        '<table id="result_list"><thead><tr><th>Relocation case</th></tr></thead>'
        "<tbody><tr><td>case 4 (permit_granted)</td></tr></tbody></table>"
    )
    assert visible_text(html) == "Этап Relocation case"


def test_addresses_and_commands_are_not_taken_for_text():
    assert english_left("Ссылка otpauth://totp/x%40matrix.test?period=30 (talentgate analytics refresh)") == []
