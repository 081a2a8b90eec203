"""The ``talentgate`` command line: one singular noun per domain (``profile``, ``policy``, ``audit``, ``demo``...).

Each noun lives in its own module with its own Typer app; Django is set up once in
the root callback, so subcommand modules import models inside their functions.
"""

from __future__ import annotations

import os

import typer

from talentgate.cli import (
    analytics,
    assess,
    audit,
    authority,
    backup,
    demo,
    duplicate,
    key,
    manage,
    match,
    normalise,
    policy,
    profile,
    registry,
    report,
    retention,
    schedule,
)

app = typer.Typer(
    name="talentgate",
    help="Run a talent-attraction programme: profiles, policies, assessment, matching, audit, demo.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Set up Django before any subcommand runs."""
    setup_django()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentgate.settings.base")
    import django

    django.setup()


app.add_typer(analytics.app, name="analytics")
app.add_typer(audit.app, name="audit")
app.add_typer(authority.app, name="authority")
app.add_typer(policy.app, name="policy")
app.add_typer(demo.app, name="demo")
app.add_typer(profile.app, name="profile")
app.add_typer(registry.app, name="registry")
app.add_typer(schedule.app, name="schedule")
app.command(name="match")(match.match)
app.command(name="normalise")(normalise.normalise)
app.command(name="assess")(assess.assess)
app.command(name="report")(report.report)
app.command(name="backup")(backup.backup)
app.command(name="restore")(backup.restore)
app.add_typer(key.app, name="key")
app.add_typer(retention.app, name="retention")
app.add_typer(duplicate.app, name="duplicate")
app.command(
    name="manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Run a Django management command (migrate, runserver, db_worker, createsuperuser...).",
)(manage.manage)


def main() -> None:
    """Entry point of the ``talentgate`` console script."""
    app(prog_name="talentgate")


if __name__ == "__main__":
    main()
