"""Running the demo: prepare the database, then the web server, one task worker and the scheduler side by side.

``talentgate demo serve`` (what ``make demo`` calls) migrates only when a migration is
pending, loads the demo programme only when it is not there yet, and then starts three child
processes: Django's ``db_worker`` from django-tasks-db, ``talentgate schedule loop`` (which enqueues
the periodic tasks for that worker) and the web server (``runserver --noreload``: the demo is
single-user and local). When the server stops (Ctrl-C, SIGTERM, or its own exit) the worker and
the scheduler are stopped too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.db import connections

__all__ = ["migrate_if_needed", "port_in_use", "reset_database", "run_processes"]

WORKER_STOP_SECONDS = 10


def reset_database() -> str:
    """Wipe the demo database: delete the SQLite file (and its WAL), or flush every table elsewhere.

    Returns what was done, for the caller to print.
    """
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        connections.close_all()
        path = Path(db["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"deleted {path}"
    from django.core.management import call_command

    # Flush only after migrating: a fresh PostgreSQL database has no tables to flush.
    migrate_if_needed()
    call_command("flush", interactive=False, verbosity=0)
    return f"flushed database {db['NAME']}"


def migrate_if_needed() -> bool:
    """Apply pending migrations quietly; return whether any were pending (a fast check on a second start)."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def _wait_for_port(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        if port_in_use(port):
            return True
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes], grace: float = WORKER_STOP_SECONDS) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _manage(*args: str) -> list[str]:
    # The same interpreter and settings as this process, so a virtualenv need not be on PATH.
    return _talentgate("manage", *args)


def _talentgate(*args: str) -> list[str]:
    return [sys.executable, "-c", "from talentgate.cli import main; main()", *args]


def run_processes(port: int, *, on_serving: Callable[[str], None]) -> int:
    """Start the worker, the scheduler and the web server; block until the server exits; stop the other two;
    return the server's exit code.

    ``on_serving(url)`` is called once the server accepts connections.
    """
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "talentgate.settings.base"))
    worker = subprocess.Popen(_manage("db_worker", "--no-reload", "--interval", "1", "-v", "1"), env=env)
    server_args = ["runserver", f"127.0.0.1:{port}", "--noreload"]
    if not settings.DEBUG:
        # Without DEBUG, runserver serves static files only when told to; the demo needs its CSS and htmx.
        server_args.append("--insecure")
    server = subprocess.Popen(_manage(*server_args), env=env)
    scheduler: subprocess.Popen[bytes] | None = None
    stopping = False

    def _forward(signum: int, frame: FrameType | None) -> None:
        # Only signal here: waiting inside a handler would deadlock on the wait() it interrupted.
        nonlocal stopping
        stopping = True
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, _forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if _wait_for_port(port, server):
            # Started once the server answers, so its start-up does not delay the first page on a busy machine.
            scheduler = subprocess.Popen(_talentgate("schedule", "loop", "--interval", "60"), env=env)
            on_serving(f"http://127.0.0.1:{port}/")
        code = server.wait()
        return 0 if stopping else code
    finally:
        _stop(server, grace=5)
        _stop(worker)
        if scheduler is not None:
            _stop(scheduler)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
