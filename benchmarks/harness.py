"""What every benchmark shares: thread pinning, warm-up, medians, and the results file format.

Results go to ``benchmarks/results/<name>.json``::

    {"name", "title", "date", "machine": {...}, "versions": {...},
     "figures": [{"label", "value", "unit", "target", "meets_target"}],
     "baseline": {"label", "value", "unit"}, "ratio_to_baseline", "notes"}

The README table is generated from these files by ``benchmarks/readme.py``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Pin BLAS/OpenMP pools to one thread before NumPy is imported by any benchmark.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    """One measured number; ``target`` is the limit it must stay under (``None`` when informative only)."""

    label: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class Result:
    name: str
    title: str
    figures: list[Figure]
    baseline: Figure | None = None
    ratio_to_baseline: float | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def median_seconds(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> tuple[float, list[float]]:
    """Run ``fn`` ``warmup`` times unmeasured, then ``runs`` times; return the median and all timings."""
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(max(runs, 5)):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings


def p95(samples: list[float]) -> float:
    """95th percentile (nearest-rank) of ``samples``; call with at least 1,000 latencies."""
    ordered = sorted(samples)
    rank = max(0, round(0.95 * len(ordered)) - 1)
    return ordered[rank]


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def versions(*packages: str) -> dict[str, str]:
    found = {}
    for name in ("talentgate", "numpy", "scipy", "django", *packages):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def write(result: Result, *packages: str) -> Path:
    """Write ``benchmarks/results/<name>.json`` and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "name": result.name,
        "title": result.title,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(*packages),
        "figures": [{**asdict(f), "meets_target": f.meets_target} for f in result.figures],
        "baseline": asdict(result.baseline) if result.baseline else None,
        "ratio_to_baseline": result.ratio_to_baseline,
        "notes": result.notes,
        **({"extra": result.extra} if result.extra else {}),
    }
    path = RESULTS_DIR / f"{result.name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
