"""Periodic tasks: a registry each app fills from its own ``schedule.py``, and the pass that enqueues what is due.

django-tasks has no periodic scheduler, so this is ours. An app declares its periodic work next
to the task, in ``<app>/schedule.py``::

    from talentgate.common.schedule import HOURLY, every

    every(HOURLY, "talentgate.hosts.tasks.lapse_expired_offers")

Time is cut into slots aligned on the Unix epoch (UTC): hourly slots start on the hour, daily
slots at midnight UTC plus an optional ``offset``. :func:`run_due` enqueues each entry once per
slot. The claim of a slot is one conditional ``UPDATE`` on the entry's ``ScheduledTask`` row
(``WHERE last_slot < this slot``): whichever scheduler updates the row first enqueues, any other
pass at the same time finds the slot taken and updates nothing. That holds on SQLite (one writer
at a time) and on PostgreSQL (the second ``UPDATE`` waits for the row lock, then re-reads the row
and no longer matches). The claim and the enqueue share a transaction, so a failed enqueue
leaves the slot free for the next pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules, import_string
from django_tasks.base import Task

__all__ = [
    "DAILY",
    "EVERY_5_MINUTES",
    "EVERY_15_MINUTES",
    "HOURLY",
    "DuePass",
    "Entry",
    "EntryStatus",
    "ScheduleError",
    "entries",
    "every",
    "resolve_task",
    "run_due",
    "slot_start",
    "statuses",
]

logger = logging.getLogger(__name__)

EVERY_5_MINUTES = timedelta(minutes=5)
EVERY_15_MINUTES = timedelta(minutes=15)
HOURLY = timedelta(hours=1)
DAILY = timedelta(days=1)

#: Shortest interval accepted: a pass every minute (cron's resolution) could not honour anything finer.
MIN_INTERVAL = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ScheduleError(ValueError):
    """A periodic entry that cannot be registered or run; the message names the entry and the rule."""


@dataclass(frozen=True)
class Entry:
    """One periodic task: its import path, how often, and where in the interval its slots start."""

    task_path: str
    interval: timedelta
    offset: timedelta = timedelta(0)

    def slot_start(self, now: datetime) -> datetime:
        """Start of the slot ``now`` falls in."""
        return slot_start(now, self.interval, self.offset)


_REGISTRY: dict[str, Entry] = {}
_discovered = False


def every(interval: timedelta, task_path: str, *, offset: timedelta = timedelta(0)) -> Entry:
    """Register ``task_path`` (a django-tasks task taking no arguments) to be enqueued once per ``interval``.

    ``offset`` shifts the slots, e.g. ``every(DAILY, ..., offset=timedelta(hours=3))`` runs at 03:00 UTC.
    Registering the same path again with the same timing is harmless; with another timing it is an error.
    """
    if interval < MIN_INTERVAL:
        raise ScheduleError(f"{task_path}: interval must be at least {MIN_INTERVAL}, got {interval}.")
    if not timedelta(0) <= offset < interval:
        raise ScheduleError(f"{task_path}: offset must be at least 0 and less than the interval ({interval}).")
    entry = Entry(task_path=task_path, interval=interval, offset=offset)
    known = _REGISTRY.get(task_path)
    if known is not None and known != entry:
        raise ScheduleError(f"{task_path}: already scheduled every {known.interval}; declare it once.")
    _REGISTRY[task_path] = entry
    return entry


def entries() -> list[Entry]:
    """Every registered entry, by task path; imports each installed app's ``schedule`` module the first time."""
    global _discovered
    if not _discovered:
        autodiscover_modules("schedule")
        _discovered = True
    return sorted(_REGISTRY.values(), key=lambda entry: entry.task_path)


def slot_start(now: datetime, interval: timedelta, offset: timedelta = timedelta(0)) -> datetime:
    """Start of the slot of length ``interval`` (shifted by ``offset``) that contains ``now``."""
    if now.tzinfo is None:
        raise ScheduleError("now must carry a time zone (use django.utils.timezone.now()).")
    since_epoch = now - _EPOCH - offset
    return now - (since_epoch % interval)


def resolve_task(entry: Entry) -> Task:
    """The django-tasks task an entry names; :class:`ScheduleError` if the path is not one."""
    try:
        target = import_string(entry.task_path)
    except ImportError as error:
        raise ScheduleError(f"{entry.task_path}: cannot be imported ({error}).") from error
    if not isinstance(target, Task):
        raise ScheduleError(f"{entry.task_path}: is not a task (decorate it with @task()).")
    return target


@dataclass
class DuePass:
    """What one pass did: the task paths it enqueued and those whose enqueue failed (with the reason)."""

    enqueued: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def _ensure_rows(paths: list[str]) -> None:
    from talentgate.common.models import ScheduledTask

    # ignore_conflicts: another scheduler may create the same rows at the same moment; the unique path wins once.
    ScheduledTask.objects.bulk_create([ScheduledTask(task_path=path) for path in paths], ignore_conflicts=True)


def run_due(now: datetime, *, only: list[Entry] | None = None) -> DuePass:
    """Enqueue every entry whose current slot has not been enqueued yet, each at most once per slot.

    ``only`` restricts the pass to some entries (default: all registered). One failing entry does
    not stop the others; it is reported in :attr:`DuePass.failed` and stays due.
    """
    from talentgate.common.models import ScheduledTask

    chosen = entries() if only is None else only
    _ensure_rows([entry.task_path for entry in chosen])
    outcome = DuePass()
    for entry in chosen:
        slot = entry.slot_start(now)
        try:
            with transaction.atomic():
                claimed = (
                    ScheduledTask.objects.filter(task_path=entry.task_path)
                    .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
                    .update(last_slot=slot, last_enqueued_at=now)
                )
                if not claimed:
                    continue
                resolve_task(entry).enqueue()
        except Exception as error:
            logger.exception("schedule.enqueue_failed", extra={"task": entry.task_path})
            outcome.failed[entry.task_path] = f"{type(error).__name__}: {error}"
            continue
        outcome.enqueued.append(entry.task_path)
    return outcome


@dataclass(frozen=True)
class EntryStatus:
    """An entry with its last enqueue and the next time a pass will enqueue it."""

    entry: Entry
    last_enqueued_at: datetime | None
    next_run: datetime


def statuses(now: datetime) -> list[EntryStatus]:
    """Every registered entry with its last and next run, for ``talentgate schedule list``."""
    from talentgate.common.models import ScheduledTask

    registered = entries()
    rows = {
        row.task_path: row
        for row in ScheduledTask.objects.filter(task_path__in=[entry.task_path for entry in registered])
    }
    result = []
    for entry in registered:
        row = rows.get(entry.task_path)
        slot = entry.slot_start(now)
        # Due now (the next pass enqueues it) unless this slot was already enqueued.
        taken = row is not None and row.last_slot is not None and row.last_slot >= slot
        result.append(
            EntryStatus(
                entry=entry,
                last_enqueued_at=row.last_enqueued_at if row is not None else None,
                next_run=slot + entry.interval if taken else now,
            )
        )
    return result
