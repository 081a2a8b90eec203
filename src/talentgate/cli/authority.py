"""``talentgate authority``: ``simulate`` plays the immigration authority on 127.0.0.1 for the demo and tests;
``push`` sends the submissions whose push is due (a cron fallback to the task worker).

``simulate`` listens for the platform's pushes (set AUTHORITY_PUSH_URL to the address it prints), verifies their
signature, honours their idempotency keys and answers each new submission with a signed decision
callback. It stops by itself: after ``--count`` decisions or ``--timeout`` seconds, whichever comes first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import typer

app = typer.Typer(help="The immigration-authority hand-off.", no_args_is_help=True)

#: Hosts the simulator may call back: it signs real decisions, so it never talks to anything but this machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_COUNT = 1000
MAX_TIMEOUT_SECONDS = 3600.0


@app.command()
def simulate(
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."),
    callback_url: str = typer.Option(
        "http://127.0.0.1:8000/api/authority/callbacks/decision",
        "--callback-url",
        help="Where decisions are sent (the platform's callback route, on this machine).",
    ),
    decision: str = typer.Option("grant", "--decision", help="grant or refuse."),
    count: int = typer.Option(1, "--count", min=1, max=MAX_COUNT, help="Stop after deciding this many submissions."),
    timeout: float = typer.Option(
        60.0, "--timeout", min=0.1, max=MAX_TIMEOUT_SECONDS, help="Stop after this many seconds in any case."
    ),
    decision_delay: float = typer.Option(
        0.0, "--decision-delay", min=0.0, help="Seconds between receipt and decision."
    ),
    slow: float = typer.Option(0.0, "--slow", min=0.0, max=60.0, help="Seconds to wait before answering each push."),
    fail_first: int = typer.Option(
        0, "--fail-first", min=0, max=100, help="Answer 503 to the first N pushes of each submission."
    ),
    duplicate: bool = typer.Option(
        False, "--duplicate", help="Send each decision twice, then replay the first request."
    ),
    out_of_order: bool = typer.Option(
        False, "--out-of-order", help="Send the decision before acknowledging the push; decide newest first."
    ),
) -> None:
    """Receive pushes and answer them with signed decisions; exit 0 once ``--count`` are decided, 1 on timeout."""
    from django.conf import settings

    from talentgate.authority.simulator import LOOPBACK, PUSH_PATH, AuthoritySimulator, SimulatorOptions, run_until

    host = urlsplit(callback_url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        typer.echo(f"error: --callback-url must point at this machine (127.0.0.1 or localhost), not {host!r}", err=True)
        raise typer.Exit(code=2)
    try:
        options = SimulatorOptions(
            decision=decision, slow_seconds=slow, fail_first=fail_first, duplicate=duplicate, out_of_order=out_of_order
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    simulator = AuthoritySimulator(
        secret=settings.AUTHORITY_CALLBACK_SECRET,
        callback_url=callback_url,
        options=options,
        tolerance_seconds=settings.AUTHORITY_SIGNATURE_TOLERANCE_SECONDS,
    )
    try:
        server_context = simulator.serve(port)
        server = server_context.__enter__()
    except OSError as exc:
        typer.echo(f"error: cannot listen on {LOOPBACK}:{port} ({exc.strerror or exc})", err=True)
        raise typer.Exit(code=2) from None
    # Entered by hand (not ``with``) so that only a failure to listen is reported as one.
    try:
        address = f"http://{LOOPBACK}:{server.server_address[1]}{PUSH_PATH}"
        typer.echo(f"authority simulator listening at {address}")
        typer.echo(f"  the platform pushes there with AUTHORITY_PUSH_URL={address}")
        typer.echo(f"  decisions ({decision}) go to {callback_url}; stopping after {count} or {timeout:g} s")
        done = run_until(
            simulator, count=count, timeout_seconds=timeout, decision_delay=decision_delay, on_event=typer.echo
        )
    finally:
        server_context.__exit__(None, None, None)
    pushes = sum(simulator.push_attempts.values())
    typer.echo(
        f"authority simulator: {len(simulator.submissions)} submissions from {pushes} pushes "
        f"({simulator.refused_pushes} refused signatures), {simulator.decided_count} decided"
    )
    if not done:
        typer.echo(f"timed out after {timeout:g} s with {simulator.decided_count} of {count} decided", err=True)
        raise typer.Exit(code=1)


@app.command()
def push() -> None:
    """Push every submission whose next attempt is due now (for cron: the task worker re-queues each retry itself,
    this catches any push whose queued task was lost); prints how many were tried and how they went."""
    from talentgate.authority import services
    from talentgate.authority.models import DeliveryStatus, Submission

    if not services.push_enabled():
        typer.echo("error: AUTHORITY_PUSH_URL is not set: submissions wait for the authority's pull", err=True)
        raise typer.Exit(code=2)
    tried = services.retry_due_pushes()
    waiting = Submission.objects.filter(delivery=DeliveryStatus.PENDING, decision="").count()
    failed = Submission.objects.filter(delivery=DeliveryStatus.FAILED, decision="").count()
    typer.echo(f"authority push: {tried} due tried; {waiting} still pending, {failed} given up (resend or pull)")
