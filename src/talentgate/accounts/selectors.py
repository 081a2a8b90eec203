"""Reads on accounts that leave the app: API tokens (with the owner check) and the key lookup for bearer auth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from talentgate.accounts.models import ApiToken, User
from talentgate.accounts.services import API_KEY_PREFIX, hash_api_key
from talentgate.common.errors import NotFound

# ``last_used`` is bookkeeping shown to the owner, not evidence: refreshing it at most once a
# minute keeps a busy script from turning every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_tokens_visible_to(actor: Any) -> QuerySet[ApiToken]:
    """The actor's own tokens (administrators manage other people's in the admin site)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=actor.pk)


def get_api_token_for(actor: Any, token_id: int) -> ApiToken:
    """One of the actor's tokens; ``NotFound`` for a missing token and for someone else's alike."""
    token = api_tokens_visible_to(actor).select_related("user").filter(pk=token_id).first()
    if token is None:
        raise NotFound("API token")
    return token


def user_for_api_key(raw_key: str) -> User | None:
    """The active user an unrevoked key belongs to, or ``None``; refreshes the token's ``last_used``."""
    if not raw_key or not raw_key.startswith(API_KEY_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_api_key(raw_key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
