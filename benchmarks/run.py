"""Runs every ``benchmarks/bench_*.py`` (each exposes ``main()``), or the ones named on the command line.

``python -m benchmarks.run`` from the project root; ``make bench`` does this and then
regenerates the README table.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    here = Path(__file__).resolve().parent
    modules = sorted(p.stem for p in here.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m in names or m.removeprefix("bench_") in names]
    for module_name in chosen:
        print(f"== {module_name}", flush=True)
        importlib.import_module(f"benchmarks.{module_name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
