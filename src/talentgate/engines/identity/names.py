"""Name search keys across scripts: case-folded, accents stripped, transliterated to Latin, and Russian
romanisation variants folded together, so that "Ivanov", "IWANOW" and "Иванов" give the same key, as do
"Yuri", "Iurii", "Yurij" and "Юрий".

Transliteration is anyascii (ISC licence), which covers Cyrillic, Greek, Arabic, CJK and the other scripts
(Arabic comes out without short vowels, as Arabic is written: a native Arabic name is found by its
transliteration ``mhmd``, the Latin spelling by itself). The folding then maps the spellings the common
romanisation systems disagree on (ICAO 9303 passports, BGN/PCGN, English and German habits) to one form:
``x`` → ``ks``, ``kh`` → ``h``, ``w`` → ``v``, ``ye``/``je`` → ``e``, ``yo`` after a consonant → ``e``,
``y``/``j`` → ``i``, apostrophes (soft and hard signs) dropped, doubled letters written once. The key is
for *finding* people (recall first); it is never shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['\"`\u2019\u02bc\u02b9\u02ba]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_CONSONANT_YO = re.compile(r"(?<=[bcdfghklmnpqrstvz])[yj]o")
_DOUBLED = re.compile(r"(.)\1+")
# Han ideographs and Hangul syllables: one syllable each, written together in a romanised name
# ("Weiming") but apart in a search ("Wei"), so the key holds both the word and its syllables.
_SYLLABIC = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# Applied in order, each to the result of the one before.
_VARIANTS: tuple[tuple[str, str], ...] = (
    ("x", "ks"),
    ("tch", "ch"),
    ("kh", "h"),
    ("w", "v"),
    ("ye", "e"),
    ("je", "e"),
)


def _fold_token(token: str) -> str:
    for old, new in _VARIANTS:
        token = token.replace(old, new)
    token = _CONSONANT_YO.sub("e", token)
    token = token.replace("y", "i").replace("j", "i")
    return _DOUBLED.sub(r"\1", token)


def name_tokens(text: str) -> list[str]:
    """The folded words of ``text``, in order.

    >>> name_tokens("Юрий Иванов"), name_tokens("IURII  Ivanov"), name_tokens("Yuri Iwanow")
    (['iuri', 'ivanov'], ['iuri', 'ivanov'], ['iuri', 'ivanov'])
    >>> name_tokens("Наталья Ильич-Фёдорова"), name_tokens("Natalia Ilyich-Fyodorova")
    (['natalia', 'ilich', 'fedorova'], ['natalia', 'ilich', 'fedorova'])
    >>> name_tokens("José Müller"), name_tokens("王伟")
    (['iose', 'muler'], ['vangvei'])
    """
    latin = anyascii(unicodedata.normalize("NFKC", text)).lower()
    latin = _APOSTROPHES.sub("", latin)
    return [_fold_token(word) for word in _NOT_ALNUM.split(latin) if word]


def fold_name(text: str) -> str:
    """The folded words of ``text`` joined by single spaces (what similarity is computed on).

    >>> fold_name("  Ivanov, Yuri ") == fold_name("ИВАНОВ Юрий")
    True
    """
    return " ".join(name_tokens(text))


def name_search_key(names: Iterable[str]) -> str:
    """The stored search key of a person with these name fields: every distinct folded word, sorted,
    with a space before each (so a search can match the start of any word with ``contains(" " + term)``).

    >>> name_search_key(["Yuri", "Ivanov", "Юрий", "Иванов"])
    ' iuri ivanov '
    >>> name_search_key(["王伟"]), name_search_key(["Wang Wei"])
    (' vang vangvei vei ', ' vang vei ')
    >>> name_search_key(["", " "])
    ''
    """
    words: set[str] = set()
    for name in names:
        words.update(name_tokens(name))
        words.update(token for char in _SYLLABIC.findall(name) for token in name_tokens(char))
    return f" {' '.join(sorted(words))} " if words else ""


def search_terms(query: str) -> list[str]:
    """The folded, distinct words of a search query, in order; a person matches when every word
    starts one of the words of their key.

    >>> search_terms("ИВАНОВ  yuri ivanov")
    ['ivanov', 'iuri']
    """
    return list(dict.fromkeys(name_tokens(query)))
