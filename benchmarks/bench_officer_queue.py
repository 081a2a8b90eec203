"""Officers' queue: how long the queue page, a deep filtered page and the API list take over a loaded demo.

A fresh SQLite file is loaded with the demo (``BENCH_QUEUE_CANDIDATES`` candidates, default
20,000, most of them with an application) in a child process, which then signs in the demo
officer with Django's test client and times full requests (``harness.median_seconds``):
the default queue page (submitted, oldest first, with counts per stage), a filtered and
name-sorted page deep in the list, and ``GET /api/programmes/applications`` at offset 1,000.
Baseline, in the same database: the same 25 rows read the plain way (a queryset without
``select_related``, then the profile, programme and sector fetched per row, as a template
that touches them would).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import harness

CANDIDATES = int(os.environ.get("BENCH_QUEUE_CANDIDATES", "20000"))
# A queue page should come back faster than a person notices: 250 ms for the whole request.
TARGET_SECONDS = 0.25


def _run_child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.test import Client

    from talentgate.accounts.models import User
    from talentgate.demo.loader import load_demo
    from talentgate.programmes.models import Application

    started = time.perf_counter()
    load_demo(count, seed=1)
    load_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(User.objects.get(email="officer@demo.talentgate.test"))
    country = (
        Application.objects.filter(status="submitted")
        .values_list("profile__residence_country", flat=True)
        .order_by("profile__residence_country")
        .first()
    )

    def get(path: str, params: dict[str, Any]) -> None:
        response = client.get(path, params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params} answered {response.status_code}")

    def plain_rows() -> None:
        for application in Application.objects.filter(status="submitted").order_by("submitted_at", "pk")[:25]:
            _ = (application.profile.display_name, application.programme.code, application.sector_preference)

    timings = {
        "queue": harness.median_seconds(lambda: get("/officer/applications/", {}))[0],
        "deep": harness.median_seconds(
            lambda: get(
                "/officer/applications/", {"stage": "submitted", "country": country or "", "sort": "name", "page": 3}
            )
        )[0],
        "api": harness.median_seconds(
            lambda: get(
                "/api/programmes/applications",
                {"status": "submitted,screening,assessed", "sort": "-submitted", "offset": 1000},
            )
        )[0],
        "plain_rows": harness.median_seconds(plain_rows)[0],
    }
    counts = {
        "applications": Application.objects.count(),
        "submitted": Application.objects.filter(status="submitted").count(),
    }
    print(json.dumps({"timings": timings, "counts": counts, "load_seconds": load_seconds}))


def _child(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as directory:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "talentgate.settings.base",
        }
        env.pop("DEBUG", None)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_officer_queue", "--child", str(count)],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr[-4000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    result = _child(CANDIDATES)
    timings, counts = result["timings"], result["counts"]
    print(f"  {counts['applications']:,} applications ({counts['submitted']:,} submitted)", flush=True)
    for label, seconds in timings.items():
        print(f"  {label}: {seconds * 1000:.1f} ms", flush=True)
    figures = [
        harness.Figure(
            "queue page (submitted, counts per stage)", timings["queue"] * 1000, "ms", TARGET_SECONDS * 1000
        ),
        harness.Figure("filtered, name-sorted queue page 3", timings["deep"] * 1000, "ms", TARGET_SECONDS * 1000),
        harness.Figure("API list at offset 1,000", timings["api"] * 1000, "ms", TARGET_SECONDS * 1000),
    ]
    baseline = harness.Figure("25 rows read per row (no select_related)", timings["plain_rows"] * 1000, "ms")
    harness.write(
        harness.Result(
            name="officer_queue",
            title=f"Officers' queue over {counts['applications']:,} applications (SQLite)",
            figures=figures,
            baseline=baseline,
            notes=(
                "Whole requests through Django's test client as the demo officer, median of 5 after a warm-up. "
                "The baseline reads only the rows (no page, no counts) the plain way, to show what the "
                "joins save; it is not a like-for-like page."
            ),
            extra={"counts": counts, "load_seconds": result["load_seconds"]},
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _run_child(int(sys.argv[2]))
    else:
        main()
