"""``talentgate assess --policy ID [--on DATE] [--format jsonl|csv] [--lang en|ru] FILE``: score profiles from the shell.

Reads canonical profiles (JSON, JSONL or CSV, from a file or ``-`` for standard input) and
writes one assessment record per profile (:mod:`talentgate.engines.rules.records`; its JSON
Schema with ``--schema``). Profiles are read, derived and evaluated in chunks (vectorized per
chunk), so a pool of any size streams through in bounded memory; JSONL input is read chunk
by chunk, JSON and CSV as a whole file. A record that is not a valid profile is reported on
standard error (record, line, field, rule) and skipped; the exit status is then 1.

Framework-free: reads only the canonical format and the rules engine (no database).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from talentgate.canonical.interchange import Format, ParsedRecord, RecordError, detect_format, read_profiles
from talentgate.engines.rules import PolicyInvalid, PolicyNotFound, get_policy
from talentgate.engines.rules.policy_inputs import derive_for_policy
from talentgate.engines.rules.records import RECORD_FIELDS, RECORD_SCHEMA, iter_records
from talentgate.engines.rules.schema import Policy
from talentgate.engines.rules.vectorized import evaluate_columns

#: Profiles read, derived and evaluated together. A validated profile holds ~56 KB in memory, so
#: 2,000 keeps a run near 300 MB whatever the file size; larger chunks are no faster.
CHUNK_SIZE = 2_000
OUTPUT_FORMATS = ("jsonl", "csv")
LANGUAGES = ("en", "ru")
#: Refusals and warnings printed one by one; beyond this only their number.
MAX_REPORTED = 100


@dataclass
class AssessSummary:
    """What one run did: records written, profiles refused (with their problems), derivation warnings."""

    written: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _jsonl_records(source: Iterable[str], chunk_size: int) -> Iterator[ParsedRecord]:
    """Read JSONL ``chunk_size`` lines at a time, numbering records and lines across chunks."""
    line_offset = record_offset = 0
    while True:
        lines = list(itertools.islice(source, chunk_size))
        if not lines:
            return
        last = None
        for record in read_profiles("".join(lines), Format.JSONL):
            record.number += record_offset
            if record.line is not None:
                record.line += line_offset
            record.errors = [replace(e, record=record.number, line=record.line) for e in record.errors]
            last = record.number
            yield record
        line_offset += len(lines)
        record_offset = last if last is not None else record_offset


def parsed_records(source: TextIO, name: str, chunk_size: int = CHUNK_SIZE) -> Iterator[ParsedRecord]:
    """Every record of ``source`` (format from ``name``'s extension, else from its first character)."""
    head = source.read(1)
    while head and head.isspace():
        head = source.read(1)
    fmt = detect_format(name, head)
    if fmt is Format.JSONL:
        yield from _jsonl_records(_prepend(head, source), chunk_size)
    else:
        yield from read_profiles(head + source.read(), fmt)


def _prepend(head: str, source: TextIO) -> Iterator[str]:
    first = head + source.readline()
    if first:
        yield first
    yield from source


def _csv_row(record: dict[str, Any]) -> list[str]:
    cells = []
    for key in RECORD_FIELDS:
        value = record[key]
        if isinstance(value, list | dict):
            cells.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        else:
            cells.append(str(value))
    return cells


def _json_line(record: dict[str, Any], encoded: dict[str, str]) -> str:
    """The record as one JSON line; everything after the id is encoded once per inputs hash."""
    key = record["inputs_hash"]
    rest = encoded.get(key)
    if rest is None:
        body = {k: v for k, v in record.items() if k != "id"}
        rest = encoded[key] = json.dumps(body, ensure_ascii=False, separators=(",", ":"))[1:]
    return '{"id":' + json.dumps(record["id"], ensure_ascii=False) + "," + rest + "\n"


def assess_stream(
    source: TextIO,
    name: str,
    out: TextIO,
    policy: Policy,
    on: dt.date,
    *,
    output_format: str = "jsonl",
    lang: str = "en",
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> AssessSummary:
    """Assess every profile of ``source`` under ``policy`` on ``on`` and write one record each to ``out``."""
    summary = AssessSummary()
    writer = csv.writer(out, lineterminator="\n") if output_format == "csv" else None
    if writer is not None:
        writer.writerow(RECORD_FIELDS)
    seen: dict[str, int] = {}
    # Same derived inputs, same record but the id: explained and encoded once per run.
    records_cache: dict[tuple[str, str, int], dict[str, Any]] = {}
    encoded: dict[str, str] = {}
    records = parsed_records(source, name, chunk_size)
    while True:
        chunk = list(itertools.islice(records, chunk_size))
        if not chunk:
            break
        profiles = []
        for record in chunk:
            if record.profile is None:
                summary.refused += 1
                summary.problems.extend(str(error) for error in record.errors)
            elif record.profile.id in seen:
                # read_profiles finds repeats within one chunk; this finds them across chunks, in its words.
                summary.refused += 1
                message = f"id '{record.profile.id}' already appears in record {seen[record.profile.id]}"
                summary.problems.append(str(RecordError(record.number, record.line, "id", "duplicate_id", message)))
            else:
                seen[record.profile.id] = record.number
                profiles.append(record.profile)
        if profiles:
            derived = derive_for_policy(policy, profiles, on)
            summary.warnings.extend(
                f"profile {profiles[row].id}: {path}: {message} (counted as missing)"
                for row, path, message in derived.problems
            )
            assessment = evaluate_columns(derived.columns, policy)
            for line in iter_records(assessment, [p.id for p in profiles], on, lang, cache=records_cache):
                if writer is not None:
                    writer.writerow(_csv_row(line))
                else:
                    out.write(_json_line(line, encoded))
            summary.written += len(profiles)
        if progress is not None:
            progress(len(chunk))
    return summary


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def assess(
    file: str | None = typer.Argument(None, help="Profiles (JSON, JSONL or CSV), or '-' for standard input."),
    policy_id: str | None = typer.Option(
        None, "--policy", help="Policy id, e.g. canada-crs (see talentgate policy list)."
    ),
    on: str | None = typer.Option(
        None, "--on", help="Assessment date (YYYY-MM-DD; default today): picks the version in force."
    ),
    output_format: str = typer.Option("jsonl", "--format", help="Output: jsonl (one JSON object a line) or csv."),
    lang: str = typer.Option("en", "--lang", help="Language of the reasons: en or ru."),
    chunk_size: int = typer.Option(CHUNK_SIZE, "--chunk-size", help="Profiles evaluated together.", min=1),
    schema: bool = typer.Option(False, "--schema", help="Print the JSON Schema of an output line and exit."),
) -> None:
    """Assess canonical profiles under a policy: one record per profile, with reasons and missing inputs."""
    if schema:
        typer.echo(json.dumps(RECORD_SCHEMA, indent=2))
        return
    if output_format not in OUTPUT_FORMATS:
        raise _fail(f"--format: '{output_format}' is not one of {', '.join(OUTPUT_FORMATS)}")
    if lang not in LANGUAGES:
        raise _fail(f"--lang: '{lang}' is not one of {', '.join(LANGUAGES)}")
    if not policy_id:
        raise _fail("--policy: give a policy id (talentgate policy list shows them)")
    if file is None:
        raise _fail("FILE: give a profiles file, or '-' to read standard input")
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        raise _fail(f"--on: '{on}' is not a date (YYYY-MM-DD)") from None
    try:
        policy = get_policy(policy_id, on=day)
    except (PolicyNotFound, PolicyInvalid) as error:
        raise _fail(f"--policy: {error}") from None
    try:
        source: TextIO = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        raise _fail(f"FILE: cannot read '{file}': {error.strerror}") from None
    console = Console(stderr=True, highlight=False)
    bar = Progress(
        TextColumn("Assessing under {task.fields[policy]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    try:
        with bar:
            task = bar.add_task("assess", total=None, policy=f"{policy.id} {policy.version}")
            summary = assess_stream(
                source,
                file,
                sys.stdout,
                policy,
                day,
                output_format=output_format,
                lang=lang,
                chunk_size=chunk_size,
                progress=lambda done: bar.advance(task, done),
            )
    finally:
        if source is not sys.stdin:
            source.close()
    sys.stdout.flush()
    for message in summary.warnings[:MAX_REPORTED]:
        typer.echo(f"warning: {message}", err=True)
    for message in summary.problems[:MAX_REPORTED]:
        typer.echo(message, err=True)
    if len(summary.problems) > MAX_REPORTED:
        typer.echo(f"... and {len(summary.problems) - MAX_REPORTED:,} more refused records", err=True)
    typer.echo(
        f"assess: {summary.written:,} assessed under {policy.id} {policy.version} on {day.isoformat()}"
        + (f", {summary.refused:,} refused" if summary.refused else ""),
        err=True,
    )
    if summary.refused:
        raise typer.Exit(code=1)
