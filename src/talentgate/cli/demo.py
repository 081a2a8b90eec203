"""``talentgate demo serve | load | export``: the demo programme, from an empty database to a running site.

``serve`` is what ``make demo`` runs: migrate if needed, load the demo if it is not there,
print one login per role (with the staff's authenticator keys; ``otp`` prints a staff login's
current code), then run the web server and one task worker. ``load`` fills (or
tops up) the database with N generated candidates; ``export`` writes N generated canonical
profiles as JSONL without touching any database.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TextIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

app = typer.Typer(help="The demo programme: serve it, load it at any scale, export its profiles.", no_args_is_help=True)

DEFAULT_CANDIDATES = 5_000
MAX_CANDIDATES = 1_000_000


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _check_count(candidates: int) -> None:
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise typer.BadParameter(
            f"must be between 1 and {MAX_CANDIDATES:,}, not {candidates}", param_hint="'--candidates'"
        )


def _load(console: Console, candidates: int, seed: int, batch_size: int) -> None:
    from talentgate.common.errors import DomainError
    from talentgate.demo.loader import demo_state, load_demo

    state = demo_state()
    if state is not None and int(state["seed"]) != seed:
        console.print(
            f"[red]refused:[/red] the database holds a demo generated with seed {state['seed']}; "
            f"reset it (--reset) to load seed {seed}",
            highlight=False,
        )
        raise typer.Exit(code=1)
    have = int(state["candidates"]) if state else 0
    todo = max(0, candidates - have)
    with _progress(console) as progress:
        task = progress.add_task("Loading demo candidates", total=todo or 1)
        try:
            report = load_demo(
                candidates,
                seed=seed,
                batch_size=batch_size,
                on_progress=lambda n: progress.advance(task, n),
            )
        except DomainError as exc:
            console.print(f"[red]refused:[/red] {exc}", highlight=False)
            raise typer.Exit(code=1) from exc
        if not todo:
            progress.update(task, completed=1)
    rate = report.candidates_added / report.seconds if report.seconds and report.candidates_added else 0.0
    console.print(
        f"demo: {report.candidates_added:,} candidates added ({report.candidates_total:,} in all), "
        f"{report.applications_added:,} applications, {report.transitions_added:,} history rows, "
        f"{report.offers_added:,} offers, {report.cases_added:,} relocation cases in {report.seconds:.1f} s"
        + (f" ({rate:,.0f} candidates/s)" if rate else ""),
        highlight=False,
    )


@app.command()
def load(
    candidates: int = typer.Option(DEFAULT_CANDIDATES, "--candidates", "-n", help="Candidates in the demo pool."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same people."),
    reset: bool = typer.Option(False, "--reset", help="Wipe the database first."),
    batch_size: int = typer.Option(5_000, "--batch-size", min=100, max=50_000, help="Candidates per transaction."),
) -> None:
    """Load the demo programme with N candidates (adds only those missing; migrates first if needed)."""
    from talentgate.demo.serve import migrate_if_needed, reset_database

    _check_count(candidates)
    console = Console(highlight=False)
    if reset:
        console.print(f"reset: {reset_database()}")
    if migrate_if_needed():
        console.print("database migrated")
    _load(console, candidates, seed, batch_size)


@contextmanager
def _open_output(path: str) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream


@app.command()
def export(
    file: str = typer.Argument(..., help="Output JSONL file, or '-' for standard output."),
    candidates: int = typer.Option(DEFAULT_CANDIDATES, "--candidates", "-n", help="How many profiles."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same people."),
    as_of: str = typer.Option(None, "--as-of", help="Date the careers end on (YYYY-MM-DD; default today)."),
) -> None:
    """Write N generated canonical profiles as JSONL, each validated; touches no database."""
    from talentgate.canonical import CandidateProfile
    from talentgate.canonical.interchange import Format, write_profiles
    from talentgate.demo.generator import generate_candidates

    _check_count(candidates)
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError as exc:
        raise typer.BadParameter(f"'{as_of}' is not a date (YYYY-MM-DD)", param_hint="'--as-of'") from exc
    if day > date.today():
        raise typer.BadParameter("must not be in the future (profiles refuse future dates)", param_hint="'--as-of'")
    console = Console(stderr=True, highlight=False)
    with _progress(console) as progress, _open_output(file) as stream:
        progress.disable = not console.is_terminal
        task = progress.add_task("Exporting demo profiles", total=candidates)

        def profiles() -> Iterator[CandidateProfile]:
            for candidate in generate_candidates(candidates, seed=seed, as_of=day):
                yield CandidateProfile.model_validate(candidate.profile)
                progress.advance(task)

        written = write_profiles(profiles(), Format.JSONL, stream)
    if file != "-":
        console.print(f"demo: {written:,} profiles written to {file}")


def _logins_table() -> Table:
    from talentgate.accounts.roles import Role
    from talentgate.demo.catalogue import DEMO_LOGINS, DEMO_PASSWORD
    from talentgate.demo.second_factor import ensure_demo_authenticators

    keys = ensure_demo_authenticators()
    table = Table(
        title="Demo logins (one per role); staff also enter a code: add the key to an authenticator app, "
        "or run `talentgate demo otp EMAIL`",
        title_justify="left",
    )
    table.add_column("role")
    table.add_column("e-mail")
    table.add_column("password")
    table.add_column("authenticator key (demo only)")
    table.add_column("note")
    for login in DEMO_LOGINS:
        note = "admin site" if login.is_staff else ""
        if login.organisation:
            note = f"organisation: {login.organisation}"
        if login.is_superuser:
            note = "superuser, admin site"
        table.add_row(str(Role(login.role).label), login.email, DEMO_PASSWORD, keys.get(login.email, ""), note)
    return table


@app.command()
def otp(login: str = typer.Argument(..., help="A demo staff login's e-mail address, or its role (officer).")) -> None:
    """Print the current second-factor code of a demo staff login (the demo's stand-in for an authenticator app)."""
    from talentgate.demo.second_factor import demo_code, ensure_demo_authenticators

    ensure_demo_authenticators()
    try:
        code = demo_code(login)
    except LookupError as exc:
        typer.echo(f"refused: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(code)


@app.command()
def serve(
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port on 127.0.0.1."),
    reset: bool = typer.Option(False, "--reset", help="Wipe the database and load the demo again."),
    candidates: int = typer.Option(DEFAULT_CANDIDATES, "--candidates", "-n", help="Candidates in a fresh demo."),
    seed: int = typer.Option(1, "--seed", help="Seed of a fresh demo."),
) -> None:
    """Prepare the demo (migrate, load once) and serve it on 127.0.0.1:PORT with one background task worker."""
    from talentgate.demo.loader import demo_state
    from talentgate.demo.serve import migrate_if_needed, port_in_use, reset_database, run_processes

    started = time.monotonic()
    _check_count(candidates)
    console = Console(highlight=False)
    if not console.is_terminal:
        # A log file or pipe gets the whole table: e-mails and passwords must not be cut to fit 80 columns.
        console = Console(highlight=False, width=160)
    if port_in_use(port):
        console.print(f"[red]port {port} is already in use on 127.0.0.1;[/red] stop that server or pass --port")
        raise typer.Exit(code=1)
    if reset:
        console.print(f"reset: {reset_database()}")
    if migrate_if_needed():
        console.print("database migrated")
    state = demo_state()
    if state is None:
        _load(console, candidates, seed, 5_000)
    else:
        console.print(
            f"demo already loaded ({int(state['candidates']):,} candidates, seed {state['seed']}); "
            "`make demo RESET=1` rebuilds it"
        )
    console.print(_logins_table())

    def serving(url: str) -> None:
        console.print(
            f"[bold green]serving[/bold green] {url} (admin: {url}admin/) with one task worker, "
            f"ready {time.monotonic() - started:.1f} s after start; Ctrl-C stops both"
        )

    raise typer.Exit(code=run_processes(port, on_serving=serving))
