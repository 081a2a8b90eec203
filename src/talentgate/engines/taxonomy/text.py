"""Text folding shared by indexing and queries: case, Unicode forms, punctuation and Cyrillic transliteration.

Russian is folded to Latin letters (a plain letter-by-letter table, ё as е) so that character
n-grams can meet across scripts where words are cognates ("астрофизик" -> "astrofizik" shares
most trigrams with "astrophysicist") and so that one vectoriser serves both languages.

>>> fold("Инженер-двигателист (ЖРД)")
'inzhener dvigatelist zhrd'
>>> fold("  GN&C   Engineer ")
'gn&c engineer'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "has_cyrillic", "transliterate"]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TRANSLATION = str.maketrans(_CYRILLIC)
# Keep letters, digits and the joiners that carry meaning in titles (c++, c#, gn&c, tt&c).
_SEPARATORS = re.compile(r"[^\w+#&]+")


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` contains a Cyrillic letter."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def transliterate(text: str) -> str:
    """Lower-case ``text`` and spell its Cyrillic letters in Latin ones."""
    return text.lower().translate(_TRANSLATION)


def fold(text: str) -> str:
    """The form every label and query is compared in: NFKC, lower case, transliterated, punctuation as spaces."""
    normal = unicodedata.normalize("NFKC", text)
    return " ".join(_SEPARATORS.sub(" ", transliterate(normal)).split()).strip()
