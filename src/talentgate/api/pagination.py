"""Limit/offset pagination for every list the API returns: ``{"items", "count", "limit", "offset"}``.

Use it on a list operation with ``@paginate(LimitOffsetPage)`` and ``response=list[ItemOut]``;
return a queryset (ordered!) and the page is cut in the database. ``limit`` above
``MAX_LIMIT`` or below 1, or an ``offset`` below 0 or above ``MAX_OFFSET``, is refused with a 422 naming the parameter,
so declare 422 in the operation's ``error_responses``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: The largest offset accepted: a 64-bit database integer overflowed on bigger ones (a 500 on SQLite and
#: PostgreSQL alike); no list comes near it.
MAX_OFFSET = 2**31 - 1


class LimitOffsetPage(PaginationBase):
    """A page of ``limit`` items starting at ``offset``, with the total ``count``."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items there are in all pages together.")
        limit: int
        offset: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": queryset[offset : offset + limit],
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }
