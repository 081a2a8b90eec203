"""System checks: refuse to look production-ready with development keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def development_keys_in_use(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from talentgate.settings import base

    found = []
    if settings.SECRET_KEY == base.INSECURE_DEV_SECRET_KEY:
        found.append("SECRET_KEY")
    if base.INSECURE_DEV_FIELD_KEY in settings.FIELD_ENCRYPTION_KEYS:
        found.append("FIELD_ENCRYPTION_KEYS")
    if settings.AUDIT_SIGNING_KEY == base.INSECURE_DEV_AUDIT_KEY:
        found.append("AUDIT_SIGNING_KEY")
    if settings.BLIND_INDEX_KEY == base.INSECURE_DEV_BLIND_INDEX_KEY:
        found.append("BLIND_INDEX_KEY")
    if settings.AUTHORITY_CALLBACK_SECRET == base.INSECURE_DEV_AUTHORITY_SECRET:
        found.append("AUTHORITY_CALLBACK_SECRET")
    return [
        Warning(
            f"{name} is the development fallback.",
            hint=f"Set {name} in the environment to a secret of your own.",
            id="talentgate.W001",
        )
        for name in found
    ]
