"""Fit retrieval speed: top-k by sparse matrix products, one query each way and the full batch.

Figures, in one run:

- p95 latency over 1,000 queries of the top-20 opportunities for one candidate, against 100,000
  opportunities (target 10 ms);
- p95 over 1,000 queries of the top-20 candidates for one opportunity, against 100,000 candidates
  (target 10 ms);
- the full batch: top-20 opportunities for each of 100,000 candidates against 20,000 opportunities
  (target 60 s).

The baseline is a straightforward per-pair Python loop (``explain_fit`` on the dataclasses, the
reference scorer) on a sample of pairs, EXTRAPOLATED to the full batch's 2 x 10^9 pairs; it is
not run at full size. Encoding the pools into CSR matrices is measured and reported separately.

``python -m benchmarks.run retrieval`` (``BENCH_SMALL=1`` for a quick run at a tenth of the sizes).
"""

from __future__ import annotations

import os
import time

import numpy as np
from benchmarks import harness

from talentgate.engines.fit import (
    batch_top_opportunities,
    encode_pool,
    explain_fit,
    top_candidates_for,
    top_opportunities_for,
)
from talentgate.engines.fit.synthetic import random_pool

SMALL = os.environ.get("BENCH_SMALL") == "1"
SCALE = 10 if SMALL else 1
N_QUERY_POOL = 100_000 // SCALE
N_BATCH_CANDIDATES = 100_000 // SCALE
N_BATCH_OPPORTUNITIES = 20_000 // SCALE
QUERIES = 1_000
K = 20
BASELINE_PAIRS = 20_000


def _latencies(fn, n_rows: int, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n_rows, size=QUERIES)
    for row in rows[:20]:  # warm-up
        fn(int(row))
    timings = []
    for row in rows:
        start = time.perf_counter()
        fn(int(row))
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    figures: list[harness.Figure] = []
    extra: dict[str, object] = {}

    # One direction at a time: a few candidates (or opportunities) against 100,000 of the other side.
    candidates, opportunities = random_pool(1_000, N_QUERY_POOL, seed=1)
    started = time.perf_counter()
    pool = encode_pool(candidates, opportunities)
    extra["encode_1k_x_100k_seconds"] = round(time.perf_counter() - started, 3)
    per_candidate = _latencies(lambda c: top_opportunities_for(pool, c, K), len(candidates), seed=2)
    figures.append(
        harness.Figure(
            f"top-{K} opportunities for one candidate, {N_QUERY_POOL:,} opportunities, p95",
            harness.p95(per_candidate) * 1e3,
            "ms",
            10.0,
        )
    )
    del pool, candidates, opportunities

    candidates, opportunities = random_pool(N_QUERY_POOL, 1_000, seed=3)
    pool = encode_pool(candidates, opportunities)
    per_opportunity = _latencies(lambda o: top_candidates_for(pool, o, K), len(opportunities), seed=4)
    figures.append(
        harness.Figure(
            f"top-{K} candidates for one opportunity, {N_QUERY_POOL:,} candidates, p95",
            harness.p95(per_opportunity) * 1e3,
            "ms",
            10.0,
        )
    )
    del pool, candidates, opportunities

    # The full batch.
    candidates, opportunities = random_pool(N_BATCH_CANDIDATES, N_BATCH_OPPORTUNITIES, seed=5)
    started = time.perf_counter()
    pool = encode_pool(candidates, opportunities)
    extra["encode_batch_pool_seconds"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    indices, _ = batch_top_opportunities(pool, K)
    batch_seconds = time.perf_counter() - started
    extra["batch_candidates_with_a_match"] = int((indices[:, 0] >= 0).sum())
    figures.append(
        harness.Figure(
            f"batch top-{K}: {N_BATCH_CANDIDATES:,} candidates x {N_BATCH_OPPORTUNITIES:,} opportunities",
            batch_seconds,
            "s",
            60.0,
        )
    )

    # Baseline: the per-pair reference scorer in a Python loop over a sample, extrapolated.
    rng = np.random.default_rng(6)
    pairs = zip(
        rng.integers(0, len(candidates), BASELINE_PAIRS),
        rng.integers(0, len(opportunities), BASELINE_PAIRS),
        strict=True,
    )
    started = time.perf_counter()
    for c, o in pairs:
        explain_fit(candidates[int(c)], opportunities[int(o)])
    per_pair = (time.perf_counter() - started) / BASELINE_PAIRS
    total_pairs = N_BATCH_CANDIDATES * N_BATCH_OPPORTUNITIES
    baseline_seconds = per_pair * total_pairs
    baseline = harness.Figure(
        f"per-pair Python loop, {BASELINE_PAIRS:,} pairs timed, extrapolated to {total_pairs:,}", baseline_seconds, "s"
    )
    extra["baseline_seconds_per_pair"] = per_pair
    result = harness.Result(
        name="retrieval",
        title="Fit retrieval (sparse products)" + (" [BENCH_SMALL]" if SMALL else ""),
        figures=figures,
        baseline=baseline,
        ratio_to_baseline=round(baseline_seconds / batch_seconds, 1),
        notes=(
            "Synthetic pools (2,000 skills, Zipf-like popularity; 5-15 skills per candidate, 3-9 required per opportunity, "
            "languages, degrees, dates and places as hard constraints). The baseline is extrapolated from a timed sample, "
            "not run at full size; ratio = extrapolated baseline / measured batch."
        ),
        extra=extra,
    )
    path = harness.write(result, "scikit-learn")
    for figure in figures:
        print(f"{figure.label}: {figure.value:.3f} {figure.unit} (target {figure.target}, met: {figure.meets_target})")
    print(f"baseline: {baseline.label}: {baseline.value:,.0f} s; ratio {result.ratio_to_baseline}x; {path}")


if __name__ == "__main__":
    main()
