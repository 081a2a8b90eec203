"""The vectorized path: a pool of people evaluated as NumPy columns, one pass per factor.

A policy compiles once into lookup arrays (points per variant and row, integer-band lookup
tables); evaluation then costs a few array operations per factor, whatever the pool size.
Results hold numbers only; :meth:`Assessment.explanation` turns one row into the same
:class:`~talentgate.engines.rules.results.Explanation` the single-profile path gives.

Columns follow these conventions (see :class:`Columns`): numbers as integer or float arrays
(``NaN`` = missing), booleans as bool arrays, categories as integer codes (``-1`` = missing)
into the policy's declared values or into a vocabulary given with the columns (or as strings,
which is slower); any column may also carry an explicit boolean ``missing`` mask.

>>> import numpy as np
>>> from talentgate.engines.rules.registry import get_policy
>>> crs = get_policy("canada-crs", version="2025-03-25")
>>> pool = Columns({"age_years": np.array([29, 45], dtype=np.int16)})
>>> result = evaluate_columns(pool, crs)
>>> result.factor_points["age"].tolist()
[110, 0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from talentgate.engines.rules.checks import condition_inputs
from talentgate.engines.rules.results import (
    GOLDEN,
    HASH_SEED,
    MISSING,
    MISSING_BITS,
    NO_MATCH,
    NOT_APPLICABLE,
    Explanation,
    FactorLine,
    GateLine,
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
from talentgate.engines.rules.single import InputError, _factor_names

__all__ = ["Assessment", "Columns", "evaluate_columns"]

_LUT_SPAN_LIMIT = 4096


@dataclass
class Columns:
    """Derived inputs of a pool of people, one array per input name (all the same length)."""

    values: Mapping[str, np.ndarray]
    missing: Mapping[str, np.ndarray] = field(default_factory=dict)
    vocabularies: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        lengths = {len(v) for v in self.values.values()}
        if len(lengths) > 1:
            raise InputError("columns", f"all columns must have the same length, found {sorted(lengths)}")
        return lengths.pop() if lengths else 0


# --- normalisation -----------------------------------------------------------------------


@dataclass
class _Input:
    values: np.ndarray
    missing: np.ndarray | None


def _default_code(spec: Any) -> Any:
    if spec.type == "category":
        return (spec.values or []).index(spec.default)
    return spec.default


def _normalise(columns: Columns, policy: Policy, n: int) -> dict[str, _Input]:
    out: dict[str, _Input] = {}
    for spec in policy.inputs:
        name = spec.name
        if name not in columns.values:
            if spec.default is not None:
                dtype = bool if spec.type == "boolean" else (np.int16 if spec.type == "category" else None)
                out[name] = _Input(np.full(n, _default_code(spec), dtype=dtype), None)
            else:
                dtype = bool if spec.type == "boolean" else np.int16
                out[name] = _Input(np.zeros(n, dtype=dtype), np.ones(n, dtype=bool))
            continue
        array = np.asarray(columns.values[name])
        if array.shape != (n,):
            raise InputError(name, f"expected a column of {n} values, got shape {array.shape}")
        mask = columns.missing.get(name)
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
        if spec.type == "category":
            array, code_missing = _category_codes(array, spec, columns.vocabularies.get(name))
            mask = code_missing if mask is None else (mask | code_missing)
        elif array.dtype.kind == "f":
            nan = np.isnan(array)
            mask = nan if mask is None else (mask | nan)
            if spec.type == "boolean":
                array = np.where(nan, False, array != 0)
        elif spec.type == "boolean" and array.dtype != bool:
            raise InputError(name, "a boolean column holds true/false (or 0/1 floats with NaN for missing)")
        elif spec.type != "boolean" and array.dtype.kind not in "iu":
            raise InputError(name, f"a numeric column holds numbers, got dtype {array.dtype}")
        if mask is not None and not mask.any():
            mask = None
        if mask is not None and spec.default is not None:
            array = array.copy() if array.dtype.kind != "f" else array.astype(np.float64)
            array[mask] = _default_code(spec)
            mask = None
        out[name] = _Input(array, mask)
    return out


def _category_codes(array: np.ndarray, spec: Any, vocabulary: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray]:
    values = list(spec.values or [])
    if array.dtype.kind in "UOT":
        uniques, inverse = np.unique(array.astype(str), return_inverse=True)
        lookup = []
        for word in uniques.tolist():
            if word in ("", "None", "nan"):
                lookup.append(-1)
            elif word in values:
                lookup.append(values.index(word))
            else:
                raise InputError(spec.name, f"'{word}' is not one of {values}")
        codes = np.asarray(lookup, dtype=np.int16)[inverse]
        return codes, codes < 0
    if array.dtype.kind not in "iu":
        raise InputError(spec.name, "a category column holds integer codes or strings")
    codes = array.astype(np.int16, copy=False)
    if vocabulary is not None and list(vocabulary) != values:
        remap = []
        for word in vocabulary:
            if word not in values:
                raise InputError(spec.name, f"vocabulary value '{word}' is not one of {values}")
            remap.append(values.index(word))
        remap.append(-1)  # code -1 stays missing (index -1 is the last entry)
        limit = len(vocabulary)
    else:
        remap = None
        limit = len(values)
    if codes.size and int(codes.max()) >= limit:
        raise InputError(spec.name, f"category code {int(codes.max())} is out of range (0..{limit - 1})")
    if remap is not None:
        codes = np.asarray(remap, dtype=np.int16)[codes]
    return codes, codes < 0


# --- compilation ---------------------------------------------------------------------------


def _variant_points(points: Any, variants: list[str]) -> list[Any]:
    return [points[v] if isinstance(points, dict) else points for v in variants]


def _points_table(rows: list[Any], variants: list[str], dtype: Any, extra_zero: int = 3) -> np.ndarray:
    """Shape (variants, rows + extra_zero): the trailing zero columns serve the negative rule markers."""
    table = np.zeros((len(variants), len(rows) + extra_zero), dtype=dtype)
    for j, points in enumerate(rows):
        table[:, j] = _variant_points(points, variants)
    return table


@dataclass
class _BandLookup:
    """Finds the band of a number: a lookup table for integer columns, a sorted search otherwise."""

    mins: np.ndarray
    maxs: np.ndarray
    lut: np.ndarray | None
    lo: int
    hi: int
    no_match: int

    @classmethod
    def build(cls, bands: list, no_match: int) -> _BandLookup:
        mins = np.array([-np.inf if b.min is None else b.min for b in bands], dtype=np.float64)
        maxs = np.array([np.inf if b.max is None else b.max for b in bands], dtype=np.float64)
        finite = [v for v in np.concatenate([mins, maxs]) if np.isfinite(v)]
        lut = None
        lo = hi = 0
        if finite and all(float(v).is_integer() for v in finite):
            lo, hi = int(min(finite)), int(max(finite))
            if hi - lo <= _LUT_SPAN_LIMIT:
                # Slot k holds the band of value lo - 1 + k; the end slots stand for everything below/above.
                probe = np.arange(lo - 1, hi + 2, dtype=np.float64)
                lut = np.array([cls._match(mins, maxs, v, no_match) for v in probe], dtype=np.int16)
        return cls(mins, maxs, lut, lo, hi, no_match)

    @staticmethod
    def _match(mins: np.ndarray, maxs: np.ndarray, value: float, no_match: int) -> int:
        for index in range(len(mins)):
            if mins[index] <= value <= maxs[index]:
                return index
        return no_match

    def direct(self, dtype: np.dtype) -> np.ndarray:
        """The band of every value a 1- or 2-byte integer can hold, indexed by its unsigned view."""
        cache = self.__dict__.setdefault("_direct", {})
        key = (dtype.kind, dtype.itemsize)
        if key not in cache:
            cache[key] = self.find(_domain(dtype).astype(np.float64))
        return cache[key]

    def find(self, values: np.ndarray) -> np.ndarray:
        if self.lut is not None and values.dtype.kind in "iu":
            info = np.iinfo(values.dtype)
            if values.dtype.kind == "u" or info.min > self.lo - 1 or info.max < max(self.hi + 1, self.hi - self.lo + 2):
                values = values.astype(np.int32)
            slots = np.clip(values, self.lo - 1, self.hi + 1)
            if self.lo != 1:
                slots = slots - (self.lo - 1)
            return self.lut[slots]
        values = values.astype(np.float64, copy=False)
        candidate = np.searchsorted(self.mins, values, side="right") - 1
        safe = np.clip(candidate, 0, len(self.mins) - 1)
        found = (candidate >= 0) & (values <= self.maxs[safe])
        return np.where(found, safe, self.no_match).astype(np.int16)


def _small_view(values: np.ndarray) -> np.ndarray | None:
    """The unsigned view of a bool or 1-/2-byte integer column (an index into a direct lookup), else None."""
    if values.dtype == bool:
        return values.view(np.uint8)
    if values.dtype.kind in "iu" and values.dtype.itemsize <= 2:
        return values.view(np.uint8 if values.dtype.itemsize == 1 else np.uint16)
    return None


def _domain(dtype: np.dtype) -> np.ndarray:
    """The value each unsigned slot of a direct lookup stands for (two's complement for signed types)."""
    size = 1 << (8 * dtype.itemsize)
    slots = np.arange(size, dtype=np.int64)
    if dtype.kind == "i":
        return np.where(slots >= size // 2, slots - size, slots)
    return slots


def _condition(
    cond: Any, ins: dict[str, _Input], scores: Mapping[str, np.ndarray] | None, policy: Policy
) -> np.ndarray:
    """Where a condition holds (ignoring missing inputs: callers mask them)."""
    if isinstance(cond, AllOf):
        result = _condition(cond.all[0], ins, scores, policy)
        for part in cond.all[1:]:
            result = result & _condition(part, ins, scores, policy)
        return result
    if isinstance(cond, AnyOf):
        result = _condition(cond.any[0], ins, scores, policy)
        for part in cond.any[1:]:
            result = result | _condition(part, ins, scores, policy)
        return result
    if isinstance(cond, NotOf):
        return ~_condition(cond.not_, ins, scores, policy)
    value = cond.value
    if cond.input is not None:
        spec = policy.input(cond.input)
        left = ins[cond.input].values
        if spec.type == "category":
            words = spec.values or []
            codes = [words.index(v) for v in (value if isinstance(value, list) else [value])]
            table = np.zeros(len(words) + 1, dtype=bool)  # last entry serves code -1 (missing, masked later)
            table[codes] = True
            inside = table[left]
            return inside if cond.op in ("eq", "in") else ~inside
        if spec.type == "boolean":
            return left if (cond.op == "eq") == bool(value) else ~left
    elif cond.min_of is not None:
        left = _reduce(tuple(cond.min_of), ins, np.minimum)
    elif cond.max_of is not None:
        left = _reduce(tuple(cond.max_of), ins, np.maximum)
    else:
        assert scores is not None
        left = scores["total"] if cond.total else scores[str(cond.points_of)]
    op = cond.op
    if op == "in":
        return np.isin(left, value)
    if op == "not_in":
        return ~np.isin(left, value)
    return {
        "eq": np.equal,
        "ne": np.not_equal,
        "lt": np.less,
        "le": np.less_equal,
        "gt": np.greater,
        "ge": np.greater_equal,
    }[op](left, value)


def _reduce(names: tuple[str, ...], ins: dict[str, _Input], how: Any) -> np.ndarray:
    result = ins[names[0]].values
    for name in names[1:]:
        result = how(result, ins[name].values)
    return result


def _any_missing(names: list[str], ins: dict[str, _Input]) -> np.ndarray | None:
    result = None
    for name in dict.fromkeys(names):
        mask = ins[name].missing
        if mask is not None:
            result = mask if result is None else (result | mask)
    return result


class _Compiled:
    """A policy's lookup arrays, built once per policy object."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.variants = policy.variant_ids
        integral = True
        bound = 0.0
        for factor in policy.factors:
            for points in _all_points(factor):
                for value in _variant_points(points, self.variants):
                    integral = integral and float(value).is_integer()
                    bound += abs(value) * (len(factor.items) if isinstance(factor, PerItemSumFactor) else 1)
        self.dtype: Any = (np.int16 if bound < 30000 else np.int32) if integral else np.float64
        self.tables: dict[str, Any] = {}
        for factor in policy.factors:
            self.tables[factor.id] = self._compile(factor)
        self.caps = {
            f.id: np.array(_variant_points(f.cap, self.variants), dtype=self.dtype)
            for f in policy.factors
            if f.cap is not None
        }
        self.group_caps = {
            g.id: np.array(_variant_points(g.cap, self.variants), dtype=self.dtype)
            for g in policy.groups
            if g.cap is not None
        }

    def _compile(self, factor: Any) -> dict[str, Any]:
        if isinstance(factor, BandedFactor):
            return {
                "lookup": _BandLookup.build(factor.bands, NO_MATCH),
                "points": _points_table([b.points for b in factor.bands], self.variants, self.dtype),
            }
        if isinstance(factor, PerItemSumFactor):
            n_bands = len(factor.bands)
            return {
                "lookup": _BandLookup.build(factor.bands, n_bands),
                # One zero column stands for "no band" (index n_bands).
                "points": _points_table([b.points for b in factor.bands], self.variants, self.dtype, extra_zero=1),
            }
        if isinstance(factor, TableFactor):
            spec = self.policy.input(factor.input)
            rows = np.full(len(spec.values or []) + 1, NO_MATCH, dtype=np.int16)
            for index, row in enumerate(factor.rows):
                for value in row.values:
                    rows[(spec.values or []).index(value)] = index
            return {"rows": rows, "points": _points_table([r.points for r in factor.rows], self.variants, self.dtype)}
        if isinstance(factor, Table2DFactor):
            # Axes give slots 0..n-1, or n for "no row/column"; cell slots index padded tables.
            n_rows, n_cols = len(factor.points), len(factor.points[0])
            padded = (n_cols + 1) * (n_rows + 1)
            cell_rule = np.full(padded, NO_MATCH, dtype=np.int16)
            cell_points: list[Any] = [0] * padded
            for r, line in enumerate(factor.points):
                for c, cell in enumerate(line):
                    cell_rule[r * (n_cols + 1) + c] = r * n_cols + c
                    cell_points[r * (n_cols + 1) + c] = cell
            return {
                "rows": self._axis(factor.rows),
                "columns": self._axis(factor.columns),
                "stride": n_cols + 1,
                "cell_rule": cell_rule,
                "cell_points": _points_table(cell_points, self.variants, self.dtype, extra_zero=0),
            }
        assert isinstance(factor, RulesFactor)
        return {"points": _points_table([r.points for r in factor.rules], self.variants, self.dtype)}

    def _axis(self, axis: Any) -> Any:
        if axis.bands is not None:
            return _BandLookup.build(axis.bands, len(axis.bands))
        spec = self.policy.input(axis.input)
        # The last entry serves code -1 (missing, masked later).
        table = np.full(len(spec.values or []) + 1, len(axis.categories), dtype=np.int16)
        for index, category in enumerate(axis.categories):
            for value in category.values:
                table[(spec.values or []).index(value)] = index
        return table


def _all_points(factor: Any) -> list[Any]:
    if isinstance(factor, BandedFactor | PerItemSumFactor):
        return [b.points for b in factor.bands]
    if isinstance(factor, TableFactor):
        return [r.points for r in factor.rows]
    if isinstance(factor, Table2DFactor):
        return [cell for line in factor.points for cell in line]
    return [r.points for r in factor.rules]


_COMPILED: dict[int, tuple[Policy, _Compiled]] = {}


def compile_policy(policy: Policy) -> _Compiled:
    """The policy's lookup arrays, cached per policy object (policies are immutable)."""
    cached = _COMPILED.get(id(policy))
    if cached is None or cached[0] is not policy:
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        cached = (policy, _Compiled(policy))
        _COMPILED[id(policy)] = cached
    return cached[1]


# --- evaluation -----------------------------------------------------------------------------


@dataclass
class Assessment:
    """A pool's results under one policy version: arrays indexed by person."""

    policy: Policy
    n: int
    variant: np.ndarray
    total: np.ndarray
    groups: dict[str, np.ndarray]
    factor_points: dict[str, np.ndarray]
    factor_rules: dict[str, np.ndarray]
    factor_capped: dict[str, np.ndarray]
    gates: dict[str, np.ndarray]
    eligible: np.ndarray
    thresholds: dict[str, np.ndarray]
    categories: dict[str, np.ndarray]
    missing: dict[str, np.ndarray]
    _inputs: dict[str, _Input] = field(repr=False)

    @property
    def policy_id(self) -> str:
        return self.policy.id

    @property
    def version(self) -> str:
        return self.policy.version

    def inputs_hash(self) -> np.ndarray:
        """Per person, a 64-bit hash of the derived inputs (declared order, defaults applied); on demand."""
        h = np.full(self.n, HASH_SEED, dtype=np.uint64)
        for index, spec in enumerate(self.policy.inputs):
            item = self._inputs[spec.name]
            floats = item.values.astype(np.float64) + 0.0
            bits = floats.view(np.uint64)
            if item.missing is not None:
                bits = np.where(item.missing, np.uint64(MISSING_BITS), bits)
            z = h ^ (bits + np.uint64((index * GOLDEN) & (2**64 - 1)))
            z = z + np.uint64(GOLDEN)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            h = z ^ (z >> np.uint64(31))
        return h

    def explanation(self, i: int, inputs_hash: int | None = None) -> Explanation:
        """Person ``i``'s result as an :class:`Explanation` (identical to the single-profile path's).

        ``inputs_hash`` is row ``i`` of :meth:`inputs_hash`, when the caller has the whole column
        already: hashing one row alone costs a pass over every input, which dominates when a whole
        pool is explained row by row.
        """
        policy = self.policy
        variants = policy.variant_ids
        lines = []
        for factor in policy.factors:
            rule = int(self.factor_rules[factor.id][i])
            points = _scalar(self.factor_points[factor.id][i])
            capped = bool(self.factor_capped[factor.id][i]) if factor.id in self.factor_capped else False
            missing: tuple[str, ...] = ()
            read: tuple[Any, ...] = ()
            if rule == MISSING:
                names = condition_inputs(factor.applies_when) if factor.applies_when is not None else []
                missing = self._missing_at(names, i) or self._missing_at(_factor_names(factor), i)
            elif rule != NOT_APPLICABLE:
                read = self._read(factor, i, rule)
            lines.append(FactorLine(factor.id, factor.group, points, rule, capped, read, missing))
        gates = []
        for gate in policy.gates:
            absent = self._missing_at(condition_inputs(gate.when), i)
            gates.append(GateLine(gate.id, bool(self.gates[gate.id][i]), absent))
        return Explanation(
            policy_id=policy.id,
            version=policy.version,
            variant=variants[int(self.variant[i])],
            total=_scalar(self.total[i]),
            groups={g: _scalar(v[i]) for g, v in self.groups.items()},
            factors=lines,
            gates=gates,
            eligible=bool(self.eligible[i]),
            thresholds={t: bool(v[i]) for t, v in self.thresholds.items()},
            categories=[c for c, v in self.categories.items() if v[i]],
            missing=[name for name, mask in self.missing.items() if mask[i]],
            inputs_hash=f"{int(self.inputs_hash_at(i) if inputs_hash is None else inputs_hash):016x}",
            policy=policy,
        )

    def inputs_hash_at(self, i: int) -> int:
        sub = Assessment.__new__(Assessment)
        sub.policy = self.policy
        sub.n = 1
        sub._inputs = {
            k: _Input(v.values[i : i + 1], None if v.missing is None else v.missing[i : i + 1])
            for k, v in self._inputs.items()
        }
        return int(sub.inputs_hash()[0])

    def _value(self, name: str, i: int) -> Any:
        spec = self.policy.input(name)
        value = self._inputs[name].values[i]
        if spec.type == "category":
            return (spec.values or [])[int(value)]
        if spec.type == "boolean":
            return bool(value)
        return _scalar(value)

    def _missing_at(self, names: list[str], i: int) -> tuple[str, ...]:
        found = []
        for name in names:
            mask = self._inputs[name].missing
            if mask is not None and mask[i]:
                found.append(name)
        return tuple(dict.fromkeys(found))

    def _read(self, factor: Any, i: int, rule: int) -> tuple[Any, ...]:
        if isinstance(factor, BandedFactor):
            if factor.input:
                return (self._value(factor.input, i),)
            return (min(self._value(name, i) for name in factor.min_of or []),)
        if isinstance(factor, TableFactor):
            return (self._value(factor.input, i),)
        if isinstance(factor, PerItemSumFactor):
            return tuple(self._value(item.input, i) for item in factor.items)
        if isinstance(factor, Table2DFactor):
            read = []
            for axis in (factor.rows, factor.columns):
                if axis.input:
                    read.append(self._value(axis.input, i))
                else:
                    read.append(min(self._value(name, i) for name in axis.min_of or []))
            return tuple(read)
        return ()


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def evaluate_columns(columns: Columns | Mapping[str, np.ndarray], policy: Policy) -> Assessment:
    """Evaluate ``policy`` for every row of ``columns`` (no dates checked: see ``assess.evaluate``)."""
    if not isinstance(columns, Columns):
        columns = Columns(dict(columns))
    compiled = compile_policy(policy)
    n = len(columns)
    ins = _normalise(columns, policy, n)
    dtype = compiled.dtype
    consulted: dict[str, list[np.ndarray | None]] = {}

    def consult(names: list[str], where: np.ndarray | None) -> None:
        for name in names:
            if ins[name].missing is not None:
                consulted.setdefault(name, []).append(where)

    # Variants: the first whose condition holds; inputs missing in a condition make it not hold.
    variant = np.zeros(n, dtype=np.int8)
    if policy.variants:
        undecided: np.ndarray | None = None  # None = everyone
        variant[:] = len(policy.variants) - 1
        chosen = np.zeros(n, dtype=bool)
        for index, variant_spec in enumerate(policy.variants[:-1]):
            names = condition_inputs(variant_spec.when)
            consult(names, undecided)
            holds = _condition(variant_spec.when, ins, None, policy)
            absent = _any_missing(names, ins)
            if absent is not None:
                holds = holds & ~absent
            holds = holds & ~chosen
            variant[holds] = index
            chosen |= holds
            undecided = ~chosen
    several_variants = len(compiled.variants) > 1

    gather = _Gather(variant, several_variants)

    points: dict[str, np.ndarray] = {}
    rules: dict[str, np.ndarray] = {}
    capped_flags: dict[str, np.ndarray] = {}
    for factor in policy.factors:
        tables = compiled.tables[factor.id]
        applies: np.ndarray | None = None
        applies_missing: np.ndarray | None = None
        if factor.applies_when is not None:
            names = condition_inputs(factor.applies_when)
            consult(names, None)
            applies = _condition(factor.applies_when, ins, None, policy)
            applies_missing = _any_missing(names, ins)
            if applies_missing is not None:
                applies = applies & ~applies_missing
        factor_inputs = _factor_names(factor)
        consult(factor_inputs, applies)
        absent = _any_missing(factor_inputs, ins)
        raw, rule = _factor_values(factor, tables, ins, gather, policy, variant if several_variants else None)
        if applies is not None:
            rule = np.where(applies, rule, np.int16(NOT_APPLICABLE))
            raw = raw * applies  # 0 where the factor does not apply (bool multiply keeps the dtype)
            if applies_missing is not None:
                rule[applies_missing] = MISSING
            if absent is not None:
                absent = absent & applies
        else:
            rule = rule.copy() if absent is not None else rule
        if absent is not None:
            rule[absent] = MISSING
            raw = raw.copy()
            raw[absent] = 0
        if factor.id in compiled.caps:
            cap = compiled.caps[factor.id]
            limit = np.take(cap, variant) if several_variants and np.unique(cap).size > 1 else cap[0]
            capped_flags[factor.id] = raw > limit
            raw = np.minimum(raw, limit).astype(dtype, copy=False)
        points[factor.id] = raw
        rules[factor.id] = rule

    groups: dict[str, np.ndarray] = {}
    for group in policy.groups:
        subtotal = np.zeros(n, dtype=dtype)
        for factor in policy.factors:
            if factor.group == group.id:
                subtotal += points[factor.id]
        for child in policy.groups:
            if child.parent == group.id:
                subtotal += groups[child.id]
        if group.id in compiled.group_caps:
            cap = compiled.group_caps[group.id]
            limit = np.take(cap, variant) if several_variants and np.unique(cap).size > 1 else cap[0]
            subtotal = np.minimum(subtotal, limit).astype(dtype, copy=False)
        groups[group.id] = subtotal
    total = np.zeros(n, dtype=dtype)
    for group in policy.groups:
        if group.parent is None:
            total += groups[group.id]
    if policy.max_total is not None:
        total = np.minimum(total, np.asarray(policy.max_total).astype(dtype)).astype(dtype, copy=False)

    gates: dict[str, np.ndarray] = {}
    eligible = np.ones(n, dtype=bool)
    for gate in policy.gates:
        names = condition_inputs(gate.when)
        consult(names, None)
        passed = _condition(gate.when, ins, None, policy)
        absent = _any_missing(names, ins)
        if absent is not None:
            passed = passed & ~absent
        gates[gate.id] = passed
        eligible &= passed
    thresholds = {t.id: total >= t.min_total for t in policy.thresholds}
    scores = {"total": total, **groups, **points}
    categories: dict[str, np.ndarray] = {}
    for category in policy.categories:
        names = condition_inputs(category.when)
        consult(names, None)
        member = eligible & _condition(category.when, ins, scores, policy)
        absent = _any_missing(names, ins)
        if absent is not None:
            member = member & ~absent
        categories[category.id] = member

    missing: dict[str, np.ndarray] = {}
    for spec in policy.inputs:
        mask = ins[spec.name].missing
        if mask is None or spec.name not in consulted:
            continue
        wheres = consulted[spec.name]
        if any(w is None for w in wheres):
            missing[spec.name] = mask
        else:
            where = np.zeros(n, dtype=bool)
            for other in wheres:
                where |= other if other is not None else True
            missing[spec.name] = mask & where

    return Assessment(
        policy=policy,
        n=n,
        variant=variant,
        total=total,
        groups=groups,
        factor_points=points,
        factor_rules=rules,
        factor_capped=capped_flags,
        gates=gates,
        eligible=eligible,
        thresholds=thresholds,
        categories=categories,
        missing=missing,
        _inputs=ins,
    )


class _Gather:
    """Points from a (variants x columns) table for everyone: one gather when the variants agree."""

    def __init__(self, variant: np.ndarray, several_variants: bool):
        self.variant = variant
        self.several = several_variants
        self._offsets: dict[int, np.ndarray] = {}
        self._uniform: dict[int, bool] = {}

    def _is_uniform(self, table: np.ndarray) -> bool:
        key = id(table)
        if key not in self._uniform:
            self._uniform[key] = bool(np.all(table == table[0]))
        return self._uniform[key]

    def __call__(self, table: np.ndarray, index: np.ndarray) -> np.ndarray:
        """``index`` may hold the negative markers (they select the trailing zero columns)."""
        if not self.several or self._is_uniform(table):
            return np.take(table[0], index)
        return table[self.variant, index]

    def direct(self, table: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """``slots`` are non-negative column indices (e.g. the unsigned view of a small integer)."""
        # np.take is several times faster than fancy indexing on large index arrays.
        if not self.several or self._is_uniform(table):
            return np.take(table[0], slots)
        width = table.shape[1]
        if width not in self._offsets:
            self._offsets[width] = self.variant.astype(np.int32) * np.int32(width)
        return np.take(table.ravel(), self._offsets[width] + slots)


def _direct_points(tables: dict[str, Any], key: str, make: Any) -> np.ndarray:
    cache = tables.setdefault("_direct", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _factor_values(
    factor: Any,
    tables: dict[str, Any],
    ins: dict[str, _Input],
    gather: Any,
    policy: Policy,
    variant: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Points before caps and the rule index of one factor, for everyone."""
    if isinstance(factor, BandedFactor):
        values = ins[factor.input].values if factor.input else _reduce(tuple(factor.min_of or []), ins, np.minimum)
        lookup: _BandLookup = tables["lookup"]
        small = _small_view(values)
        if small is not None:
            # Small integers index a lookup of every value they can hold: no clipping, no search.
            band_of = lookup.direct(values.dtype)
            key = f"{values.dtype.kind}{values.dtype.itemsize}"
            direct = _direct_points(tables, key, lambda: tables["points"][:, band_of])
            return gather.direct(direct, small), np.take(band_of, small)
        rule = lookup.find(values)
        return gather(tables["points"], rule), rule
    if isinstance(factor, TableFactor):
        codes = ins[factor.input].values
        small = _small_view(codes)
        if small is not None:
            row_of = _direct_points(
                tables, "rows", lambda: tables["rows"][_domain(codes.dtype).clip(-1, len(tables["rows"]) - 1)]
            )
            direct = _direct_points(tables, f"points{codes.dtype.itemsize}", lambda: tables["points"][:, row_of])
            return gather.direct(direct, small), np.take(row_of, small)
        rule = tables["rows"][codes]
        return gather(tables["points"], rule), rule
    if isinstance(factor, PerItemSumFactor):
        lookup = tables["lookup"]
        radix = len(factor.bands) + 1
        total = None
        packed_rule: np.ndarray | None = None
        for position, item in enumerate(factor.items):
            values = ins[item.input].values
            small = _small_view(values)
            if small is not None:
                band_of = lookup.direct(values.dtype)
                key = f"{values.dtype.kind}{values.dtype.itemsize}"
                direct = _direct_points(tables, key, lambda band_of=band_of: tables["points"][:, band_of])
                band = np.take(band_of, small)
                part = gather.direct(direct, small)
            else:
                band = lookup.find(values)
                part = gather(tables["points"], band)
            total = part if total is None else total + part
            packed = band if position == 0 else band * np.int16(radix**position)
            packed_rule = packed if packed_rule is None else packed_rule + packed
        assert total is not None
        assert packed_rule is not None
        return total, packed_rule.astype(np.int16, copy=False)
    if isinstance(factor, Table2DFactor):
        row = _axis_values(factor.rows, tables["rows"], ins)
        col = _axis_values(factor.columns, tables["columns"], ins)
        cell = row.astype(np.int16, copy=False) * np.int16(tables["stride"]) + col
        return gather.direct(tables["cell_points"], cell), np.take(tables["cell_rule"], cell)
    assert isinstance(factor, RulesFactor)
    conditions = [_condition(r.when, ins, None, policy) for r in factor.rules]
    rule = np.select(conditions, np.arange(len(conditions), dtype=np.int16), default=NO_MATCH).astype(np.int16)
    return gather(tables["points"], rule), rule


def _axis_values(axis: Any, table: Any, ins: dict[str, _Input]) -> np.ndarray:
    """Slot of each person on an axis (``n`` = no band/category)."""
    if axis.bands is not None:
        values = ins[axis.input].values if axis.input else _reduce(tuple(axis.min_of), ins, np.minimum)
        small = _small_view(values)
        if small is not None:
            return np.take(table.direct(values.dtype), small)
        return table.find(values)
    codes = ins[axis.input].values
    small = _small_view(codes)
    if small is not None:
        return np.take(table[_domain(codes.dtype).clip(-1, len(table) - 1)], small)
    return table[codes]
