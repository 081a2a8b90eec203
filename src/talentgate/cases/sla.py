"""Stage deadlines (SLAs) of relocation cases: the arithmetic, the due-soon and overdue queries, escalation.

A case's deadline in its current stage is ``entered_at + SLA + time paused`` since it entered
the stage: while a request for information waits on the candidate or the host, the clock stands
still and the deadline moves with it. Each stage's SLA and its due-soon warning come from a
:class:`~talentgate.cases.models.StageDeadline` row for the case's programme, else a row with no
programme (platform-wide), else :data:`DEFAULT_STAGE_DEADLINES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class StageSla:
    """How long a stage may take (``days``) and how many days before the end a case counts as due soon."""

    days: int
    warning_days: int


#: Shipped defaults per stage, in calendar days. They are the programme's service targets, not legal
#: time limits; administrators override them per programme (or for all programmes) with StageDeadline rows.
#: Terminal stages (closed, withdrawn, rejected, permit_refused) have no deadline.
DEFAULT_STAGE_DEADLINES: dict[str, StageSla] = {
    "opened": StageSla(days=14, warning_days=3),  # officer prepares the case (checklist complete)
    "prepared": StageSla(days=5, warning_days=2),  # approval by a second person
    "approved": StageSla(days=5, warning_days=2),  # hand-off to the authority
    "submitted": StageSla(days=60, warning_days=10),  # the authority's decision
    "permit_granted": StageSla(days=30, warning_days=7),  # relocation starts
    "relocating": StageSla(days=90, warning_days=14),  # arrival
    "arrived": StageSla(days=190, warning_days=14),  # follow-up at six months
    "follow_up_6m": StageSla(days=190, warning_days=14),  # follow-up at twelve months
    "follow_up_12m": StageSla(days=30, warning_days=7),  # closing the case
}


class DeadlineState(StrEnum):
    """Where a case stands against its stage deadline."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


Interval = tuple[datetime, datetime | None]


def paused_within(pauses: Iterable[Interval], since: datetime, now: datetime) -> timedelta:
    """Total paused time between ``since`` and ``now``: pauses clipped to that span, overlaps counted once.

    An open pause (end ``None``) runs until ``now``. Two requests for information open at the
    same time pause the clock once, not twice.

    >>> from datetime import datetime as dt
    >>> paused_within([(dt(2026, 1, 2), dt(2026, 1, 4)), (dt(2026, 1, 3), None)], dt(2026, 1, 1), dt(2026, 1, 6))
    datetime.timedelta(days=4)
    """
    clipped = sorted(
        (max(start, since), min(end or now, now)) for start, end in pauses if min(end or now, now) > max(start, since)
    )
    total = timedelta(0)
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in clipped:
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return total


@dataclass(frozen=True)
class Deadline:
    """One case's deadline in its current stage, as of ``now``.

    ``paused`` is the clock time excluded so far; while ``is_paused`` the due date keeps moving
    with the clock, so a paused case never becomes overdue while it waits.
    """

    stage: str
    entered_at: datetime
    sla: StageSla
    paused: timedelta
    is_paused: bool
    now: datetime

    @property
    def due_at(self) -> datetime:
        return self.entered_at + timedelta(days=self.sla.days) + self.paused

    @property
    def due_soon_from(self) -> datetime:
        return self.due_at - timedelta(days=self.sla.warning_days)

    @property
    def active_time(self) -> timedelta:
        """Time in the stage with the clock running (the pauses left out)."""
        return self.now - self.entered_at - self.paused

    @property
    def state(self) -> DeadlineState:
        if self.now > self.due_at:
            return DeadlineState.OVERDUE
        if self.now >= self.due_soon_from:
            return DeadlineState.DUE_SOON
        return DeadlineState.ON_TRACK


def deadline_from(
    stage: str, entered_at: datetime, sla: StageSla, pauses: Iterable[Interval], now: datetime
) -> Deadline:
    """The deadline of a case that entered ``stage`` at ``entered_at`` and was paused during ``pauses``."""
    pauses = list(pauses)
    is_paused = any(start <= now and (end is None or end > now) for start, end in pauses)
    return Deadline(
        stage=stage,
        entered_at=entered_at,
        sla=sla,
        paused=paused_within(pauses, entered_at, now),
        is_paused=is_paused,
        now=now,
    )
