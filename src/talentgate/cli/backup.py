"""``talentgate backup --output DIR|FILE`` and ``talentgate restore FILE [--force]``: one checksummed archive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

_console = Console(soft_wrap=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=_console)


def _file_progress(progress: Progress) -> Callable[[str, int, int], None]:
    """A progress callback whose bar appears with the first file (a refusal before then shows no empty bar)."""
    tasks: dict[str, TaskID] = {}

    def on_progress(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task("uploaded files", total=total)
        progress.update(tasks[phase], completed=done, total=total)

    return on_progress


def _refusal(error: Exception) -> typer.Exit:
    from talentgate.common.errors import DomainError

    if isinstance(error, DomainError):
        for problem in error.errors:
            _console.print(f"error: {problem.field}: {problem.message} [{problem.rule}]", markup=False)
    return typer.Exit(code=1)


def backup(
    output: Path = typer.Option(
        ..., "--output", "-o", help="A directory (the archive gets a dated name) or the archive's file name."
    ),
) -> None:
    """Back up the database, the uploaded files and the audit-chain heads into one .tar.gz with a manifest."""
    from talentgate.common.errors import DomainError
    from talentgate.ops.backup import create_backup

    with _progress() as progress:
        on_progress = _file_progress(progress)
        try:
            report = create_backup(output, on_progress=on_progress)
        except DomainError as error:
            raise _refusal(error) from None
    _console.print(
        f"backup: {report.path} ({report.manifest['database']['vendor']} database, "
        f"{report.media_files} files, {report.audit_chains} audit chains)",
        markup=False,
    )


def restore(
    archive: Path = typer.Argument(..., exists=True, dir_okay=False, help="An archive made by `talentgate backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a database that already holds data."),
) -> None:
    """Restore a backup into an empty database (stop the web server and worker first), then verify the audit chains."""
    from talentgate.common.errors import DomainError
    from talentgate.ops.backup import restore_backup

    with _progress() as progress:
        on_progress = _file_progress(progress)
        try:
            report = restore_backup(archive, force=force, on_progress=on_progress)
        except DomainError as error:
            raise _refusal(error) from None
    manifest = report.manifest
    _console.print(
        f"restore: {manifest['database']['vendor']} database of {manifest['created_at']}, "
        f"{report.media_restored} files restored ({report.media_left_in_place} other files left in place)",
        markup=False,
    )
    for warning in report.warnings:
        _console.print(f"warning: {warning}", markup=False)
    if report.unapplied_migrations:
        _console.print(
            f"note: {len(report.unapplied_migrations)} newer migrations to apply: run `talentgate manage migrate`",
            markup=False,
        )
    for chain in report.heads_differing:
        _console.print(f"HEAD MISMATCH {chain}: the restored head differs from the archived one", markup=False)
    for problem in report.chain_breaks:
        _console.print(f"BROKEN {problem}", markup=False)
    if not report.ok:
        raise typer.Exit(code=1)
    _console.print(f"audit: {manifest['counts']['audit_chains']} chains match the archived heads and verify")
