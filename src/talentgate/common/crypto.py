"""Encrypted model fields keyed by ``settings.FIELD_ENCRYPTION_KEYS`` (MultiFernet, newest key first).

django-fernet-encrypted-fields derives its keys from SECRET_KEY; we key encryption
separately so SECRET_KEY can change without losing data and keys can be rotated:
put a new key first, re-save the rows, drop the old key.
"""

from __future__ import annotations

from functools import cached_property

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from encrypted_fields import fields as _fields


def field_fernet() -> MultiFernet:
    """The MultiFernet built from the configured keys (first key encrypts, all decrypt)."""
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


class _SettingsKeyedMixin:
    @cached_property
    def keys(self) -> list[bytes]:
        return [key.encode() for key in settings.FIELD_ENCRYPTION_KEYS]

    @cached_property
    def f(self) -> MultiFernet:
        return field_fernet()


class EncryptedCharField(_SettingsKeyedMixin, _fields.EncryptedCharField):
    """A short secret (passport or ID number) stored encrypted; never filter or sort on it."""


class EncryptedTextField(_SettingsKeyedMixin, _fields.EncryptedTextField):
    """A longer secret stored encrypted."""


def mask(value: str | None, visible: int = 2) -> str:
    """Show only the last ``visible`` characters: ``mask("AB1234567") == "•••••••67"``."""
    if not value:
        return ""
    shown = value[-visible:] if len(value) > visible else ""
    return "•" * (len(value) - len(shown)) + shown
