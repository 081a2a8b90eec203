"""Canada CRS assessments of a synthetic pool, vectorized, against a per-candidate Python baseline.

The timed path starts from raw columns in memory (IELTS General Training, TEF Canada and
CELPIP scores per ability, ages, education codes, years, flags), derives the CLB/NCLC levels
by IRCC's charts and evaluates canada-crs 2025-03-25: totals, group totals, per-factor points
and rule indices, variants, missing inputs. Sentences are rendered on demand, not here; the
inputs hash is also on demand and timed separately.

``BENCH_RULES_ROWS`` sets the pool size (default 1,000,000); ``BENCH_RULES_BASELINE_ROWS`` the
baseline sample (default 20,000, extrapolated per row).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import time
import tracemalloc
from typing import Any

import numpy as np
from benchmarks import harness  # the evaluation is element-wise NumPy (no BLAS), one thread by construction

from talentgate.engines.rules import Columns, assess_one, evaluate_columns, get_policy, registry, vectorized
from talentgate.engines.rules.derive import ABILITIES, CRS_EDUCATION_LEVELS, clb_from_scores, language_tables

ROWS = int(os.environ.get("BENCH_RULES_ROWS", "1000000"))
PROFILES = int(os.environ.get("BENCH_RULES_PROFILES", "10000"))
BASELINE_ROWS = int(os.environ.get("BENCH_RULES_BASELINE_ROWS", "20000"))
TARGET_SECONDS = 0.3
MEMORY_LIMIT_MIB = 1024.0


def synthetic_pool(n: int, seed: int = 20250325) -> dict[str, np.ndarray]:
    """Raw columns: scores as taken (NaN = no test), plus ages, education codes, years and flags."""
    rng = np.random.default_rng(seed)
    raw: dict[str, np.ndarray] = {
        "age_years": rng.integers(18, 50, n, dtype=np.int16),
        "has_accompanying_spouse": rng.random(n) < 0.45,
        "education_level": rng.integers(0, len(CRS_EDUCATION_LEVELS), n, dtype=np.int16),
        "spouse_education_level": rng.integers(0, len(CRS_EDUCATION_LEVELS), n, dtype=np.int16),
        "canadian_work_years": rng.integers(0, 7, n, dtype=np.int16),
        "foreign_work_years": rng.integers(0, 10, n, dtype=np.int16),
        "spouse_canadian_work_years": rng.integers(0, 4, n, dtype=np.int16),
        "has_certificate_of_qualification": rng.random(n) < 0.05,
        "has_provincial_nomination": rng.random(n) < 0.03,
        "has_sibling_in_canada": rng.random(n) < 0.08,
        "canadian_education": rng.integers(0, 3, n, dtype=np.int16),
    }
    for ability in ABILITIES:
        raw[f"ielts_{ability}"] = rng.integers(8, 19, n).astype(np.float64) / 2  # bands 4.0-9.0
        tef = rng.integers(300, 700, n).astype(np.float64)
        tef[rng.random(n) < 0.7] = np.nan  # most candidates take no French test
        raw[f"tef_{ability}"] = tef
        raw[f"celpip_{ability}"] = rng.integers(3, 13, n).astype(np.float64)
    # One candidate in a hundred has not given an IELTS result yet: an explained missing input.
    raw["ielts_reading"][rng.random(n) < 0.01] = np.nan
    return raw


def derive_and_evaluate(raw: dict[str, np.ndarray], policy: Any) -> Any:
    """The timed path: CLB/NCLC derivation from raw scores, then the vectorized evaluation."""
    values = {
        name: raw[name]
        for name in (
            "age_years",
            "has_accompanying_spouse",
            "education_level",
            "spouse_education_level",
            "canadian_work_years",
            "foreign_work_years",
            "spouse_canadian_work_years",
            "has_certificate_of_qualification",
            "has_provincial_nomination",
            "has_sibling_in_canada",
            "canadian_education",
        )
    }
    missing = {}
    for ability in ABILITIES:
        english, english_missing = clb_from_scores("ielts_general", ability, raw[f"ielts_{ability}"])
        french, _ = clb_from_scores("tef_canada", ability, raw[f"tef_{ability}"])  # no test -> 0
        spouse, _ = clb_from_scores("celpip_general", ability, raw[f"celpip_{ability}"])
        values[f"clb_first_official_{ability}"] = english
        missing[f"clb_first_official_{ability}"] = english_missing
        values[f"clb_english_{ability}"] = english
        values[f"clb_second_official_{ability}"] = french
        values[f"nclc_french_{ability}"] = french
        values[f"spouse_clb_{ability}"] = spouse
    return evaluate_columns(Columns(values, missing), policy)


# --- the baseline: one candidate at a time, plain Python -------------------------------------


def _clb_python(test: str, ability: str, score: float) -> int | None:
    if score != score:  # NaN: no test
        return None
    for row in language_tables()["clb"][test]["tables"][0]["rows"]:
        low, high = row[ability]
        if low <= score <= high:
            return int(row["level"])
    return 0


def baseline(raw: dict[str, np.ndarray], policy: Any, rows: int) -> list[Any]:
    """Per candidate: build a dict, derive CLB levels by scanning the chart, assess with the single path."""
    people = [{name: column[i].item() for name, column in raw.items()} for i in range(rows)]
    results = []
    for person in people:
        inputs = {
            name: person[name]
            for name in (
                "age_years",
                "has_accompanying_spouse",
                "canadian_work_years",
                "foreign_work_years",
                "spouse_canadian_work_years",
                "has_certificate_of_qualification",
                "has_provincial_nomination",
                "has_sibling_in_canada",
            )
        }
        inputs["education_level"] = CRS_EDUCATION_LEVELS[person["education_level"]]
        inputs["spouse_education_level"] = CRS_EDUCATION_LEVELS[person["spouse_education_level"]]
        inputs["canadian_education"] = ("none", "one_or_two_year", "three_year_or_longer")[person["canadian_education"]]
        for ability in ABILITIES:
            english = _clb_python("ielts_general", ability, person[f"ielts_{ability}"])
            french = _clb_python("tef_canada", ability, person[f"tef_{ability}"]) or 0
            inputs[f"clb_first_official_{ability}"] = english
            inputs[f"clb_english_{ability}"] = english if english is not None else 0
            inputs[f"clb_second_official_{ability}"] = french
            inputs[f"nclc_french_{ability}"] = french
            inputs[f"spouse_clb_{ability}"] = _clb_python("celpip_general", ability, person[f"celpip_{ability}"])
        results.append(assess_one(inputs, policy))
    return results


def load_figures() -> tuple[float, float, float]:
    """Seconds to load and validate every shipped policy from its files, to compile the CRS, and to
    derive CRS columns from canonical profiles (per profile)."""
    from talentgate.canonical import CandidateProfile
    from talentgate.canonical.examples import example_profile
    from talentgate.engines.rules.derive import derive_inputs

    registry.shipped_policies.cache_clear()
    start = time.perf_counter()
    registry.shipped_policies()
    load_seconds = time.perf_counter() - start
    policy = get_policy("canada-crs", version="2025-03-25")
    vectorized._COMPILED.clear()
    start = time.perf_counter()
    vectorized.compile_policy(policy)
    compile_seconds = time.perf_counter() - start
    profiles = [CandidateProfile.model_validate(example_profile(i)) for i in range(PROFILES)]
    start = time.perf_counter()
    derive_inputs(profiles, on=dt.date(2025, 6, 1))
    derive_per_profile = (time.perf_counter() - start) / max(PROFILES, 1)
    return load_seconds, compile_seconds, derive_per_profile


def main() -> None:
    load_seconds, compile_seconds, derive_per_profile = load_figures()
    policy = get_policy("canada-crs", version="2025-03-25")
    tracemalloc.start()
    raw = synthetic_pool(ROWS)
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    derive_and_evaluate(raw, policy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    input_mib = before / 2**20
    peak_mib = peak / 2**20

    median, timings = harness.median_seconds(lambda: derive_and_evaluate(raw, policy), runs=7, warmup=2)
    cpu_timings = []
    for _ in range(5):
        start = time.process_time()
        derive_and_evaluate(raw, policy)
        cpu_timings.append(time.process_time() - start)
    cpu_median = statistics.median(cpu_timings)
    result = derive_and_evaluate(raw, policy)
    start = time.perf_counter()
    hashes = result.inputs_hash()
    hash_seconds = time.perf_counter() - start
    assert hashes.shape == (ROWS,)

    # The two paths agree on the baseline sample (the property test checks this more thoroughly).
    sample = min(BASELINE_ROWS, ROWS)
    start = time.perf_counter()
    slow = baseline(raw, policy, sample)
    per_row = (time.perf_counter() - start) / sample
    agree = all(slow[i].total == result.total[i] for i in range(0, sample, max(1, sample // 500)))
    baseline_total = per_row * ROWS

    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = [
        harness.Figure(
            f"{ROWS:,} CRS assessments from raw scores (median of {len(timings)})",
            round(median, 4),
            "s",
            TARGET_SECONDS,
        ),
        harness.Figure(
            "CPU time of the same path (median of 5; the machine is shared)", round(cpu_median, 4), "s", TARGET_SECONDS
        ),
        harness.Figure("per assessment", round(median / ROWS * 1e9, 1), "ns"),
        harness.Figure(
            "peak traced memory (inputs + derivation + results)",
            round(peak_mib + input_mib, 1),
            "MiB",
            MEMORY_LIMIT_MIB,
        ),
        harness.Figure("inputs hash for the whole pool (on demand)", round(hash_seconds, 4), "s"),
        harness.Figure("load and validate every shipped policy from its files", round(load_seconds * 1000, 1), "ms"),
        harness.Figure("compile canada-crs to lookup arrays", round(compile_seconds * 1000, 1), "ms"),
        harness.Figure(
            f"derive CRS inputs from canonical profiles ({PROFILES:,}, per profile)",
            round(derive_per_profile * 1e6, 1),
            "µs",
        ),
    ]
    notes = (
        f"One core (element-wise NumPy is single-threaded). Timed: CLB/NCLC from IELTS, TEF Canada and CELPIP scores "
        f"(12 columns) and canada-crs 2025-03-25 with totals, {len(policy.groups)} group totals, "
        f"{len(policy.factors)} factor points and rule indices, variants and "
        f"missing inputs; sentences are rendered on demand and not timed. Timings {', '.join(f'{t:.3f}' for t in timings)} s. "
        f"Raw input columns {input_mib:.0f} MiB; peak above them {peak_mib:.0f} MiB; process max RSS {max_rss_mib:.0f} MiB. "
        f"Baseline: the same policy per candidate in plain Python (dict per row, chart scan, then the engine's "
        f"single-profile interpreter, which also builds the explanation object and the inputs hash) on {sample:,} rows, {per_row * 1e6:.1f} µs per row, extrapolated to {ROWS:,} rows "
        f"({baseline_total:.1f} s). Totals of both paths agree on the sample: {agree}."
    )
    path = harness.write(
        harness.Result(
            name="rules_crs",
            title="Rules engine: Canada CRS, vectorized vs per candidate",
            figures=figures,
            baseline=harness.Figure(f"per-candidate Python, extrapolated to {ROWS:,}", round(baseline_total, 2), "s"),
            ratio_to_baseline=round(baseline_total / median, 1),
            notes=notes,
            extra={
                "rows": ROWS,
                "baseline_rows": sample,
                "timings_s": timings,
                "paths_agree": agree,
                "median_total": float(statistics.median(result.total.tolist()[:10000])),
            },
        )
    )
    print(
        f"median {median:.3f} s for {ROWS:,}; baseline {baseline_total:.1f} s; x{baseline_total / median:.0f}; "
        f"peak {peak_mib + input_mib:.0f} MiB; hash {hash_seconds:.3f} s -> {path}"
    )


if __name__ == "__main__":
    main()
