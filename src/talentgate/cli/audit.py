"""``talentgate audit verify``: check every audit hash chain and its signed head."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="Inspect the tamper-evident audit trail.", no_args_is_help=True)


@app.command()
def verify(chain: list[str] = typer.Option(None, "--chain", help="Only these chains (repeatable).")) -> None:
    """Verify every chain; print the first broken entry of each broken chain and exit 1 if any."""
    from talentgate.common import audit
    from talentgate.common.models import AuditChainHead

    console = Console(stderr=False)
    breaks = audit.verify(chain or None)
    checked = len(chain) if chain else AuditChainHead.objects.count()
    if not breaks:
        console.print(f"audit: {checked} chains verified, no break found")
        return
    for problem in breaks:
        console.print(f"BROKEN {problem}", markup=False)
    console.print(f"audit: {len(breaks)} of {checked} chains broken")
    raise typer.Exit(code=1)
