"""What an assessment says about one person, and the words it says it in (English and Russian).

An :class:`Explanation` holds numbers only (points, row indices, gate results, missing
inputs); sentences are rendered on demand by :meth:`Explanation.sentences`, so the
vectorized path never formats text. Rule indices use these markers:

- ``0..n-1``: the row, band or rule of the factor that gave the points (for a two-dimensional
  table ``row * n_columns + column``; for a per-item sum, the item bands in mixed radix);
- :data:`MISSING` (-1): an input the factor needs is missing, so it gave 0 points;
- :data:`NO_MATCH` (-2): no row applies (the factor's ``otherwise`` text), 0 points;
- :data:`NOT_APPLICABLE` (-3): the factor's ``applies_when`` does not hold, 0 points.

>>> points_words(1, "ru"), points_words(3, "ru"), points_words(12, "ru"), points_words(21, "en")
('1 балл', '3 балла', '12 баллов', '21 points')
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Any

from talentgate.engines.rules.schema import (
    BandedFactor,
    PerItemSumFactor,
    Policy,
    RulesFactor,
    Table2DFactor,
    TableFactor,
    Text,
)

MISSING = -1
NO_MATCH = -2
NOT_APPLICABLE = -3

__all__ = [
    "MISSING",
    "NOT_APPLICABLE",
    "NO_MATCH",
    "Explanation",
    "FactorLine",
    "GateLine",
    "decode_item_rule",
    "hash_row",
    "points_words",
    "rule_id",
]

# 64-bit mixing constants (splitmix64); the same arithmetic runs on NumPy arrays in vectorized.py.
MASK64 = (1 << 64) - 1
HASH_SEED = 0x6A09E667F3BCC908
GOLDEN = 0x9E3779B97F4A7C15
MISSING_BITS = 0x7FF8DEADBEEF0001


def mix64(z: int) -> int:
    """splitmix64 finaliser on a Python int (kept in 64 bits)."""
    z = (z + GOLDEN) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def hash_row(encoded: list[float | None]) -> str:
    """Hash of one person's derived inputs (floats in declared input order, ``None`` = missing), 16 hex digits."""
    h = HASH_SEED
    for index, value in enumerate(encoded):
        bits = MISSING_BITS if value is None else struct.unpack("<Q", struct.pack("<d", float(value) + 0.0))[0]
        h = mix64(h ^ ((bits + index * GOLDEN) & MASK64))
    return f"{h:016x}"


def points_words(points: float, lang: str) -> str:
    """``12`` -> ``12 points`` / ``12 баллов`` (Russian plural rules)."""
    number = f"{points:g}"
    if lang == "ru":
        if points != int(points):
            return f"{number} балла"
        n = abs(int(points))
        if n % 10 == 1 and n % 100 != 11:
            return f"{number} балл"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return f"{number} балла"
        return f"{number} баллов"
    return f"{number} point" if points == 1 else f"{number} points"


def _t(text: Text | None, lang: str, fallback: str = "") -> str:
    if text is None:
        return fallback
    return text.ru if lang == "ru" else text.en


def decode_item_rule(rule: int, n_items: int, n_bands: int) -> list[int]:
    """Per-item band indices packed in a per-item-sum rule index (``n_bands`` = no band)."""
    radix = n_bands + 1
    return [(rule // radix**i) % radix for i in range(n_items)]


def rule_id(factor: Any, rule: int) -> str:
    """A readable id of the row a rule index points to (``band_20_29``, ``advanced/clb9``...)."""
    if rule == MISSING:
        return "missing"
    if rule == NO_MATCH:
        return "otherwise"
    if rule == NOT_APPLICABLE:
        return "not_applicable"
    if isinstance(factor, BandedFactor):
        return factor.bands[rule].id
    if isinstance(factor, TableFactor):
        return factor.rows[rule].id
    if isinstance(factor, RulesFactor):
        return factor.rules[rule].id
    if isinstance(factor, Table2DFactor):
        columns = factor.columns.bands or factor.columns.categories or []
        rows = factor.rows.bands or factor.rows.categories or []
        return f"{rows[rule // len(columns)].id}/{columns[rule % len(columns)].id}"
    assert isinstance(factor, PerItemSumFactor)
    bands = decode_item_rule(rule, len(factor.items), len(factor.bands))
    return ",".join(factor.bands[b].id if b < len(factor.bands) else "otherwise" for b in bands)


@dataclass(frozen=True)
class FactorLine:
    """One factor's result: points after the factor cap, the rule index, and the values it read."""

    factor: str
    group: str
    points: float
    rule: int
    capped: bool
    values: tuple[Any, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateLine:
    gate: str
    passed: bool
    missing: tuple[str, ...] = ()


@dataclass
class Explanation:
    """One person's assessment under one policy version, with sentences rendered on demand."""

    policy_id: str
    version: str
    variant: str
    total: float
    groups: dict[str, float]
    factors: list[FactorLine]
    gates: list[GateLine]
    eligible: bool
    thresholds: dict[str, bool]
    categories: list[str]
    missing: list[str]
    inputs_hash: str
    policy: Policy | None = field(default=None, repr=False, compare=False)

    def factor(self, factor_id: str) -> FactorLine:
        for line in self.factors:
            if line.factor == factor_id:
                return line
        raise KeyError(factor_id)

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain data (JSON-ready); with ``lang``, each factor and gate carries its sentence."""
        policy = self.policy
        factors = []
        for line in self.factors:
            entry: dict[str, Any] = {
                "factor": line.factor,
                "group": line.group,
                "points": line.points,
                "rule": rule_id(_factor(policy, line.factor), line.rule) if policy else line.rule,
            }
            if lang and policy:
                entry["reason"] = self.factor_sentence(line, lang)
            factors.append(entry)
        gates = []
        for gate in self.gates:
            entry = {"gate": gate.gate, "passed": gate.passed}
            if lang and policy:
                entry["reason"] = self.gate_sentence(gate, lang)
            gates.append(entry)
        return {
            "policy": self.policy_id,
            "version": self.version,
            "variant": self.variant,
            "eligible": self.eligible,
            "total": self.total,
            "groups": dict(self.groups),
            "thresholds": dict(self.thresholds),
            "categories": list(self.categories),
            "factors": factors,
            "gates": gates,
            "missing": list(self.missing),
            "inputs_hash": self.inputs_hash,
        }

    # --- words ----------------------------------------------------------------------------

    def factor_sentence(self, line: FactorLine, lang: str = "en") -> str:
        """One sentence saying what the factor gave and why."""
        policy = self._policy()
        factor = _factor(policy, line.factor)
        label = _t(factor.label, lang)
        pts = points_words(line.points, lang)
        if line.rule == MISSING:
            names = ", ".join(_t(policy.input(n).label, lang) for n in line.missing)
            if lang == "ru":
                return f"{label}: не оценено — нет данных ({names}); {pts}."
            return f"{label}: not assessed — missing information ({names}); {pts}."
        if line.rule == NOT_APPLICABLE:
            reason = _t(factor.not_applicable, lang, "не применяется" if lang == "ru" else "does not apply")
            return f"{label}: {reason}; {pts}."
        if line.rule == NO_MATCH:
            reason = _t(factor.otherwise, lang, "ни одно условие не выполнено" if lang == "ru" else "no row applies")
            return f"{label}: {reason}; {pts}."
        detail = self._detail(factor, line, lang)
        capped = ""
        if line.capped:
            capped = " (с учётом предела)" if lang == "ru" else " (limited by the factor's maximum)"
        return f"{label}: {detail} — {pts}{capped}."

    def _detail(self, factor: Any, line: FactorLine, lang: str) -> str:
        if isinstance(factor, BandedFactor):
            return f"{_num(line.values[0])} → {_t(factor.bands[line.rule].label, lang)}"
        if isinstance(factor, TableFactor):
            return _t(factor.rows[line.rule].label, lang)
        if isinstance(factor, RulesFactor):
            return _t(factor.rules[line.rule].label, lang)
        if isinstance(factor, Table2DFactor):
            rows = factor.rows.bands or factor.rows.categories or []
            columns = factor.columns.bands or factor.columns.categories or []
            n_cols = len(columns)
            row, col = rows[line.rule // n_cols], columns[line.rule % n_cols]
            return (
                f"{_t(factor.rows.label, lang)} «{_t(row.label, lang)}» × "
                f"{_t(factor.columns.label, lang)} «{_t(col.label, lang)}»"
            )
        assert isinstance(factor, PerItemSumFactor)
        variant = self.variant
        parts = []
        for item, value, band_index in zip(
            factor.items,
            line.values,
            decode_item_rule(line.rule, len(factor.items), len(factor.bands)),
            strict=True,
        ):
            if band_index < len(factor.bands):
                band = factor.bands[band_index]
                pts = band.points[variant] if isinstance(band.points, dict) else band.points
                parts.append(f"{_t(item.label, lang)} {_num(value)} → {points_words(pts, lang)}")
            else:
                parts.append(f"{_t(item.label, lang)} {_num(value)} → 0")
        return "; ".join(parts)

    def gate_sentence(self, gate: GateLine, lang: str = "en") -> str:
        policy = self._policy()
        spec = next(g for g in policy.gates if g.id == gate.gate)
        label = _t(spec.label, lang)
        if gate.passed:
            return f"{label}: выполнено." if lang == "ru" else f"{label}: met."
        if gate.missing:
            names = ", ".join(_t(policy.input(n).label, lang) for n in gate.missing)
            if lang == "ru":
                return f"{label}: нельзя проверить — нет данных ({names})."
            return f"{label}: cannot be checked — missing information ({names})."
        return (
            f"{label}: не выполнено — {_t(spec.failed, lang)}"
            if lang == "ru"
            else f"{label}: not met — {spec.failed.en}"
        )

    def sentences(self, lang: str = "en") -> list[str]:
        """The whole explanation as sentences a candidate can read."""
        policy = self._policy()
        out = []
        title = _t(policy.title, lang)
        if lang == "ru":
            out.append(f"{title} (версия {self.version}): всего {points_words(self.total, lang)}.")
        else:
            out.append(f"{title} (version {self.version}): {points_words(self.total, lang)} in total.")
        if policy.variants:
            variant = next(v for v in policy.variants if v.id == self.variant)
            out.append(("Вариант: " if lang == "ru" else "Variant: ") + _t(variant.label, lang) + ".")
        for gate in self.gates:
            out.append(self.gate_sentence(gate, lang))
        for group in policy.groups:
            out.append(f"{_t(group.label, lang)}: {points_words(self.groups[group.id], lang)}.")
            out.extend("  " + self.factor_sentence(line, lang) for line in self.factors if line.group == group.id)
        for threshold in policy.thresholds:
            met = self.thresholds[threshold.id]
            if lang == "ru":
                out.append(f"{_t(threshold.label, lang)}: {'достигнут' if met else 'не достигнут'}.")
            else:
                out.append(f"{_t(threshold.label, lang)}: {'reached' if met else 'not reached'}.")
        for category in policy.categories:
            if category.id in self.categories:
                out.append(("Категория: " if lang == "ru" else "Category: ") + _t(category.label, lang) + ".")
        if self.missing:
            names = ", ".join(_t(policy.input(n).label, lang) for n in self.missing)
            out.append(("Не хватает данных: " if lang == "ru" else "Missing information: ") + names + ".")
        return out

    def _policy(self) -> Policy:
        if self.policy is None:
            raise ValueError("this explanation was built without its policy; sentences need the policy's texts")
        return self.policy


def _factor(policy: Policy | None, factor_id: str) -> Any:
    assert policy is not None
    return next(f for f in policy.factors if f.id == factor_id)


def _num(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
