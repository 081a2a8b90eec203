"""Analytics dashboard over a loaded demo in PostgreSQL: five named views over HTTP, from the summaries and live.

Loading 1,000,000 candidates takes about an hour, so this benchmark never loads: it reuses a database
already filled by ``talentgate demo load`` and named by ``BENCH_ANALYTICS_DATABASE_URL``, e.g.::

    createdb -h 127.0.0.1 -p 5433 -U postgres tg_bench_analytics
    DATABASE_URL=postgres://postgres@127.0.0.1:5433/tg_bench_analytics talentgate demo load --candidates 1000000
    BENCH_ANALYTICS_DATABASE_URL=postgres://postgres@127.0.0.1:5433/tg_bench_analytics \\
        python -m benchmarks.run analytics_dashboard

Without the variable ``make bench`` skips it with a message and leaves the last results file as it is.
The run migrates the database (``BENCH_ANALYTICS_SKIP_MIGRATE=1`` skips that), then, in one child process:

1. baseline: deletes every summary refresh, so the dashboard counts each figure from the raw rows
   (``analytics.queries``); times ``BENCH_ANALYTICS_BASELINE_REQUESTS`` requests per view (default 2,
   after none: each takes seconds to minutes, and the first is as cold as the rest), until
   ``BENCH_ANALYTICS_BASELINE_BUDGET`` seconds (default 600) are spent;
2. runs the summary refresh (``analytics.refresh.refresh_summaries``) and times it;
3. times each view from the summaries: 3 warm-up requests, then ``BENCH_ANALYTICS_REQUESTS`` (default
   20), and reports the p95 (nearest rank).

Requests go to a real gunicorn process (one sync worker, no timeout) on 127.0.0.1, signed in as the demo
analyst (a session made in the database with Django's test client, its second factor passed with a
TOTP device made for the run), one after another. The five views:
no filter (the current year), one sector, one bloc (each over the current year), one year (the last
full one) and one host with that year; the sector, bloc and host are those with the most arrivals.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import harness

DATABASE_URL = os.environ.get("BENCH_ANALYTICS_DATABASE_URL", "")
REQUESTS = int(os.environ.get("BENCH_ANALYTICS_REQUESTS", "20"))
WARMUP = 3
BASELINE_REQUESTS = int(os.environ.get("BENCH_ANALYTICS_BASELINE_REQUESTS", "2"))
# Live views can take minutes each on a loaded database: once this many seconds are spent on the baseline,
# the views not yet measured are left out (recorded as such) rather than holding the run for an hour.
BASELINE_BUDGET_SECONDS = float(os.environ.get("BENCH_ANALYTICS_BASELINE_BUDGET", "600"))
# Set to 1 to skip ``migrate`` when the database is known to hold every migration analytics needs.
SKIP_MIGRATE = os.environ.get("BENCH_ANALYTICS_SKIP_MIGRATE", "") == "1"
TARGET_SECONDS = 1.0  # the target: each view within 1 s p95
ROOT = Path(__file__).resolve().parent.parent
PATH = "/analytics/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "talentgate.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "0",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not listen within 60 s")


def _timed_get(port: int, params: dict[str, str], cookie: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
    started = time.perf_counter()
    connection.request("GET", f"{PATH}?{urlencode(params)}", headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        where = response.getheader("Location", "")
        raise RuntimeError(f"{PATH} {params} answered {response.status} {where}: {body[:300]!r}")
    return elapsed


def _views() -> dict[str, dict[str, str]]:
    """The five named views, with the sector, bloc and host that have the most arrivals."""
    from django.db.models import Count
    from django.utils import timezone

    from talentgate.analytics import queries
    from talentgate.analytics.filters import parse_filters
    from talentgate.cases.models import RelocationCase
    from talentgate.cooperation.models import Bloc

    this_year = timezone.localdate().year
    arrived = RelocationCase.objects.filter(arrived_on__isnull=False)
    # A top-level sector (its sub-sectors count under it, as the filter counts them).
    tops = Counter(
        parent or code for code, parent in arrived.values_list("sector__code", "sector__parent__code") if code
    )
    sector = tops.most_common(1)[0][0]
    host = arrived.values_list("organisation_id", flat=True).annotate(n=Count("pk")).order_by("-n").first()
    by_bloc = queries.arrivals_by_bloc(parse_filters(str(this_year)))
    bloc = max(Bloc.objects.values_list("code", flat=True), key=lambda code: by_bloc.get(code, 0))
    last_year = str(this_year - 1)
    return {
        "no filter": {},
        "one sector": {"sector": str(sector)},
        "one bloc": {"bloc": bloc},
        "one year": {"period": last_year},
        "one host and year": {"host": str(host), "period": last_year},
    }


def _measure(
    port: int,
    cookie: str,
    views: dict[str, dict[str, str]],
    warmup: int,
    requests: int,
    budget_seconds: float | None = None,
) -> dict[str, Any]:
    measured: dict[str, Any] = {}
    started = time.monotonic()
    for name, params in views.items():
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            print(f"  {name}: left out (baseline budget of {budget_seconds:.0f} s spent)", file=sys.stderr, flush=True)
            continue
        for _ in range(warmup):
            _timed_get(port, params, cookie)
        samples = [_timed_get(port, params, cookie) for _ in range(requests)]
        measured[name] = {"p95": harness.p95(samples), "median": sorted(samples)[len(samples) // 2], "samples": samples}
        print(f"  {name}: p95 {measured[name]['p95'] * 1000:.0f} ms over {requests}", file=sys.stderr, flush=True)
    return measured


def _run_child() -> None:
    import django

    django.setup()
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talentgate.accounts.models import User
    from talentgate.analytics.models import SummaryRefresh
    from talentgate.analytics.refresh import refresh_summaries
    from talentgate.candidates.models import Profile
    from talentgate.cases.models import CaseTransition, RelocationCase
    from talentgate.programmes.models import Application, ApplicationTransition

    client = Client()
    analyst = User.objects.get(email="analyst@demo.talentgate.test")
    client.force_login(analyst)
    # Staff pass a second factor after the password; mark this session as having passed it with an
    # authenticator device of the analyst's, as django-otp's own login does.
    device, _ = TOTPDevice.objects.get_or_create(user=analyst, name="benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cookie = f"sessionid={session.session_key}"
    counts = {
        "candidates": Profile.objects.count(),
        "applications": Application.objects.count(),
        "application_transitions": ApplicationTransition.objects.count(),
        "cases": RelocationCase.objects.count(),
        "case_transitions": CaseTransition.objects.count(),
    }
    print(f"  {counts}", file=sys.stderr, flush=True)
    views = _views()
    port = _free_port()
    server = _start_server(port)
    try:
        SummaryRefresh.objects.all().delete()  # no summary: the page counts from the raw rows
        print("  baseline (live):", file=sys.stderr, flush=True)
        baseline = _measure(port, cookie, views, 0, BASELINE_REQUESTS, BASELINE_BUDGET_SECONDS)
        started = time.perf_counter()
        refresh = refresh_summaries()
        refresh_seconds = time.perf_counter() - started
        print(f"  refresh: {refresh_seconds:.1f} s, {refresh.rows:,} rows", file=sys.stderr, flush=True)
        print("  from the summaries:", file=sys.stderr, flush=True)
        summary = _measure(port, cookie, views, WARMUP, REQUESTS)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "counts": counts,
                "views": views,
                "baseline": baseline,
                "summary": summary,
                "refresh_seconds": refresh_seconds,
                "refresh_rows": refresh.rows,
            }
        )
    )


def _child_env() -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_SETTINGS_MODULE": "talentgate.settings.base"}
    env.pop("DEBUG", None)
    return env


def main() -> None:
    if not DATABASE_URL:
        print(
            "  skipped: set BENCH_ANALYTICS_DATABASE_URL to a PostgreSQL database already loaded with "
            "`talentgate demo load --candidates 1000000` (loading takes about an hour, so the benchmark never "
            "loads); benchmarks/results/analytics_dashboard.json keeps the last run",
            flush=True,
        )
        return
    env = _child_env()
    load_before = os.getloadavg()[0]
    talentgate = str(Path(sys.executable).with_name("talentgate"))
    if not SKIP_MIGRATE:
        subprocess.run([talentgate, "manage", "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_analytics_dashboard", "--child"],
        env=env,
        check=False,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError("analytics benchmark child failed (its messages are above)")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    counts, summary, baseline = result["counts"], result["summary"], result["baseline"]
    figures = [
        harness.Figure(
            f"dashboard, {name} (p95 of {REQUESTS})", round(summary[name]["p95"] * 1000, 1), "ms", TARGET_SECONDS * 1000
        )
        for name in summary
    ]
    figures.append(harness.Figure("summary refresh (whole rebuild)", round(result["refresh_seconds"], 1), "s"))
    slowest_baseline = max(baseline.values(), key=lambda view: view["p95"])
    slowest_summary = max(view["p95"] for view in summary.values())
    harness.write(
        harness.Result(
            name="analytics_dashboard",
            title=f"Analytics dashboard over {counts['candidates']:,} candidates (PostgreSQL, HTTP)",
            figures=figures,
            baseline=harness.Figure(
                f"slowest view counted live from raw rows (max of {BASELINE_REQUESTS})",
                round(slowest_baseline["p95"] * 1000, 1),
                "ms",
            ),
            ratio_to_baseline=round(slowest_baseline["p95"] / slowest_summary, 1),
            notes=(
                f"Whole GET /analytics/ page requests to gunicorn (1 worker) on 127.0.0.1 as the demo analyst, "
                f"one at a time; per view {WARMUP} warm-up requests then {REQUESTS} timed, p95 nearest-rank. "
                f"Baseline: the same five views with no summary (every figure aggregated from the raw rows by "
                f"the live queries), {BASELINE_REQUESTS} requests each and no warm-up because each takes "
                "seconds to minutes; its figure is the slowest view's maximum, per-view numbers in extra. "
                "The refresh rebuilds every summary row from the domain tables. The database is loaded "
                "beforehand (BENCH_ANALYTICS_DATABASE_URL); the machine is shared, so figures vary from run "
                f"to run: its 1-minute load average was {load_before:.1f} at the start and "
                f"{os.getloadavg()[0]:.1f} at the end of this one (2 cores)."
            ),
            extra={
                "counts": counts,
                "views": result["views"],
                "refresh_rows": result["refresh_rows"],
                "summary_ms": {
                    name: {"p95": round(v["p95"] * 1000, 1), "median": round(v["median"] * 1000, 1)}
                    for name, v in summary.items()
                },
                "baseline_ms": {
                    name: {"max": round(v["p95"] * 1000, 1), "samples": [round(s * 1000, 1) for s in v["samples"]]}
                    for name, v in baseline.items()
                },
            },
        ),
        "psycopg",
        "gunicorn",
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _run_child()
    else:
        main()
