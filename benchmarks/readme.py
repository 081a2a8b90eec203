"""Regenerates the README's table of measured figures from ``benchmarks/results/*.json``."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _ratio(value: float) -> str:
    return f"{value:,.0f}x" if value >= 100 else f"{value:.3g}x"


def render_table(results_dir: Path = ROOT / "benchmarks" / "results") -> str:
    rows = [
        "| benchmark | figure | value | target | baseline | ratio | date |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path in sorted(results_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        baseline = data.get("baseline")
        base_text = f"{_number(baseline['value'])} {baseline['unit']} ({baseline['label']})" if baseline else ""
        ratio = data.get("ratio_to_baseline")
        for i, fig in enumerate(data["figures"]):
            target = ""
            if fig.get("target") is not None:
                sign = "≥" if fig.get("higher_is_better") else "≤"
                mark = "met" if fig.get("meets_target") else "MISSED"
                target = f"{sign} {_number(fig['target'])} {fig['unit']} ({mark})"
            rows.append(
                "| {} | {} | {} {} | {} | {} | {} | {} |".format(
                    data["title"] if i == 0 else "",
                    fig["label"],
                    _number(fig["value"]),
                    fig["unit"],
                    target,
                    base_text if i == 0 else "",
                    _ratio(ratio) if (ratio is not None and i == 0) else "",
                    data["date"][:10] if i == 0 else "",
                )
            )
    return "\n".join(rows)


def update_readme(readme: Path = ROOT / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{render_table()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    update_readme()
