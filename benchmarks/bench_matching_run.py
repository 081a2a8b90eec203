"""The platform's matching run at the demo's size: plan (fit scores, preferences, allocation) and the whole run.

A fresh SQLite file is loaded with the demo (``BENCH_MATCHING_CANDIDATES`` candidates, default
5,000 as ``make demo``) in a child process. The demo officer opens a run over the demo
programme's invited applications and the open opportunities (one application of the pool
proposes a couple with another, which confirms, so the couple path is timed too), then:

* ``plan_run`` (canonical profiles, one sparse fit product per applicant, fit-derived ranked
  lists, deferred acceptance with the couple, the stability certificate), median of 3;
* the whole run as the task worker does it (``run_matching``: plan, store every result and
  shortlist with reasons, mark the matched, audit), once, in a transaction rolled back after.

Baseline, in the same run and on the same inputs: the fit matrix scored the straightforward
way, one ``explain_fit`` call per applicant-opportunity pair in Python (what the plan would cost
without the vectorised scorer).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import harness

CANDIDATES = int(os.environ.get("BENCH_MATCHING_CANDIDATES", "5000"))
# An officer starts a run and watches it: the demo's run should finish within a few seconds.
TARGET_PLAN_SECONDS = 5.0
TARGET_RUN_SECONDS = 15.0


def _run_child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import transaction
    from django.utils import timezone

    from talentgate.accounts.models import User
    from talentgate.common import jobs
    from talentgate.demo.loader import load_demo
    from talentgate.engines import fit
    from talentgate.matching import selectors, services
    from talentgate.programmes.models import Application, ApplicationStatus

    load_demo(count, seed=1)
    officer = User.objects.get(email="officer@demo.talentgate.test")
    programme_id = (
        Application.objects.filter(status=ApplicationStatus.INVITED)
        .values_list("programme_id", flat=True)
        .order_by("programme_id")
        .first()
    )
    if programme_id is None:
        raise RuntimeError("the demo holds no invited application")
    run = services.create_matching_run(
        officer, programme_id=programme_id, preferences_deadline=timezone.now() + timedelta(days=1), seed=1
    )
    pool = list(selectors.pool_of(run).select_related("profile__user")[:2])
    if len(pool) == 2 and pool[0].profile.user_id and pool[1].profile.user_id:
        couple = services.propose_couple(pool[0].profile.user, run.pk, pool[1].pk)
        services.confirm_couple(pool[1].profile.user, couple.pk)

    plan_seconds, _ = harness.median_seconds(lambda: services.plan_run(run), runs=3)
    plan = services.plan_run(run)

    def baseline() -> None:
        for candidate in plan.candidates:
            for opportunity in plan.fit_inputs:
                fit.explain_fit(candidate, opportunity)

    started = time.perf_counter()
    baseline()
    baseline_seconds = time.perf_counter() - started

    with transaction.atomic():
        job = jobs.start_job(services.JOB_KIND, started_by=officer, total=len(plan.applications))
        run.status = "running"
        run.started_by = officer
        run.save(update_fields=["status", "started_by"])
        started = time.perf_counter()
        outcome = services.run_matching(job.pk, run.pk)
        run_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    counts = {
        "applications": len(plan.applications),
        "opportunities": len(plan.opportunities),
        "pairs": len(plan.applications) * len(plan.opportunities),
        "couples": len(plan.couples),
        "matched": outcome.get("matched"),
        "stable": outcome.get("stable"),
    }
    timings = {"plan": plan_seconds, "run": run_seconds, "baseline": baseline_seconds}
    print(json.dumps({"timings": timings, "counts": counts}))


def _child(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-matching-") as directory:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "talentgate.settings.base",
        }
        env.pop("DEBUG", None)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_matching_run", "--child", str(count)],
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
    print(
        f"  {counts['applications']:,} applicants x {counts['opportunities']:,} opportunities, "
        f"{counts['couples']} couple, {counts['matched']} matched, stable={counts['stable']}",
        flush=True,
    )
    for label, seconds in timings.items():
        print(f"  {label}: {seconds:.2f} s", flush=True)
    figures = [
        harness.Figure("plan (fit, preferences, allocation, certificate)", timings["plan"], "s", TARGET_PLAN_SECONDS),
        harness.Figure(
            "whole run (plan, store results and shortlists, audit)", timings["run"], "s", TARGET_RUN_SECONDS
        ),
    ]
    baseline = harness.Figure("fit by explain_fit per pair (Python loop)", timings["baseline"], "s")
    harness.write(
        harness.Result(
            name="matching_run",
            title=f"Matching run over the demo ({CANDIDATES:,} candidates, SQLite)",
            figures=figures,
            baseline=baseline,
            ratio_to_baseline=timings["baseline"] / timings["plan"] if timings["plan"] else None,
            notes=(
                "plan_run median of 3; the whole run once (run_matching as the worker calls it, rolled back). "
                "The baseline scores the same applicant-opportunity pairs one explain_fit call at a time; "
                "the ratio is baseline / plan (the plan also ranks and allocates)."
            ),
            extra={"counts": counts},
        ),
        "numpy",
        "scipy",
        "numba",
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _run_child(int(sys.argv[2]))
    else:
        main()
