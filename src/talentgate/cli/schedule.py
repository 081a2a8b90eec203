"""``talentgate schedule run-due | list | loop``: the periodic tasks of talentgate.common.schedule.

``run-due`` is one pass (for cron or a systemd timer, every minute); ``loop`` runs a pass every
``--interval`` seconds until SIGTERM or Ctrl-C (for a service, or the demo); ``list`` shows each
entry with its interval and its last and next run. Passes are safe to run from several hosts at once:
each slot of each task is enqueued once.
"""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime, timedelta
from types import FrameType

import typer

app = typer.Typer(help="Periodic tasks: enqueue what is due, list the schedule.", no_args_is_help=True)


def _interval_text(interval: timedelta) -> str:
    seconds = int(interval.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {seconds} seconds"


def _entry_interval_text(interval: timedelta, offset: timedelta) -> str:
    if not offset:
        return _interval_text(interval)
    if interval == timedelta(days=1):
        minutes = int(offset.total_seconds()) // 60
        return f"every day at {minutes // 60:02d}:{minutes % 60:02d} UTC"
    return f"{_interval_text(interval)} +{int(offset.total_seconds())}s"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "never"


def _one_pass(*, say_when_idle: bool = True) -> int:
    from django.utils import timezone

    from talentgate.common.schedule import run_due

    outcome = run_due(timezone.now())
    for path in outcome.enqueued:
        typer.echo(f"enqueued {path}")
    for path, reason in outcome.failed.items():
        typer.echo(f"failed {path}: {reason}", err=True)
    if say_when_idle and not outcome.enqueued and not outcome.failed:
        typer.echo("nothing due")
    return 1 if outcome.failed else 0


@app.command(name="run-due")
def run_due_command() -> None:
    """Enqueue every periodic task whose slot has come; exit 1 if any enqueue failed (the others still go)."""
    raise typer.Exit(_one_pass())


@app.command(name="list")
def list_command() -> None:
    """Each periodic task with its interval, last enqueue and next run (UTC)."""
    from django.utils import timezone

    from talentgate.common.schedule import statuses

    now = timezone.now()
    table = [
        (
            row.entry.task_path,
            _entry_interval_text(row.entry.interval, row.entry.offset),
            _when(row.last_enqueued_at.astimezone(UTC) if row.last_enqueued_at else None),
            "due now" if row.next_run <= now else _when(row.next_run.astimezone(UTC)),
        )
        for row in statuses(now)
    ]
    header = ("task", "interval", "last run", "next run")
    widths = [max(len(line[column]) for line in [header, *table]) for column in range(3)]
    for line in [header, *table]:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[3])


@app.command()
def loop(
    interval: float = typer.Option(
        60.0, "--interval", min=1.0, max=3600.0, help="Seconds between passes (at most a minute keeps slots on time)."
    ),
) -> None:
    """Run a pass every ``--interval`` seconds until SIGTERM or Ctrl-C; a failed pass is reported and the loop goes on."""
    from django.db import close_old_connections

    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.is_set():
            # A long-lived process: drop a connection the database closed since the last pass.
            close_old_connections()
            try:
                # Quiet when nothing was due: a line a minute would drown the demo's console.
                _one_pass(say_when_idle=False)
            except Exception as error:
                typer.echo(f"pass failed: {type(error).__name__}: {error}", err=True)
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("scheduler stopped")
