"""Time a case spends in a stage with its clock running: wall time minus the clock pauses that overlap it.

Pauses may overlap one another (two requests for information open at once); overlapping
stretches count once. A pause still open counts up to the end of the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone


def paused_seconds(pauses: Iterable[tuple[datetime, datetime | None]], start: datetime, end: datetime) -> int:
    """Seconds of ``[start, end]`` covered by at least one pause ``(started_at, ended_at or None)``.

    >>> from datetime import UTC
    >>> t = lambda h: datetime(2026, 1, 1, h, tzinfo=UTC)
    >>> paused_seconds([(t(1), t(3)), (t(2), t(4)), (t(6), None)], t(0), t(8))
    18000
    """
    clipped = sorted(
        (max(begin, start), min(finish or end, end))
        for begin, finish in pauses
        if begin < end and (finish is None or finish > start)
    )
    total, current_start, current_end = 0.0, None, None
    for begin, finish in clipped:
        if finish <= begin:
            continue
        if current_end is None or begin > current_end:
            if current_end is not None and current_start is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = begin, finish
        else:
            current_end = max(current_end, finish)
    if current_end is not None and current_start is not None:
        total += (current_end - current_start).total_seconds()
    return int(total)


def stage_clock(case: object, start: datetime, end: datetime | None = None) -> tuple[int, int]:
    """``(active_seconds, paused_seconds)`` of ``case`` between ``start`` and ``end`` (default now)."""
    end = end or timezone.now()
    pauses = case.clock_pauses.filter(started_at__lt=end).values_list("started_at", "ended_at")  # type: ignore[attr-defined]
    wall = max(0, int((end - start).total_seconds()))
    paused = min(wall, paused_seconds(pauses, start, end))
    return wall - paused, paused
