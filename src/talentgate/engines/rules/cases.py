"""Hand-computed test cases of a policy (``cases-<version>.yaml``), run through both evaluation paths.

A case gives derived inputs and the results computed by hand from the official grid, and
names the table rows it uses (``age.age_20_29``, ``education_and_language.advanced/clb9``);
the runner checks each named row is the one the policy actually used. A *sweep* varies one
input and lists, value by value, the points and row a factor must give. Every case runs
through the single-profile path and the vectorized path, which must both match.

The runner also reports coverage: table rows never used, band boundaries never tested, caps
never reached and variants never taken, so "every boundary, every cap, both variants" is
checked rather than promised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from talentgate.engines.rules.loader import PolicyInvalid, PolicyProblem, line_of, read_yaml
from talentgate.engines.rules.registry import get_policy, policy_ids
from talentgate.engines.rules.results import Explanation, decode_item_rule, rule_id
from talentgate.engines.rules.schema import (
    BandedFactor,
    PerItemSumFactor,
    Policy,
    RulesFactor,
    Table2DFactor,
    TableFactor,
)
from talentgate.engines.rules.single import assess_one
from talentgate.engines.rules.vectorized import Columns, evaluate_columns

__all__ = ["CaseResult", "CasesReport", "run_cases", "run_shipped_cases"]


@dataclass
class CaseResult:
    name: str
    line: int
    passed: bool
    failures: list[str] = field(default_factory=list)


@dataclass
class CasesReport:
    policy_id: str
    version: str
    file: str
    results: list[CaseResult]
    uncovered_rows: list[str]
    untested_boundaries: list[str]
    unreached_caps: list[str]
    unused_variants: list[str]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def complete(self) -> bool:
        """Every row used, every boundary tested, every cap reached, every variant taken."""
        return not (self.uncovered_rows or self.untested_boundaries or self.unreached_caps or self.unused_variants)


class _Coverage:
    def __init__(self, policy: Policy):
        self.policy = policy
        self.rows: set[str] = set()
        self.values: dict[str, set[float]] = {}
        self.caps: set[str] = set()
        self.variants: set[str] = set()

    def record(self, result: Explanation) -> None:
        policy = self.policy
        self.variants.add(result.variant)
        for line, factor in zip(result.factors, policy.factors, strict=True):
            if line.rule < 0:
                continue
            if isinstance(factor, PerItemSumFactor):
                for band in decode_item_rule(line.rule, len(factor.items), len(factor.bands)):
                    if band < len(factor.bands):
                        self.rows.add(f"{factor.id}.{factor.bands[band].id}")
                self.values.setdefault(factor.id, set()).update(float(v) for v in line.values)
            else:
                self.rows.add(f"{factor.id}.{rule_id(factor, line.rule)}")
                if isinstance(factor, BandedFactor):
                    self.values.setdefault(factor.id, set()).add(float(line.values[0]))
                if isinstance(factor, Table2DFactor):
                    for axis_name, value in zip(("rows", "columns"), line.values, strict=True):
                        if getattr(factor, axis_name).bands is not None:
                            self.values.setdefault(f"{factor.id}.{axis_name}", set()).add(float(value))
            if line.capped:
                self.caps.add(f"factor {factor.id}")
        for group in policy.groups:
            if group.cap is None:
                continue
            cap = group.cap[result.variant] if isinstance(group.cap, dict) else group.cap
            raw = sum(line.points for line in result.factors if line.group == group.id)
            raw += sum(result.groups[g.id] for g in policy.groups if g.parent == group.id)
            if cap > 0 and raw >= cap:
                self.caps.add(f"group {group.id}")

    def uncovered_rows(self) -> list[str]:
        expected = []
        for factor in self.policy.factors:
            if isinstance(factor, BandedFactor | PerItemSumFactor):
                expected += [f"{factor.id}.{b.id}" for b in factor.bands]
            elif isinstance(factor, TableFactor):
                expected += [f"{factor.id}.{r.id}" for r in factor.rows]
            elif isinstance(factor, RulesFactor):
                expected += [f"{factor.id}.{r.id}" for r in factor.rules]
            elif isinstance(factor, Table2DFactor):
                rows = factor.rows.bands or factor.rows.categories or []
                cols = factor.columns.bands or factor.columns.categories or []
                expected += [f"{factor.id}.{r.id}/{c.id}" for r in rows for c in cols]
        return [row for row in expected if row not in self.rows]

    def untested_boundaries(self) -> list[str]:
        missing = []
        for factor in self.policy.factors:
            targets: list[tuple[str, list[Any]]] = []
            if isinstance(factor, BandedFactor | PerItemSumFactor):
                targets.append((factor.id, factor.bands))
            elif isinstance(factor, Table2DFactor):
                for axis_name in ("rows", "columns"):
                    axis = getattr(factor, axis_name)
                    if axis.bands is not None:
                        targets.append((f"{factor.id}.{axis_name}", axis.bands))
            for key, bands in targets:
                seen = self.values.get(key, set())
                for band in bands:
                    for bound in (band.min, band.max):
                        if bound is not None and float(bound) not in seen:
                            missing.append(f"{key}.{band.id} at {bound:g}")
        return missing

    def unreached_caps(self) -> list[str]:
        wanted = [f"factor {f.id}" for f in self.policy.factors if f.cap is not None]
        wanted += [f"group {g.id}" for g in self.policy.groups if g.cap is not None and _cap_positive(g.cap)]
        return [cap for cap in wanted if cap not in self.caps]


def _cap_positive(cap: Any) -> bool:
    return any(v > 0 for v in cap.values()) if isinstance(cap, dict) else cap > 0


def _columns(inputs: dict[str, Any], policy: Policy) -> Columns:
    values = {}
    for name, value in inputs.items():
        spec = policy.input(name)
        if value is None:
            values[name] = np.array([-1], dtype=np.int16) if spec.type == "category" else np.array([np.nan])
        else:
            values[name] = np.array([value])
    return Columns(values)


def _compare(result: Explanation, expect: dict[str, Any], failures: list[str], label: str = "") -> None:
    prefix = f"{label}: " if label else ""
    if "total" in expect and result.total != expect["total"]:
        failures.append(f"{prefix}total {result.total} != expected {expect['total']}")
    for group, value in (expect.get("groups") or {}).items():
        if result.groups.get(group) != value:
            failures.append(f"{prefix}group {group} {result.groups.get(group)} != expected {value}")
    for factor, value in (expect.get("points") or {}).items():
        try:
            got = result.factor(factor).points
        except KeyError:
            failures.append(f"{prefix}unknown factor '{factor}'")
            continue
        if got != value:
            failures.append(f"{prefix}factor {factor} {got} != expected {value}")
    if "eligible" in expect and result.eligible != expect["eligible"]:
        failures.append(f"{prefix}eligible {result.eligible} != expected {expect['eligible']}")
    if "categories" in expect and sorted(result.categories) != sorted(expect["categories"] or []):
        failures.append(f"{prefix}categories {result.categories} != expected {expect['categories']}")
    if "missing" in expect and result.missing != list(expect["missing"] or []):
        failures.append(f"{prefix}missing {result.missing} != expected {expect['missing']}")
    if "variant" in expect and result.variant != expect["variant"]:
        failures.append(f"{prefix}variant {result.variant} != expected {expect['variant']}")
    for threshold, value in (expect.get("thresholds") or {}).items():
        if result.thresholds.get(threshold) != value:
            failures.append(f"{prefix}threshold {threshold} {result.thresholds.get(threshold)} != expected {value}")
    for gate, value in (expect.get("gates") or {}).items():
        found = [g for g in result.gates if g.gate == gate]
        if not found or found[0].passed != value:
            failures.append(f"{prefix}gate {gate} {found[0].passed if found else None} != expected {value}")
    for factor in expect.get("capped") or []:
        if not result.factor(factor).capped:
            failures.append(f"{prefix}factor {factor} was expected to be capped")


def _check_rows(result: Explanation, policy: Policy, rows: list[str], failures: list[str], label: str = "") -> None:
    prefix = f"{label}: " if label else ""
    for named in rows:
        factor_id, _, row = named.partition(".")
        factor = next((f for f in policy.factors if f.id == factor_id), None)
        if factor is None:
            failures.append(f"{prefix}names row '{named}' of an unknown factor")
            continue
        line = result.factor(factor_id)
        if isinstance(factor, PerItemSumFactor):
            used = [
                factor.bands[b].id if b < len(factor.bands) else "otherwise"
                for b in (decode_item_rule(line.rule, len(factor.items), len(factor.bands)) if line.rule >= 0 else [])
            ]
            if row not in used:
                failures.append(f"{prefix}row '{named}' was not used (items used {used})")
        elif rule_id(factor, line.rule) != row:
            failures.append(f"{prefix}row '{named}' was not used ({factor_id} used '{rule_id(factor, line.rule)}')")


def _run_one(policy: Policy, inputs: dict[str, Any], failures: list[str], label: str) -> Explanation | None:
    try:
        single = assess_one(inputs, policy)
    except (ValueError, KeyError) as error:
        failures.append(f"{label}: inputs refused: {error}")
        return None
    try:
        pooled = evaluate_columns(_columns(inputs, policy), policy).explanation(0)
    except (ValueError, KeyError) as error:
        failures.append(f"{label}: inputs refused by the vectorized path: {error}")
        return single
    if pooled != single:
        failures.append(f"{label}: the vectorized path disagrees with the single-profile path")
    return single


def run_cases(text: str, file: str, policy: Policy | None = None) -> CasesReport:
    """Run one cases file (its text); ``policy`` defaults to the shipped version the file names."""
    data, lines = read_yaml(text, file)
    if not isinstance(data, dict) or "cases" not in data or "policy" not in data:
        raise PolicyInvalid([PolicyProblem(file, 1, "", "a cases file has 'policy', 'version' and 'cases'")])
    if policy is None:
        policy = get_policy(str(data["policy"]), version=str(data["version"]))
    coverage = _Coverage(policy)
    results = []
    for index, case in enumerate(data["cases"]):
        name = str(case.get("name", f"case {index}"))
        line = line_of(lines, ("cases", index))
        failures: list[str] = []
        if "on" in case:
            day = dt.date.fromisoformat(str(case["on"]))
            in_force = get_policy(policy.id, on=day)
            if in_force.version != policy.version:
                failures.append(f"on {day}: version {in_force.version} is in force, not {policy.version}")
        if "sweep" in case:
            sweep = case["sweep"]
            for value, points, row in sweep["expect"]:
                inputs = {**(sweep.get("base") or {}), sweep["input"]: value}
                label = f"{sweep['input']}={value}"
                result = _run_one(policy, inputs, failures, label)
                if result is None:
                    continue
                coverage.record(result)
                _compare(result, {"points": {sweep["factor"]: points}}, failures, label)
                _check_rows(result, policy, [f"{sweep['factor']}.{row}"], failures, label)
        else:
            if not case.get("rows"):
                failures.append("a case names the rows it uses ('rows')")
            result = _run_one(policy, dict(case.get("inputs") or {}), failures, "case")
            if result is not None:
                coverage.record(result)
                _compare(result, case.get("expect") or {}, failures)
                _check_rows(result, policy, list(case.get("rows") or []), failures)
        results.append(CaseResult(name, line, not failures, failures))
    return CasesReport(
        policy_id=policy.id,
        version=policy.version,
        file=file,
        results=results,
        uncovered_rows=coverage.uncovered_rows(),
        untested_boundaries=coverage.untested_boundaries(),
        unreached_caps=coverage.unreached_caps(),
        unused_variants=[v for v in (x.id for x in policy.variants) if v not in coverage.variants],
    )


def run_shipped_cases(policy_id: str | None = None) -> list[CasesReport]:
    """Run every shipped ``cases-*.yaml`` (of one policy, or of all)."""
    root = resources.files("talentgate.policies")
    reports = []
    for pid in [policy_id] if policy_id else policy_ids():
        folder = root.joinpath(pid)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.startswith("cases-") and entry.name.endswith(".yaml"):
                reports.append(run_cases(entry.read_text(encoding="utf-8"), f"{pid}/{entry.name}"))
    return reports
