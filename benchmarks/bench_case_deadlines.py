"""Case deadlines: how long the due-soon and overdue queue filters take over many open cases.

A fresh SQLite file gets ``BENCH_DEADLINE_CASES`` open relocation cases (default 20,000) spread
over the open stages, entered between 0 and 120 days ago, a tenth of them with one or two clock
pauses (requests for information) in their current stage, and per-programme SLA rows for half of
the stages. In a child process (its own database), timed with ``harness.median_seconds``:

- counting the overdue cases (``sla.filter_by_deadline(..., "overdue").count()``),
- the first page of 25 due-soon cases, oldest first, with their due dates (``deadlines_for``),
- the supervisors' escalation run over all of them (once: it writes).

Baseline, in the same database: the plain way to answer "which are overdue" (every open case
and every pause loaded, each deadline computed in Python with the same arithmetic).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import harness

CASES = int(os.environ.get("BENCH_DEADLINE_CASES", "20000"))
# A queue filter is part of a page that should come back before a person notices.
TARGET_SECONDS = 0.25


def _load(count: int) -> dict[str, int]:
    from django.utils import timezone

    from talentgate.candidates.models import Profile
    from talentgate.cases.models import OPEN_STAGES, ClockPause, RelocationCase, StageDeadline
    from talentgate.programmes.models import Programme

    rng = random.Random(1)
    now = timezone.now()
    programmes = [Programme.objects.create(code=f"bench-{n}", name_en=f"Programme {n}") for n in range(3)]
    Profile.objects.bulk_create(
        Profile(
            external_id=f"bench-{n}",
            given_names_latin="Bench",
            family_name_latin=f"Person {n}",
            date_of_birth="1990-01-01",
            sex="female",
        )
        for n in range(count)
    )
    profile_ids = list(Profile.objects.order_by("pk").values_list("pk", flat=True))
    cases = []
    for n, profile_id in enumerate(profile_ids):
        entered = now - timedelta(days=rng.uniform(0, 120))
        cases.append(
            RelocationCase(
                programme=programmes[n % 3] if n % 5 else None,
                kind="specialist",
                source="award",
                award_reference=f"award-{n}",
                profile_id=profile_id,
                stage=rng.choice(OPEN_STAGES),
                opened_at=entered,
                stage_entered_at=entered,
            )
        )
    RelocationCase.objects.bulk_create(cases, batch_size=2000)
    pauses = []
    for case in RelocationCase.objects.order_by("pk").only("pk", "stage", "stage_entered_at", "version"):
        if rng.random() < 0.1:
            span = (now - case.stage_entered_at).total_seconds()
            for _ in range(rng.choice((1, 2))):
                start = case.stage_entered_at + timedelta(seconds=rng.uniform(0, span))
                end = (
                    None
                    if rng.random() < 0.3
                    else start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))
                )
                pauses.append(ClockPause(case=case, stage=case.stage, reason="bench", started_at=start, ended_at=end))
    ClockPause.objects.bulk_create(pauses, batch_size=2000)
    for programme in programmes:
        for stage in OPEN_STAGES[::2]:
            StageDeadline.objects.create(programme=programme, stage=stage, days=rng.randint(10, 60), warning_days=3)
    return {"cases": count, "pauses": len(pauses)}


def _run_child(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.utils import timezone

    from talentgate.cases import sla
    from talentgate.cases.models import OPEN_STAGES, ClockPause, RelocationCase

    started = time.perf_counter()
    counts = _load(count)
    load_seconds = time.perf_counter() - started
    now = timezone.now()
    cases = RelocationCase.objects.all()

    def count_overdue() -> int:
        return sla.filter_by_deadline(cases, "overdue", now).count()

    def due_soon_page() -> int:
        page = list(sla.filter_by_deadline(cases, "due_soon", now).order_by("stage_entered_at", "pk")[:25])
        return len(sla.deadlines_for(page, now))

    def plain_overdue() -> int:
        table = sla.sla_table()
        pauses: dict[int, list[Any]] = {}
        for case_id, start, end in ClockPause.objects.values_list("case_id", "started_at", "ended_at"):
            pauses.setdefault(case_id, []).append((start, end))
        overdue = 0
        for pk, stage, programme_id, entered in RelocationCase.objects.filter(stage__in=OPEN_STAGES).values_list(
            "pk", "stage", "programme_id", "stage_entered_at"
        ):
            rule = table.sla_for(programme_id, stage)
            if rule and sla.deadline_from(stage, entered, rule, pauses.get(pk, []), now).state == "overdue":
                overdue += 1
        return overdue

    overdue, plain = count_overdue(), plain_overdue()
    if overdue != plain:
        raise RuntimeError(f"the filter found {overdue} overdue cases, the plain way {plain}")
    timings = {
        "overdue_count": harness.median_seconds(count_overdue)[0],
        "due_soon_page": harness.median_seconds(due_soon_page)[0],
        "plain_overdue": harness.median_seconds(plain_overdue)[0],
    }
    started = time.perf_counter()
    escalated = sla.escalate_overdue_cases(now)
    timings["escalation"] = time.perf_counter() - started
    counts.update(overdue=overdue, escalated=escalated)
    print(json.dumps({"timings": timings, "counts": counts, "load_seconds": load_seconds}))


def _child(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-deadlines-") as directory:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "talentgate.settings.base",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        env.pop("DEBUG", None)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_case_deadlines", "--child", str(count)],
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
    result = _child(CASES)
    timings, counts = result["timings"], result["counts"]
    print(f"  {counts['cases']:,} open cases, {counts['pauses']:,} pauses, {counts['overdue']:,} overdue", flush=True)
    for label, seconds in timings.items():
        print(f"  {label}: {seconds * 1000:.1f} ms", flush=True)
    figures = [
        harness.Figure("count of overdue cases", timings["overdue_count"] * 1000, "ms", TARGET_SECONDS * 1000),
        harness.Figure(
            "first 25 due-soon cases with due dates", timings["due_soon_page"] * 1000, "ms", TARGET_SECONDS * 1000
        ),
        harness.Figure(f"escalation run ({counts['escalated']:,} cases, once)", timings["escalation"], "s"),
    ]
    baseline = harness.Figure("overdue count, every case loaded into Python", timings["plain_overdue"] * 1000, "ms")
    harness.write(
        harness.Result(
            name="case_deadlines",
            title=f"Case deadline filters over {counts['cases']:,} open cases (SQLite)",
            figures=figures,
            baseline=baseline,
            ratio_to_baseline=timings["plain_overdue"] / timings["overdue_count"] if timings["overdue_count"] else None,
            notes=(
                "Median of 5 after a warm-up, in one process on a fresh SQLite file. Cases never paused in their "
                "stage are filtered by the database on (stage, stage_entered_at); the tenth with pauses is checked "
                "exactly in Python. The filter's answer is checked against the baseline's before timing."
            ),
            extra={"counts": counts, "load_seconds": result["load_seconds"]},
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _run_child(int(sys.argv[2]))
    else:
        main()
