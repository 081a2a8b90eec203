"""Encrypted model fields keyed by ``settings.FIELD_ENCRYPTION_KEYS`` (MultiFernet, newest key first).

django-fernet-encrypted-fields derives its keys from SECRET_KEY; we key encryption
separately so SECRET_KEY can change without losing data and keys can be rotated:
put a new key first, run ``talentgate key rotate`` (talentgate.ops.keys), drop the old key.
A field reads the keys once per process (restart after changing them); tests that change
the setting get fresh keys through the ``setting_changed`` receiver below.
"""

from __future__ import annotations

from functools import cached_property

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


def forget_cached_keys() -> None:
    """Make every encrypted field of every model read ``FIELD_ENCRYPTION_KEYS`` afresh on its next use."""
    from django.apps import apps

    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, _SettingsKeyedMixin):
                model_field.__dict__.pop("keys", None)
                model_field.__dict__.pop("f", None)


@receiver(setting_changed, dispatch_uid="talentgate.crypto.keys_changed")
def _keys_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        forget_cached_keys()


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
