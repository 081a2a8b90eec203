"""The blind index of an identity document number: an HMAC that allows exact matching on encrypted numbers.

The number itself is stored encrypted (Fernet, a fresh random IV each time), so two equal numbers
never have equal ciphertexts and the column cannot be filtered on. The blind index is a keyed hash of
the *normalised* number and its issuing country: equal for the same document however it was typed,
different for equal numbers issued by different countries, and useless without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

# Separators people type inside document numbers: spaces, dashes of every kind, dots, slashes.
_SEPARATOR_CATEGORIES = frozenset({"Zs", "Pd", "Po", "Cc", "Cf"})


def normalise_document_number(number: str) -> str:
    """The number as compared: NFKC, upper case, every space, dash, dot, slash and control character removed.

    >>> normalise_document_number(" ab-12 345/6 ")
    'AB123456'
    >>> normalise_document_number("ａｂ１２３")  # full-width forms fold to ASCII
    'AB123'
    """
    folded = unicodedata.normalize("NFKC", number).upper()
    return "".join(ch for ch in folded if unicodedata.category(ch) not in _SEPARATOR_CATEGORIES)


def blind_index(number: str, issuing_country: str, key: str | bytes) -> str:
    """HMAC-SHA256 (hex) of ``COUNTRY:NUMBER`` normalised; ``""`` when the number is empty after normalising.

    >>> a = blind_index("AB 123-456", "ru", "k")
    >>> a == blind_index("ab123456", "RU", "k"), a == blind_index("AB123456", "KZ", "k"), len(a)
    (True, False, 64)
    >>> blind_index(" - ", "RU", "k")
    ''
    """
    normalised = normalise_document_number(number)
    if not normalised:
        return ""
    if not key:
        raise ValueError("the blind index key is empty")
    secret = key.encode() if isinstance(key, str) else key
    message = f"{issuing_country.strip().upper()}:{normalised}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
