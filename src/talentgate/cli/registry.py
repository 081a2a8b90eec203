"""``talentgate registry load | check``: fill the cooperation registry from its shipped files, and report its gaps."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Load and check the international cooperation registry.", no_args_is_help=True)


@app.command()
def load(
    overwrite_local_edits: bool = typer.Option(
        False, "--overwrite-local-edits", help="Also reset rows administrators changed to the shipped values."
    ),
) -> None:
    """Load the shipped registry files (idempotent: a second run changes nothing); exit 2 on a bad file."""
    from talentgate.cooperation.loader import RegistryDataError, load_registry

    console = Console()
    try:
        report = load_registry(None, overwrite_local_edits=overwrite_local_edits)
    except RegistryDataError as error:
        Console(stderr=True).print(f"registry: {error}", markup=False)
        raise typer.Exit(code=2) from None
    console.print(
        f"registry: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.kept_local_edits} kept as edited by administrators"
    )


@app.command()
def check() -> None:
    """Report countries without an M49 region, undated memberships and unsourced entries; exit 1 if any."""
    from talentgate.cooperation.completeness import PROBLEM_KINDS, registry_problems

    console = Console(width=160)
    problems = registry_problems()
    if not problems:
        console.print("registry: no missing region, undated membership or unsourced entry")
        return
    table = Table(title="Cooperation registry problems")
    table.add_column("problem")
    table.add_column("entry")
    table.add_column("what")
    table.add_column("detail")
    for problem in problems:
        table.add_row(problem.kind, problem.entry, problem.label, problem.detail)
    console.print(table)
    counts = ", ".join(f"{sum(p.kind == kind for p in problems)} {kind}" for kind in PROBLEM_KINDS)
    console.print(f"registry: {len(problems)} problems ({counts})")
    raise typer.Exit(code=1)
