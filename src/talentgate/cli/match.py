"""``talentgate match FILE``: stable allocation of a JSON instance, printed as JSON; needs no database.

The instance and result formats are documented in :mod:`talentgate.engines.matching.io`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer


def match(
    file: str = typer.Argument(..., help="Instance JSON file, or - to read standard input."),
    max_attempts: int = typer.Option(8, "--max-attempts", min=1, help="Couple orders to try before giving up."),
    seed: int = typer.Option(0, "--seed", help="Seed of the couple orders tried after the first."),
    indent: int | None = typer.Option(None, "--indent", min=0, help="Pretty-print the JSON with this indent."),
) -> None:
    """Allocate candidates to positions (deferred acceptance, couples placed as pairs) and certify stability.

    Prints {"assignment", "stable", "status", "blocking_pairs", "stats"}; a malformed instance is
    refused with exit code 2 and a message naming the entry, e.g. positions[3].capacity.
    """
    from talentgate.engines.matching.allocation import allocate
    from talentgate.engines.matching.instance import InstanceError
    from talentgate.engines.matching.io import load_instance, result_to_json

    try:
        text = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        typer.echo(f"error: {file}: cannot read ({exc.strerror or exc})", err=True)
        raise typer.Exit(code=2) from None
    started = time.perf_counter()
    try:
        parsed = load_instance(text)
        parse_seconds = time.perf_counter() - started
        result = allocate(parsed.instance, max_attempts=max_attempts, seed=seed)
    except InstanceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    document = result_to_json(parsed, result)
    document["stats"]["parse_seconds"] = round(parse_seconds, 6)
    typer.echo(json.dumps(document, indent=indent, ensure_ascii=False))
