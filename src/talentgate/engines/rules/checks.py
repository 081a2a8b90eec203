"""Cross-reference checks of a policy that its schema alone cannot express.

Each check yields ``(path, rule)`` pairs, ``path`` being the location inside the policy
(``("factors", 3, "bands", 2, "max")``) so that the loader can name the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from talentgate.engines.rules.schema import (
    AllOf,
    AnyOf,
    Axis,
    BandedFactor,
    Compare,
    NotOf,
    PerItemSumFactor,
    Policy,
    RulesFactor,
    Table2DFactor,
    TableFactor,
)

Path = tuple[str | int, ...]
Problem = tuple[Path, str]

# Selection is by merit (DESIGN.md section 1): these are never inputs of a policy.
FORBIDDEN_INPUT_WORDS = ("nationality", "sex", "gender", "religion", "ethnic", "race", "political", "citizenship")

__all__ = ["FORBIDDEN_INPUT_WORDS", "check_policy", "condition_inputs"]


def condition_inputs(condition: Any) -> list[str]:
    """Every input name a condition reads, in order of appearance."""
    if isinstance(condition, AllOf):
        return [name for part in condition.all for name in condition_inputs(part)]
    if isinstance(condition, AnyOf):
        return [name for part in condition.any for name in condition_inputs(part)]
    if isinstance(condition, NotOf):
        return condition_inputs(condition.not_)
    names: list[str] = []
    if condition.input:
        names.append(condition.input)
    names.extend(condition.min_of or [])
    names.extend(condition.max_of or [])
    return names


def check_policy(policy: Policy) -> list[Problem]:
    """All cross-reference problems of ``policy`` (empty when it is sound)."""
    return list(_problems(policy))


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    repeated = []
    for index, value in enumerate(ids):
        if value in seen:
            repeated.append(index)
        seen.add(value)
    return repeated


def _problems(policy: Policy) -> Iterator[Problem]:
    if policy.effective_to is not None and policy.effective_to < policy.effective_from:
        yield ("effective_to",), "effective_to must not be before effective_from"
    for name, items in (
        ("inputs", [i.name for i in policy.inputs]),
        ("variants", [v.id for v in policy.variants]),
        ("groups", [g.id for g in policy.groups]),
        ("factors", [f.id for f in policy.factors]),
        ("gates", [g.id for g in policy.gates]),
        ("thresholds", [t.id for t in policy.thresholds]),
        ("categories", [c.id for c in policy.categories]),
    ):
        for index in _duplicates(items):
            yield (name, index, "name" if name == "inputs" else "id"), f"duplicate {name[:-1]} '{items[index]}'"
    factor_and_group_ids = {f.id for f in policy.factors} | {g.id for g in policy.groups}
    for index in _duplicates([f.id for f in policy.factors] + [g.id for g in policy.groups]):
        if index >= len(policy.factors):
            i = index - len(policy.factors)
            yield ("groups", i, "id"), f"group id '{policy.groups[i].id}' is also a factor id"

    inputs = {spec.name: spec for spec in policy.inputs}
    yield from _check_inputs(policy)
    variants = policy.variant_ids
    for index, variant in enumerate(policy.variants):
        last = index == len(policy.variants) - 1
        if last and variant.when is not None:
            yield ("variants", index, "when"), "the last variant is the default: it must have no 'when'"
        if not last and variant.when is None:
            yield ("variants", index), "every variant but the last needs a 'when' condition"
        if variant.when is not None:
            yield from _check_condition(variant.when, ("variants", index, "when"), inputs, scored=False, policy=policy)

    groups = {g.id: g for g in policy.groups}
    for index, group in enumerate(policy.groups):
        if group.cap is not None:
            yield from _check_points(group.cap, ("groups", index, "cap"), variants)
        if group.parent is not None:
            if group.parent not in groups:
                yield ("groups", index, "parent"), f"unknown group '{group.parent}'"
            elif [g.id for g in policy.groups].index(group.parent) <= index:
                yield ("groups", index, "parent"), "a group's parent must be listed after it (children first)"

    for index, factor in enumerate(policy.factors):
        base: Path = ("factors", index)
        if factor.group not in groups:
            yield (*base, "group"), f"unknown group '{factor.group}'"
        if factor.cap is not None:
            yield from _check_points(factor.cap, (*base, "cap"), variants)
        if factor.applies_when is not None:
            yield from _check_condition(factor.applies_when, (*base, "applies_when"), inputs, False, policy)
        if policy.source.illustrative and not (factor.rationale and factor.rationale.strip()):
            yield (*base, "rationale"), "a policy designed by us gives every factor a written rationale"
        yield from _check_factor(factor, base, inputs, variants, policy)

    for index, gate in enumerate(policy.gates):
        yield from _check_condition(gate.when, ("gates", index, "when"), inputs, scored=False, policy=policy)
    for index, category in enumerate(policy.categories):
        yield from _check_condition(
            category.when, ("categories", index, "when"), inputs, True, policy, factor_and_group_ids
        )
    for index, threshold in enumerate(policy.thresholds):
        if policy.max_total is not None and threshold.min_total > policy.max_total:
            yield ("thresholds", index, "min_total"), "threshold above max_total can never be met"


def _check_inputs(policy: Policy) -> Iterator[Problem]:
    for index, spec in enumerate(policy.inputs):
        path: Path = ("inputs", index)
        lowered = spec.name.lower()
        for word in FORBIDDEN_INPUT_WORDS:
            if word in lowered.split("_") or lowered.startswith(word):
                # Citizenship may gate eligibility where a cited legal basis requires it, never score.
                if word == "citizenship" and policy.source.legal_basis and _only_in_gates(policy, spec.name):
                    continue
                yield (
                    (*path, "name"),
                    f"'{spec.name}' may not be an input: selection is by merit ({word} is never scored)",
                )
        if spec.type == "category":
            if not spec.values:
                yield (*path, "values"), "a category input lists its values"
            elif spec.default is not None and spec.default not in spec.values:
                yield (*path, "default"), f"default '{spec.default}' is not one of the values"
        elif spec.values is not None:
            yield (*path, "values"), "only category inputs list values"
        if spec.type == "boolean" and spec.default is not None and not isinstance(spec.default, bool):
            yield (*path, "default"), "a boolean input's default is true or false"
        if spec.type in ("integer", "number") and isinstance(spec.default, bool | str):
            yield (*path, "default"), "a numeric input's default is a number"


def _only_in_gates(policy: Policy, name: str) -> bool:
    for factor in policy.factors:
        if name in _factor_inputs(factor):
            return False
    return all(name not in condition_inputs(c.when) for c in policy.categories)


def _factor_inputs(factor: Any) -> list[str]:
    names: list[str] = []
    if isinstance(factor, BandedFactor):
        names = [factor.input] if factor.input else list(factor.min_of or [])
    elif isinstance(factor, TableFactor):
        names = [factor.input]
    elif isinstance(factor, PerItemSumFactor):
        names = [item.input for item in factor.items]
    elif isinstance(factor, Table2DFactor):
        for axis in (factor.rows, factor.columns):
            names += [axis.input] if axis.input else list(axis.min_of or [])
    elif isinstance(factor, RulesFactor):
        names = [n for rule in factor.rules for n in condition_inputs(rule.when)]
    if factor.applies_when is not None:
        names += condition_inputs(factor.applies_when)
    return names


def _check_points(points: Any, path: Path, variants: list[str]) -> Iterator[Problem]:
    if isinstance(points, dict):
        if set(points) != set(variants):
            yield path, f"points per variant must name exactly the variants {variants}, got {sorted(points)}"
        values = list(points.values())
    else:
        values = [points]
    for value in values:
        if value < 0:
            yield path, "points are never negative"


def _check_number_source(
    single: str | None, several: list[str] | None, path: Path, inputs: dict, numeric_only: bool = True
) -> Iterator[Problem]:
    if (single is None) == (several is None):
        yield path, "give exactly one of 'input' or 'min_of'"
        return
    for name in [single] if single else list(several or []):
        if name not in inputs:
            yield path, f"unknown input '{name}'"
        elif numeric_only and inputs[name].type not in ("integer", "number"):
            yield path, f"input '{name}' is not a number"


def _check_bands(bands: list, path: Path) -> Iterator[Problem]:
    previous_max: float | None = None
    for index, band in enumerate(bands):
        lower = float("-inf") if band.min is None else band.min
        upper = float("inf") if band.max is None else band.max
        if lower > upper:
            yield (*path, index, "max"), "max must not be below min"
        if index > 0 and band.min is None:
            yield (*path, index, "min"), "only the first band may be open below"
        if index < len(bands) - 1 and band.max is None:
            yield (*path, index, "max"), "only the last band may be open above"
        if previous_max is not None and lower <= previous_max:
            yield (*path, index, "min"), "bands must be in increasing order without overlap"
        previous_max = upper
    for index in _duplicates([b.id for b in bands]):
        yield (*path, index, "id"), f"duplicate band id '{bands[index].id}'"


def _check_axis(axis: Axis, path: Path, inputs: dict) -> Iterator[Problem]:
    if (axis.bands is None) == (axis.categories is None):
        yield path, "an axis has either 'bands' or 'categories'"
        return
    if axis.bands is not None:
        yield from _check_number_source(axis.input, axis.min_of, path, inputs)
        yield from _check_bands(axis.bands, (*path, "bands"))
    else:
        if axis.input is None or axis.input not in inputs:
            yield (*path, "input"), f"unknown input '{axis.input}'"
            return
        spec = inputs[axis.input]
        if spec.type != "category":
            yield (*path, "input"), f"input '{axis.input}' is not a category"
            return
        seen: set[str] = set()
        for index, category in enumerate(axis.categories or []):
            for value in category.values:
                if value not in (spec.values or []):
                    yield (*path, "categories", index, "values"), f"'{value}' is not a value of '{axis.input}'"
                if value in seen:
                    yield (*path, "categories", index, "values"), f"'{value}' appears in two categories"
                seen.add(value)


def _check_factor(factor: Any, base: Path, inputs: dict, variants: list[str], policy: Policy) -> Iterator[Problem]:
    if isinstance(factor, BandedFactor):
        yield from _check_number_source(factor.input, factor.min_of, base, inputs)
        yield from _check_bands(factor.bands, (*base, "bands"))
        for index, band in enumerate(factor.bands):
            yield from _check_points(band.points, (*base, "bands", index, "points"), variants)
    elif isinstance(factor, PerItemSumFactor):
        for index, item in enumerate(factor.items):
            yield from _check_number_source(item.input, None, (*base, "items", index, "input"), inputs)
        yield from _check_bands(factor.bands, (*base, "bands"))
        for index, band in enumerate(factor.bands):
            yield from _check_points(band.points, (*base, "bands", index, "points"), variants)
    elif isinstance(factor, TableFactor):
        spec = inputs.get(factor.input)
        if spec is None or spec.type != "category":
            yield (*base, "input"), f"'{factor.input}' is not a declared category input"
            return
        seen: set[str] = set()
        for index, row in enumerate(factor.rows):
            yield from _check_points(row.points, (*base, "rows", index, "points"), variants)
            for value in row.values:
                if value not in (spec.values or []):
                    yield (*base, "rows", index, "values"), f"'{value}' is not a value of '{factor.input}'"
                if value in seen:
                    yield (*base, "rows", index, "values"), f"'{value}' appears in two rows"
                seen.add(value)
        for index in _duplicates([r.id for r in factor.rows]):
            yield (*base, "rows", index, "id"), f"duplicate row id '{factor.rows[index].id}'"
    elif isinstance(factor, Table2DFactor):
        yield from _check_axis(factor.rows, (*base, "rows"), inputs)
        yield from _check_axis(factor.columns, (*base, "columns"), inputs)
        n_rows = len(factor.rows.bands or factor.rows.categories or [])
        n_cols = len(factor.columns.bands or factor.columns.categories or [])
        if len(factor.points) != n_rows:
            yield (*base, "points"), f"the table has {len(factor.points)} rows, the row axis {n_rows}"
        for index, line in enumerate(factor.points):
            if len(line) != n_cols:
                yield (*base, "points", index), f"row has {len(line)} cells, the column axis {n_cols}"
            for j, cell in enumerate(line):
                yield from _check_points(cell, (*base, "points", index, j), variants)
    elif isinstance(factor, RulesFactor):
        for index, rule in enumerate(factor.rules):
            yield from _check_points(rule.points, (*base, "rules", index, "points"), variants)
            yield from _check_condition(rule.when, (*base, "rules", index, "when"), inputs, False, policy)
        for index in _duplicates([r.id for r in factor.rules]):
            yield (*base, "rules", index, "id"), f"duplicate rule id '{factor.rules[index].id}'"


def _check_condition(
    condition: Any,
    path: Path,
    inputs: dict,
    scored: bool,
    policy: Policy,
    scored_ids: set[str] | None = None,
) -> Iterator[Problem]:
    if isinstance(condition, AllOf):
        for index, part in enumerate(condition.all):
            yield from _check_condition(part, (*path, "all", index), inputs, scored, policy, scored_ids)
        return
    if isinstance(condition, AnyOf):
        for index, part in enumerate(condition.any):
            yield from _check_condition(part, (*path, "any", index), inputs, scored, policy, scored_ids)
        return
    if isinstance(condition, NotOf):
        yield from _check_condition(condition.not_, (*path, "not"), inputs, scored, policy, scored_ids)
        return
    assert isinstance(condition, Compare)
    operands = [
        condition.input is not None,
        condition.min_of is not None,
        condition.max_of is not None,
        bool(condition.total),
        condition.points_of is not None,
    ]
    if sum(operands) != 1:
        yield path, "a comparison has exactly one of: input, min_of, max_of, total, points_of"
        return
    if (condition.total or condition.points_of) and not scored:
        yield path, "only categories may compare totals or points (gates and rules read inputs)"
        return
    if condition.points_of is not None and condition.points_of not in (scored_ids or set()):
        yield (*path, "points_of"), f"unknown factor or group '{condition.points_of}'"
    if condition.op in ("in", "not_in") and not isinstance(condition.value, list):
        yield (*path, "value"), f"'{condition.op}' compares with a list"
    if condition.op not in ("in", "not_in") and isinstance(condition.value, list):
        yield (*path, "value"), f"'{condition.op}' compares with a single value"
    names = [condition.input] if condition.input else list(condition.min_of or condition.max_of or [])
    for name in names:
        spec = inputs.get(name)
        if spec is None:
            yield path, f"unknown input '{name}'"
            continue
        values = condition.value if isinstance(condition.value, list) else [condition.value]
        if spec.type == "category":
            if condition.min_of or condition.max_of:
                yield path, f"min_of/max_of need numbers; '{name}' is a category"
            if condition.op not in ("eq", "ne", "in", "not_in"):
                yield (*path, "op"), f"category '{name}' compares only with eq, ne, in, not_in"
            for value in values:
                if value not in (spec.values or []):
                    yield (*path, "value"), f"'{value}' is not a value of '{name}'"
        elif spec.type == "boolean":
            if condition.op not in ("eq", "ne") or not all(isinstance(v, bool) for v in values):
                yield (*path, "value"), f"boolean '{name}' compares with eq/ne and true/false"
        elif not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            yield (*path, "value"), f"number '{name}' compares with numbers"
