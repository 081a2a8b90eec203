"""``talentgate report``: the analytics dashboard written to a PDF, XLSX or CSV file.

Run by the operator on the server (shell access is the credential), so it counts every figure without
a portal role; the file holds aggregates only, never a person's row. It reads the latest summaries
(``talentgate analytics refresh``) when they cover the period, and counts live otherwise.
"""

from __future__ import annotations

from pathlib import Path

import typer


def report(
    fmt: str = typer.Option(..., "--format", help="pdf, xlsx or csv (csv: one line per figure)."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write (overwritten if it exists)."),
    period: str = typer.Option("", "--period", help="2026, 2026-Q1 or 2026-01-01..2026-06-30 (default: this year)."),
    sector: str = typer.Option("", "--sector", help="A priority sector's code."),
    bloc: str = typer.Option("", "--bloc", help="A bloc's code (membership as of the period's last day)."),
    host: str = typer.Option("", "--host", help="A host organisation's id."),
    table: str = typer.Option("", "--table", help="With --format csv: only this table (header and rows)."),
    language: str = typer.Option("en", "--language", help="Language of the labels: en or ru."),
) -> None:
    """Write the analytics dashboard for the filters to a file."""
    from django.utils import translation

    from talentgate.analytics import services
    from talentgate.analytics.filters import parse_filters
    from talentgate.analytics.summaries import current_dashboard
    from talentgate.common.errors import ValidationFailed

    fmt = fmt.lower()
    if fmt not in services.FORMATS:
        raise typer.BadParameter("choose pdf, xlsx or csv", param_hint="'--format'")
    if table and fmt != "csv":
        raise typer.BadParameter("--table goes with --format csv only", param_hint="'--table'")
    if language not in ("en", "ru"):
        raise typer.BadParameter("choose en or ru", param_hint="'--language'")
    with translation.override(language):
        try:
            filters = parse_filters(period, sector, bloc, host or None)
            dashboard = current_dashboard(filters)
            content = services.table_csv(dashboard, table) if table else services.render_dashboard(dashboard, fmt)[0]
        except ValidationFailed as failed:
            for error in failed.errors:
                typer.echo(f"--{error.field or 'input'}: {error.message} [{error.rule}]", err=True)
            raise typer.Exit(code=2) from None
    try:
        output.write_bytes(content)
    except OSError as exc:
        typer.echo(f"--output: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(code=2) from None
    source = (
        f"figures as of {dashboard.counted_at:%Y-%m-%d %H:%M} UTC"
        if dashboard.from_summary
        else f"counted live: {dashboard.live_reason}"
    )
    typer.echo(f"Wrote {output} ({len(content):,} bytes, {filters.period_label}; {source}).")
