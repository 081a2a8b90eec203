"""``talentgate analytics refresh | status``: rebuild the dashboard's summaries now, and show the one in use."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    help="Analytics summaries: refresh them now, or see which one the dashboard reads.", no_args_is_help=True
)


@app.command()
def refresh() -> None:
    """Recount every dashboard figure into new summaries (the scheduler also does this hourly); exit 1 without
    counting while another refresh is running."""
    from talentgate.analytics.refresh import RefreshRunning, refresh_summaries

    console = Console(highlight=False)
    try:
        with console.status("Counting the dashboard's figures..."):
            done = refresh_summaries()
    except RefreshRunning as running:
        console.print(f"analytics: not refreshed: {running}; the dashboard keeps its current summaries")
        raise typer.Exit(code=1) from None
    console.print(
        f"analytics: summaries as of {done.started_at:%Y-%m-%d %H:%M:%S} UTC, "
        f"{done.rows:,} rows in {done.seconds:.1f} s"
    )


@app.command()
def status() -> None:
    """Say when the summaries the dashboard reads were counted; exit 1 if none has been refreshed yet."""
    from talentgate.analytics.summaries import latest_refresh

    console = Console(highlight=False)
    done = latest_refresh()
    if done is None:
        console.print("analytics: no summary yet; the dashboard counts live until `talentgate analytics refresh` runs")
        raise typer.Exit(code=1)
    console.print(
        f"analytics: summaries as of {done.started_at:%Y-%m-%d %H:%M:%S} UTC, "
        f"{done.rows:,} rows, refreshed in {done.seconds:.1f} s"
    )
