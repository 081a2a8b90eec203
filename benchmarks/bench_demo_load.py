"""Demo load rate: candidates loaded per second by ``talentgate demo load`` into a fresh database.

Each measured load runs in its own process against a fresh database: an SQLite file in a
temporary directory and, when ``BENCH_POSTGRES_URL`` (or a ``postgres://`` ``DATABASE_URL``)
names a server, a throwaway PostgreSQL database created and dropped around the run. A load
of ``BENCH_DEMO_CANDIDATES`` (default 100,000) candidates takes minutes, so each database gets
``BENCH_DEMO_RUNS`` runs (default 3, not the harness's 5) and the median is reported. The
generator (generation plus canonical validation, no database) is timed on its own so the
insert share can be read off. Baseline, in the same run: a plain per-row ORM ``save()`` of the
same generated data (one transaction per candidate) on ``BENCH_DEMO_BASELINE`` candidates
(default 2,000), per candidate.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks import harness

CANDIDATES = int(os.environ.get("BENCH_DEMO_CANDIDATES", "100000"))
RUNS = int(os.environ.get("BENCH_DEMO_RUNS", "3"))
BASELINE = int(os.environ.get("BENCH_DEMO_BASELINE", "2000"))
GENERATOR_SAMPLE = int(os.environ.get("BENCH_DEMO_GENERATOR", "20000"))
# The default demo (5,000 candidates) should load in well under a minute: 500 candidates/s.
TARGET_PER_SECOND = 500.0


def _postgres_server() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _child(database_url: str, mode: str, count: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (its own Django, its own database)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "talentgate.settings.base"}
    env.pop("DEBUG", None)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_demo_load", "--child", mode, str(count)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child ({mode}, {count}) failed:\n{out.stderr[-4000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _run_child(mode: str, count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if mode == "load":
        from talentgate.demo.loader import load_demo

        started = time.perf_counter()
        report = load_demo(count, seed=1)
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "candidates": report.candidates_added, "counts": report.counts}))
    elif mode == "baseline":
        seconds = _per_row_baseline(count)
        print(json.dumps({"seconds": seconds, "candidates": count}))
    else:
        raise SystemExit(f"unknown mode {mode}")


def _per_row_baseline(count: int) -> float:
    """The straightforward way: every row through ``Model.save()``, one transaction per candidate."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from talentgate.accounts.models import User
    from talentgate.candidates import canonical_mapping as mapping
    from talentgate.candidates.models import Profile
    from talentgate.canonical import CandidateProfile
    from talentgate.demo import catalogue
    from talentgate.demo.generator import generate_candidates
    from talentgate.demo.loader import load_demo
    from talentgate.hosts.models import Offer, Opportunity
    from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, Programme

    # The shared rows (logins, hosts, programme) are not what is compared: create them first, untimed.
    load_demo(0, seed=1)
    programme = Programme.objects.get(code=catalogue.PROGRAMME.code)
    sectors = {s.code: s for s in PrioritySector.objects.all()}
    officer = User.objects.get(email="officer@demo.talentgate.test")
    opportunity = Opportunity.objects.filter(status="published").first()
    password = make_password(catalogue.DEMO_PASSWORD)
    # Other ids than the demo's own, so the two never collide.
    candidates = list(generate_candidates(count, seed=2, as_of=date.today(), start=5_000_000))
    started = time.perf_counter()
    for candidate in candidates:
        with transaction.atomic():
            profile = CandidateProfile.model_validate(candidate.profile)
            user = User(email=candidate.email, username=candidate.email, password=password, role="candidate")
            user.save()
            row = Profile(external_id=profile.id, user=user, **mapping.profile_columns(profile))
            row.save()
            for section in mapping.ALL_SECTIONS:
                for item in getattr(profile, section.name):
                    section.model(**mapping.part_values(section, row.pk, item)).save()
            plan = candidate.application
            if plan is None:
                continue
            application = Application(
                profile=row, programme=programme, sector_preference=sectors[plan.sector], status=plan.status
            )
            application.save()
            for step in plan.steps:
                ApplicationTransition(
                    application=application,
                    transition=step.transition,
                    from_state=step.from_state,
                    to_state=step.to_state,
                    actor=user if step.by == "candidate" else officer,
                    at=step.at,
                    reason=step.reason,
                ).save()
            if plan.offer is not None and opportunity is not None:
                Offer(
                    opportunity=opportunity,
                    profile=row,
                    terms="Full-time employment contract.",
                    salary_amount=Decimal(plan.offer.salary_rub_month),
                    salary_currency_id="RUB",
                    salary_period="month",
                    start_date=date.today() + timedelta(days=90),
                    expires_at=plan.offer.expires_at,
                    status=plan.offer.status,
                ).save()
    return time.perf_counter() - started


def _generator_rate(count: int) -> float:
    from datetime import date

    from talentgate.canonical import CandidateProfile
    from talentgate.demo.generator import generate_candidates

    started = time.perf_counter()
    for candidate in generate_candidates(count, seed=1, as_of=date.today()):
        CandidateProfile.model_validate(candidate.profile)
    return count / (time.perf_counter() - started)


def _postgres_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"talentgate_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_postgres_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _measure(label: str, fresh_url: Any) -> tuple[list[float], float]:
    """``RUNS`` loads of ``CANDIDATES`` and one baseline, each on a fresh database from ``fresh_url()``."""
    rates = []
    for run in range(RUNS):
        with fresh_url() as url:
            result = _child(url, "load", CANDIDATES)
        rates.append(result["candidates"] / result["seconds"])
        print(f"  {label} run {run + 1}: {rates[-1]:,.0f} candidates/s", flush=True)
    with fresh_url() as url:
        baseline = _child(url, "baseline", BASELINE)
    baseline_rate = baseline["candidates"] / baseline["seconds"]
    print(f"  {label} per-row save() baseline: {baseline_rate:,.0f} candidates/s", flush=True)
    return rates, baseline_rate


class _SqliteFile:
    def __enter__(self) -> str:
        self.dir = tempfile.TemporaryDirectory(prefix="bench-demo-")
        return f"sqlite:///{Path(self.dir.name) / 'bench.sqlite3'}"

    def __exit__(self, *exc: object) -> None:
        self.dir.cleanup()


class _PostgresDatabase:
    def __init__(self, server: str) -> None:
        self.server = server

    def __enter__(self) -> str:
        self.name, url = _postgres_database(self.server)
        return url

    def __exit__(self, *exc: object) -> None:
        _drop_postgres_database(self.server, self.name)


def main() -> None:
    generator_rate = _generator_rate(GENERATOR_SAMPLE)
    print(f"  generator + validation: {generator_rate:,.0f} candidates/s", flush=True)
    figures: list[harness.Figure] = []
    extra: dict[str, Any] = {"generator_candidates_per_second": round(generator_rate), "runs": RUNS}
    sqlite_rates, sqlite_baseline = _measure("SQLite", _SqliteFile)
    sqlite_median = statistics.median(sqlite_rates)
    figures.append(
        harness.Figure(
            f"demo load, {CANDIDATES:,} candidates, SQLite (median of {RUNS})",
            round(sqlite_median),
            "candidates/s",
            TARGET_PER_SECOND,
            higher_is_better=True,
        )
    )
    extra["sqlite_runs"] = [round(r) for r in sqlite_rates]
    extra["sqlite_baseline_per_row_save"] = round(sqlite_baseline, 1)
    server = _postgres_server()
    notes = (
        f"Fresh database per run; {RUNS} runs at {CANDIDATES:,} candidates (a run takes minutes, so not the usual 5). "
        "A load = generate + validate (pydantic) + insert users, profiles and every list, applications, "
        "history and offers. Generator alone (no database): "
        f"{generator_rate:,.0f} candidates/s. Baseline: per-row Model.save() of the same data, one "
        f"transaction per candidate, on {BASELINE:,} candidates."
    )
    if server:
        postgres_rates, postgres_baseline = _measure("PostgreSQL", lambda: _PostgresDatabase(server))
        figures.append(
            harness.Figure(
                f"demo load, {CANDIDATES:,} candidates, PostgreSQL (median of {RUNS})",
                round(statistics.median(postgres_rates)),
                "candidates/s",
                TARGET_PER_SECOND,
                higher_is_better=True,
            )
        )
        extra["postgres_runs"] = [round(r) for r in postgres_rates]
        extra["postgres_baseline_per_row_save"] = round(postgres_baseline, 1)
    else:
        notes += " PostgreSQL not measured: set BENCH_POSTGRES_URL."
    baseline = harness.Figure(
        f"per-row save(), {BASELINE:,} candidates, SQLite", round(sqlite_baseline, 1), "candidates/s"
    )
    result = harness.Result(
        name="demo_load",
        title="Demo programme bulk load",
        figures=figures,
        baseline=baseline,
        ratio_to_baseline=round(sqlite_median / sqlite_baseline, 1),
        notes=notes,
        extra=extra,
    )
    print(f"  wrote {harness.write(result, 'faker', 'pydantic', 'psycopg')}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _run_child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
