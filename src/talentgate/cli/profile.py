"""``talentgate profile schema | import FILE | export``: the canonical profile's JSON Schema and bulk import/export.

Formats: JSON (a list of profiles), JSONL (one profile a line) and CSV (one profile a row:
``format_version``, ``id``, ``identity.<field>`` columns with ``identity.citizenships`` as a
JSON list, ``h_index``, then each list section (``education``, ``work_history``,
``language_tests``...) and ``extensions`` as a JSON-encoded cell; an empty cell means "not given").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from talentgate.canonical.interchange import (
    CSV_COLUMNS,
    Format,
    ParsedRecord,
    RecordError,
    detect_format,
    read_profiles,
)

app = typer.Typer(
    help="The canonical candidate profile: its JSON Schema, import and export (JSON, JSONL, CSV).",
    no_args_is_help=True,
)

EXIT_REFUSED = 1
EXIT_PARTIAL = 3
MAX_ERRORS_SHOWN = 200

_CSV_HELP = (
    "CSV layout: one profile a row with the columns "
    + ", ".join(CSV_COLUMNS)
    + "; identity.citizenships and every list section (and extensions) hold JSON; an empty cell means not given."
)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield stream


@app.command()
def schema(
    output: str = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Print the published JSON Schema (draft 2020-12) of the canonical profile."""
    from talentgate.canonical import profile_json_schema

    with _output(output) as stream:
        stream.write(json.dumps(profile_json_schema(), indent=2, ensure_ascii=False))
        stream.write("\n")


def _read_source(file: str) -> tuple[str, str]:
    if file == "-":
        return sys.stdin.read(), "-"
    path = Path(file)
    if not path.is_file():
        _stderr().print(f"profile import: no such file: {file}", markup=False)
        raise typer.Exit(code=2)
    return path.read_text(encoding="utf-8-sig"), path.name


def _print_errors(console: Console, errors: list[RecordError]) -> None:
    for error in errors[:MAX_ERRORS_SHOWN]:
        console.print(f"  {error}", markup=False)
    if len(errors) > MAX_ERRORS_SHOWN:
        console.print(f"  ... and {len(errors) - MAX_ERRORS_SHOWN} more errors", markup=False)


@app.command(name="import", epilog=_CSV_HELP)
def import_(
    file: str = typer.Argument(..., help="Profiles file, or - for standard input."),
    fmt: Format = typer.Option(
        None, "--format", "-f", help="json, jsonl or csv (default: from the file name or content)."
    ),
    per_row: bool = typer.Option(
        False, "--per-row", help="Import the valid records and report the rejected ones (default: all or nothing)."
    ),
) -> None:
    """Import profiles; an existing id is updated.

    By default the whole file is refused if any record is invalid: every error is listed with its record number (and line), the field path and the rule broken, and nothing is written (exit 1).

    With --per-row the valid records are imported and the rejected ones reported (exit 3 if any were rejected).
    """
    from django.db import DatabaseError

    from talentgate.candidates import services
    from talentgate.common.errors import DomainError

    console = _stderr()
    text, name = _read_source(file)
    chosen = fmt or detect_format(name, text[:1000])
    records: list[ParsedRecord] = []
    with _progress(console) as progress:
        reading = progress.add_task(f"validating {chosen.value}", total=None)
        for record in read_profiles(text, chosen):
            records.append(record)
            progress.advance(reading)
    errors = [error for record in records for error in record.errors]
    valid = [record.profile for record in records if record.profile is not None]
    rejected = [record for record in records if record.errors]
    if errors and not per_row:
        console.print(
            f"profile import: refused: {len(rejected)} of {len(records)} records are invalid; nothing was written.",
            markup=False,
        )
        _print_errors(console, errors)
        raise typer.Exit(code=EXIT_REFUSED)
    if not valid:
        console.print("profile import: no valid profile to import; nothing was written.", markup=False)
        _print_errors(console, errors)
        raise typer.Exit(code=EXIT_REFUSED)
    try:
        with _progress(console) as progress:
            writing = progress.add_task("importing", total=len(valid))
            summary = services.import_profiles(None, valid, on_progress=lambda n: progress.advance(writing, n))
    except (DomainError, DatabaseError) as error:
        console.print(f"profile import: refused by the database, nothing was written: {error}", markup=False)
        raise typer.Exit(code=EXIT_REFUSED) from None
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"profile import: {len(valid)} profiles imported ({len(summary.created)} created, {len(summary.updated)} updated)",
        markup=False,
    )
    if summary.updated:
        shown = ", ".join(summary.updated[:20]) + (" ..." if len(summary.updated) > 20 else "")
        out.print(f"updated existing ids: {shown}", markup=False)
    if rejected:
        console.print(f"profile import: {len(rejected)} records rejected and not imported:", markup=False)
        _print_errors(console, errors)
        raise typer.Exit(code=EXIT_PARTIAL)


@app.command(epilog=_CSV_HELP)
def export(
    fmt: Format = typer.Option(
        None, "--format", "-f", help="json, jsonl or csv (default: from --output's name, else json)."
    ),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    ids: list[str] = typer.Option(None, "--id", help="Only these profile ids (repeatable)."),
) -> None:
    """Export profiles in the canonical format, ordered by id (every profile unless --id is given)."""
    from talentgate.candidates.models import Profile
    from talentgate.candidates.selectors import canonical_profiles
    from talentgate.canonical.interchange import write_profiles
    from talentgate.common.errors import DomainError

    console = _stderr()
    chosen = fmt or (detect_format(output, "[") if output and output != "-" else Format.JSON)
    profiles = Profile.objects.all()
    if ids:
        profiles = profiles.filter(external_id__in=ids)
        missing = sorted(set(ids) - set(profiles.values_list("external_id", flat=True)))
        if missing:
            console.print(f"profile export: no profile with id {', '.join(missing)}", markup=False)
            raise typer.Exit(code=EXIT_REFUSED)
    total = profiles.count()
    try:
        with _output(output) as stream, _progress(console) as progress:
            task = progress.add_task("exporting", total=total)

            def counted() -> Iterator:
                for profile in canonical_profiles(profiles):
                    yield profile
                    progress.advance(task)

            written = write_profiles(counted(), chosen, stream)
    except DomainError as error:
        console.print(f"profile export: stopped: {error}", markup=False)
        raise typer.Exit(code=EXIT_REFUSED) from None
    if output and output != "-":
        console.print(f"profile export: {written} profiles written to {output} ({chosen.value})", markup=False)
