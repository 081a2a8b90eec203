"""The unread-notification count every portal page's header shows."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from talentgate.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """``notifications_unread``: a callable the template calls, so it is counted (once) only where a page shows it."""
    user = getattr(request, "user", None)

    @cache
    def count() -> int:
        return selectors.unread_count(user)

    return {"notifications_unread": count}
