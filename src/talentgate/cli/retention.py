"""``talentgate retention report | apply``: the retention periods of personal data, a dry run first."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="Retention of personal data: report what is past its period (dry run), then apply.")


@app.command()
def report(as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Say, per record type, how many rows are past their period and which profiles are kept and why; changes
    nothing but records the dry run."""
    from talentgate.privacy.retention import retention_report

    result = retention_report(record=True)
    _print(result.as_dict(), as_json)


@app.command()
def apply(as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Delete (profiles: erase) every record past its period, skipping what a legal hold or an open
    authority decision keeps."""
    from talentgate.privacy.retention import apply_retention

    _print(apply_retention().as_dict(), as_json)


def _print(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    mode = "dry run" if result["dry_run"] else "applied"
    typer.echo(f"retention ({mode}):")
    days = result["days"]
    due = result["due"]
    done = result["done"]
    if not (isinstance(days, dict) and isinstance(due, dict) and isinstance(done, dict)):
        raise TypeError("a retention report holds dicts of days, due and done")
    for key, period in days.items():
        line = f"  {key}: {due.get(key, 0)} past {period} days"
        if key in done:
            line += f", {done[key]} removed"
        typer.echo(line)
    for kept in result["kept"] or []:  # type: ignore[attr-defined]
        typer.echo(f"  kept profile {kept['profile_id']}: {', '.join(kept['rules'])}")
