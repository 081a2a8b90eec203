"""``talentgate manage ...``: Django's management commands under the one CLI."""

from __future__ import annotations

import typer


def manage(ctx: typer.Context) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talentgate manage", *ctx.args])
