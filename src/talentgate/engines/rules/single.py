"""The single-profile path: a plain Python reading of a policy for one person, with explanations.

This is deliberately a straightforward interpreter of the policy objects (no arrays): it is
the reference the vectorized path must agree with exactly (a property test checks that), and
the per-candidate baseline of the CRS benchmark.

>>> from talentgate.engines.rules.registry import get_policy
>>> crs = get_policy("canada-crs", version="2025-03-25")
>>> result = assess_one({"age_years": 29, "has_accompanying_spouse": False}, crs)
>>> result.factor("age").points
110
>>> "clb_first_official_reading" in result.missing
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from talentgate.engines.rules.checks import condition_inputs
from talentgate.engines.rules.results import (
    MISSING,
    NO_MATCH,
    NOT_APPLICABLE,
    Explanation,
    FactorLine,
    GateLine,
    hash_row,
)
from talentgate.engines.rules.schema import (
    AllOf,
    AnyOf,
    BandedFactor,
    NotOf,
    PerItemSumFactor,
    Policy,
    RulesFactor,
    Table2DFactor,
    TableFactor,
)

__all__ = ["InputError", "assess_one", "normalise_inputs"]


class InputError(ValueError):
    """A derived input that does not fit its declaration (names the input and the rule)."""

    def __init__(self, name: str, rule: str):
        self.field = name
        self.rule = rule
        super().__init__(f"{name}: {rule}")


def normalise_inputs(values: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
    """Declared inputs with defaults applied; a missing input is ``None``. Bad values raise :class:`InputError`."""
    out: dict[str, Any] = {}
    for spec in policy.inputs:
        value = values.get(spec.name)
        if isinstance(value, float) and math.isnan(value):
            value = None
        if value is None:
            out[spec.name] = spec.default
            continue
        if spec.type == "category":
            if value not in (spec.values or []):
                raise InputError(spec.name, f"'{value}' is not one of {spec.values}")
        elif spec.type == "boolean":
            if not isinstance(value, bool):
                raise InputError(spec.name, "must be true or false")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(spec.name, "must be a number")
        out[spec.name] = value
    return out


def _encode(policy: Policy, inputs: dict[str, Any]) -> list[float | None]:
    encoded: list[float | None] = []
    for spec in policy.inputs:
        value = inputs[spec.name]
        if value is None:
            encoded.append(None)
        elif spec.type == "category":
            encoded.append(float((spec.values or []).index(value)))
        else:
            encoded.append(float(value))
    return encoded


def _points(points: Any, variant: str) -> Any:
    return points[variant] if isinstance(points, dict) else points


def _band_index(bands: list, value: float) -> int:
    for index, band in enumerate(bands):
        if (band.min is None or value >= band.min) and (band.max is None or value <= band.max):
            return index
    return NO_MATCH


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if op == "lt":
        return bool(left < right)
    if op == "le":
        return bool(left <= right)
    if op == "gt":
        return bool(left > right)
    if op == "ge":
        return bool(left >= right)
    if op == "in":
        return left in right
    return left not in right


def _holds(condition: Any, inputs: dict[str, Any], scores: dict[str, Any] | None = None) -> bool:
    if isinstance(condition, AllOf):
        return all(_holds(part, inputs, scores) for part in condition.all)
    if isinstance(condition, AnyOf):
        return any(_holds(part, inputs, scores) for part in condition.any)
    if isinstance(condition, NotOf):
        return not _holds(condition.not_, inputs, scores)
    if condition.input is not None:
        left = inputs[condition.input]
    elif condition.min_of is not None:
        left = min(inputs[name] for name in condition.min_of)
    elif condition.max_of is not None:
        left = max(inputs[name] for name in condition.max_of)
    else:
        assert scores is not None
        left = scores["total"] if condition.total else scores[condition.points_of]
    return _compare(left, condition.op, condition.value)


def _missing(names: list[str], inputs: dict[str, Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if inputs[name] is None))


def _factor_names(factor: Any) -> list[str]:
    if isinstance(factor, BandedFactor):
        return [factor.input] if factor.input else list(factor.min_of or [])
    if isinstance(factor, TableFactor):
        return [factor.input]
    if isinstance(factor, PerItemSumFactor):
        return [item.input for item in factor.items]
    if isinstance(factor, Table2DFactor):
        names: list[str] = []
        for axis in (factor.rows, factor.columns):
            names += [axis.input] if axis.input else list(axis.min_of or [])
        return names
    return [name for rule in factor.rules for name in condition_inputs(rule.when)]


def _axis_index(axis: Any, inputs: dict[str, Any]) -> tuple[int, Any]:
    value = inputs[axis.input] if axis.input else min(inputs[name] for name in axis.min_of)
    if axis.bands is not None:
        return _band_index(axis.bands, value), value
    for index, category in enumerate(axis.categories):
        if value in category.values:
            return index, value
    return NO_MATCH, value


def _score(factor: Any, inputs: dict[str, Any], variant: str) -> tuple[Any, int, tuple[Any, ...]]:
    """Points before the cap, the rule index, and the values read."""
    if isinstance(factor, BandedFactor):
        value = inputs[factor.input] if factor.input else min(inputs[name] for name in factor.min_of or [])
        index = _band_index(factor.bands, value)
        points = 0 if index == NO_MATCH else _points(factor.bands[index].points, variant)
        return points, index, (value,)
    if isinstance(factor, TableFactor):
        value = inputs[factor.input]
        for position, table_row in enumerate(factor.rows):
            if value in table_row.values:
                return _points(table_row.points, variant), position, (value,)
        return 0, NO_MATCH, (value,)
    if isinstance(factor, PerItemSumFactor):
        total: Any = 0
        rule = 0
        radix = len(factor.bands) + 1
        values = []
        for position, item in enumerate(factor.items):
            value = inputs[item.input]
            values.append(value)
            index = _band_index(factor.bands, value)
            if index == NO_MATCH:
                index = len(factor.bands)
            else:
                total += _points(factor.bands[index].points, variant)
            rule += index * radix**position
        return total, rule, tuple(values)
    if isinstance(factor, Table2DFactor):
        row, row_value = _axis_index(factor.rows, inputs)
        col, col_value = _axis_index(factor.columns, inputs)
        if row == NO_MATCH or col == NO_MATCH:
            return 0, NO_MATCH, (row_value, col_value)
        n_cols = len(factor.columns.bands or factor.columns.categories or [])
        return _points(factor.points[row][col], variant), row * n_cols + col, (row_value, col_value)
    assert isinstance(factor, RulesFactor)
    for index, rule_spec in enumerate(factor.rules):
        if _holds(rule_spec.when, inputs):
            return _points(rule_spec.points, variant), index, ()
    return 0, NO_MATCH, ()


def assess_one(values: Mapping[str, Any], policy: Policy) -> Explanation:
    """Assess one person's derived inputs (``name -> value``; absent or ``None`` = missing) under ``policy``."""
    inputs = normalise_inputs(values, policy)
    consulted_missing: list[str] = []

    variant = "default"
    for spec in policy.variants:
        if spec.when is None:
            variant = spec.id
            break
        absent = _missing(condition_inputs(spec.when), inputs)
        if absent:
            consulted_missing.extend(absent)
            continue
        if _holds(spec.when, inputs):
            variant = spec.id
            break

    lines: list[FactorLine] = []
    for factor in policy.factors:
        if factor.applies_when is not None:
            absent = _missing(condition_inputs(factor.applies_when), inputs)
            if absent:
                consulted_missing.extend(absent)
                lines.append(FactorLine(factor.id, factor.group, 0, MISSING, False, (), absent))
                continue
            if not _holds(factor.applies_when, inputs):
                lines.append(FactorLine(factor.id, factor.group, 0, NOT_APPLICABLE, False, ()))
                continue
        absent = _missing(_factor_names(factor), inputs)
        if absent:
            consulted_missing.extend(absent)
            lines.append(FactorLine(factor.id, factor.group, 0, MISSING, False, (), absent))
            continue
        raw, rule, read = _score(factor, inputs, variant)
        points = raw
        capped = False
        if factor.cap is not None:
            cap = _points(factor.cap, variant)
            capped = raw > cap
            points = min(raw, cap)
        lines.append(FactorLine(factor.id, factor.group, points, rule, capped, read))

    groups: dict[str, Any] = {}
    for group in policy.groups:
        subtotal: Any = sum(line.points for line in lines if line.group == group.id)
        subtotal += sum(groups[g.id] for g in policy.groups if g.parent == group.id)
        if group.cap is not None:
            subtotal = min(subtotal, _points(group.cap, variant))
        groups[group.id] = subtotal
    total: Any = sum(groups[g.id] for g in policy.groups if g.parent is None)
    if policy.max_total is not None:
        total = min(total, policy.max_total)

    gates = []
    for gate in policy.gates:
        absent = _missing(condition_inputs(gate.when), inputs)
        if absent:
            consulted_missing.extend(absent)
            gates.append(GateLine(gate.id, False, absent))
        else:
            gates.append(GateLine(gate.id, _holds(gate.when, inputs)))
    eligible = all(g.passed for g in gates)
    thresholds = {t.id: bool(total >= t.min_total) for t in policy.thresholds}

    scores: dict[str, Any] = {"total": total, **groups, **{line.factor: line.points for line in lines}}
    categories = []
    for category in policy.categories:
        absent = _missing(condition_inputs(category.when), inputs)
        if absent:
            consulted_missing.extend(absent)
            continue
        if eligible and _holds(category.when, inputs, scores):
            categories.append(category.id)

    seen = set(consulted_missing)
    missing = [spec.name for spec in policy.inputs if spec.name in seen]
    return Explanation(
        policy_id=policy.id,
        version=policy.version,
        variant=variant,
        total=total,
        groups=groups,
        factors=lines,
        gates=gates,
        eligible=eligible,
        thresholds=thresholds,
        categories=categories,
        missing=missing,
        inputs_hash=hash_row(_encode(policy, inputs)),
        policy=policy,
    )
