"""``talentgate key generate | rotate``: field-encryption keys (FIELD_ENCRYPTION_KEYS, newest first)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

app = typer.Typer(help="Field-encryption keys: generate a new key, re-encrypt stored values under the newest.")
_console = Console(soft_wrap=True)


@app.command()
def generate() -> None:
    """Print a new random key (it is not stored anywhere: put it first in FIELD_ENCRYPTION_KEYS yourself)."""
    from talentgate.ops.keys import generate_key

    typer.echo(generate_key())


@app.command()
def rotate(
    batch_size: int = typer.Option(500, "--batch-size", min=1, max=100_000, help="Rows per transaction."),
    restart: bool = typer.Option(False, "--restart", help="Ignore an interrupted run's cursor and start over."),
) -> None:
    """Re-encrypt every encrypted field under the first key; resumes after an interruption, idempotent."""
    from talentgate.common.errors import DomainError
    from talentgate.ops.keys import rotate_field_keys

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=_console
    ) as progress:
        task = progress.add_task("re-encrypting rows", total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_batch(label: str, rows: int) -> None:
            progress.update(task, advance=rows, description=f"re-encrypting {label}")

        try:
            report = rotate_field_keys(batch_size=batch_size, restart=restart, on_start=on_start, on_batch=on_batch)
        except DomainError as error:
            for problem in error.errors:
                _console.print(f"error: {problem.field}: {problem.message} [{problem.rule}]", markup=False)
            raise typer.Exit(code=1) from None
    how = "resumed" if report.resumed else "run"
    _console.print(
        f"key rotate: {how} #{report.job_id}: {report.rows_seen} rows read, {report.rotated} values re-encrypted, "
        f"{report.already_current} already under the newest key",
        markup=False,
    )
    if report.unreadable:
        for where in report.unreadable:
            _console.print(f"UNREADABLE {where}: no configured key decrypts it (left unchanged)", markup=False)
        raise typer.Exit(code=1)
    _console.print("Every value is under the newest key: the older keys may now be dropped.")
