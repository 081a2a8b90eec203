"""The policy schema: pydantic models that say what a policy file may contain.

A policy is data, never code. Conditions are structured comparisons (``{input: age_years,
op: ge, value: 18}``) combined with ``all`` / ``any`` / ``not``; nothing in a policy file is
evaluated as an expression. This module checks the *shape* of a policy; the cross-references
(inputs that exist, points given for every variant, bands in order...) are checked by
:mod:`talentgate.engines.rules.checks`, and :mod:`talentgate.engines.rules.loader` turns both
kinds of problem into errors that name the file, the line and the path.

>>> Text(en="Age", ru="Возраст").en
'Age'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

__all__ = [
    "AllOf",
    "AnyOf",
    "Axis",
    "AxisBand",
    "AxisCategory",
    "Band",
    "BandedFactor",
    "Category",
    "Compare",
    "Condition",
    "Factor",
    "Gate",
    "Group",
    "InputSpec",
    "Item",
    "NotOf",
    "PerItemSumFactor",
    "Points",
    "Policy",
    "Rule",
    "RulesFactor",
    "Source",
    "Table2DFactor",
    "TableFactor",
    "TableRow",
    "Text",
    "Threshold",
    "Variant",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
PolicyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=80)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Number = int | float
# Points are a number, or one number per variant (e.g. {with_spouse: 90, without_spouse: 99}).
Points = Number | dict[str, Number]

# Tags of the unions carry a "§" so that the loader can drop them from error paths.
TAG = "§"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text shown to people, in English and Russian."""

    en: NonEmpty
    ru: NonEmpty


class Source(_Strict):
    """Where the rules come from, as of when, and what is still open."""

    title: NonEmpty
    publisher: NonEmpty
    url: str | None = None
    legal_basis: str | None = None
    as_of: dt.date
    illustrative: bool = Field(False, description="True for a policy designed by us, not transcribed from law.")
    notes: str | None = None
    open_questions: list[NonEmpty] = Field(default_factory=list)
    data_licence: str | None = None


class InputSpec(_Strict):
    """One derived input the policy reads: its name, type, unit and (for categories) its values."""

    name: Slug
    type: Literal["integer", "number", "boolean", "category"]
    unit: NonEmpty = Field(description="Unit of the value, e.g. years, CLB, JPY, or 'flag' / 'category'.")
    label: Text
    values: list[Slug] | None = Field(None, description="Allowed values of a category, in code order.")
    default: int | float | bool | str | None = Field(
        None, description="Value used when the input is absent; inputs without a default are reported missing."
    )
    description: str | None = None


# --- Conditions --------------------------------------------------------------------------

Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"]


class Compare(_Strict):
    """Compare one operand with a constant: an input, the least/greatest of several inputs, the total, or points."""

    input: Slug | None = None
    min_of: list[Slug] | None = None
    max_of: list[Slug] | None = None
    total: bool | None = Field(None, description="Compare the policy total (categories only).")
    points_of: Slug | None = Field(None, description="Compare a factor's or group's points (categories only).")
    op: Op
    value: int | float | bool | str | list[int | float | str]


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")


def _condition_tag(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return TAG + key
        return TAG + "compare"
    tags: dict[type, str] = {AllOf: TAG + "all", AnyOf: TAG + "any", NotOf: TAG + "not"}
    return tags.get(type(value), TAG + "compare")


Condition = Annotated[
    Annotated[AllOf, Tag(TAG + "all")]
    | Annotated[AnyOf, Tag(TAG + "any")]
    | Annotated[NotOf, Tag(TAG + "not")]
    | Annotated[Compare, Tag(TAG + "compare")],
    Discriminator(_condition_tag),
]


# --- Tables --------------------------------------------------------------------------------


class Band(_Strict):
    """A range of a number, inclusive at both ends (``max: null`` = no upper bound), and its points."""

    id: Slug
    min: Number | None = None
    max: Number | None = None
    points: Points
    label: Text


class TableRow(_Strict):
    """One row of a categorical table: the category values it covers and their points."""

    id: Slug
    values: list[Slug] = Field(min_length=1)
    points: Points
    label: Text


class Rule(_Strict):
    """One rule of a 'first matching rule' factor (flags, tiers, bonus points)."""

    id: Slug
    when: Condition
    points: Points
    label: Text


class Item(_Strict):
    """One item of a per-item sum (e.g. the reading ability)."""

    input: Slug
    label: Text


class AxisBand(_Strict):
    id: Slug
    min: Number | None = None
    max: Number | None = None
    label: Text


class AxisCategory(_Strict):
    id: Slug
    values: list[Slug] = Field(min_length=1)
    label: Text


class Axis(_Strict):
    """One axis of a two-dimensional table: bands of a number, or groups of category values."""

    input: Slug | None = None
    min_of: list[Slug] | None = None
    label: Text
    bands: list[AxisBand] | None = None
    categories: list[AxisCategory] | None = None


class _FactorBase(_Strict):
    id: Slug
    label: Text
    group: Slug
    cap: Points | None = Field(None, description="Most points the factor can give.")
    applies_when: Condition | None = Field(
        None, description="The factor scores only when this holds; otherwise it is not applicable (0 points)."
    )
    not_applicable: Text | None = None
    otherwise: Text | None = Field(None, description="Said when no band/row/rule matches (0 points).")
    rationale: str | None = None


class BandedFactor(_FactorBase):
    """Points from the band a number falls in (age, years of experience...)."""

    kind: Literal["banded"]
    input: Slug | None = None
    min_of: list[Slug] | None = None
    unit_label: Text | None = None
    bands: list[Band] = Field(min_length=1)


class TableFactor(_FactorBase):
    """Points from a category (education level...)."""

    kind: Literal["table"]
    input: Slug
    rows: list[TableRow] = Field(min_length=1)


class Table2DFactor(_FactorBase):
    """Points from a cell of a two-dimensional table (education x language level...)."""

    kind: Literal["table_2d"]
    rows: Axis
    columns: Axis
    points: list[list[Points]] = Field(min_length=1)


class PerItemSumFactor(_FactorBase):
    """The same bands applied to several items, points summed (four language abilities...)."""

    kind: Literal["per_item_sum"]
    items: list[Item] = Field(min_length=1)
    unit_label: Text | None = None
    bands: list[Band] = Field(min_length=1)


class RulesFactor(_FactorBase):
    """The first rule whose condition holds gives its points (flags with bonus points, tiers)."""

    kind: Literal["rules"]
    rules: list[Rule] = Field(min_length=1)


def _factor_tag(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return TAG + str(kind)


Factor = Annotated[
    Annotated[BandedFactor, Tag(TAG + "banded")]
    | Annotated[TableFactor, Tag(TAG + "table")]
    | Annotated[Table2DFactor, Tag(TAG + "table_2d")]
    | Annotated[PerItemSumFactor, Tag(TAG + "per_item_sum")]
    | Annotated[RulesFactor, Tag(TAG + "rules")],
    Discriminator(
        _factor_tag,
        custom_error_type="factor_kind",
        custom_error_message="kind must be one of: banded, table, table_2d, per_item_sum, rules",
    ),
]


class Variant(_Strict):
    """A variant of the points (e.g. with or without an accompanying spouse); the first that holds applies."""

    id: Slug
    label: Text
    when: Condition | None = None


class Group(_Strict):
    """A group of factors (and sub-groups) whose points are summed and capped."""

    id: Slug
    label: Text
    cap: Points | None = None
    parent: Slug | None = None


class Gate(_Strict):
    """An eligibility requirement; ``failed`` says why, in words the candidate understands."""

    id: Slug
    label: Text
    when: Condition
    failed: Text


class Threshold(_Strict):
    id: Slug
    label: Text
    min_total: Number


class Category(_Strict):
    """A category an eligible candidate belongs to when its condition holds."""

    id: Slug
    label: Text
    when: Condition


class Policy(_Strict):
    """One version of an assessment policy, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    id: PolicyId
    version: NonEmpty
    title: Text
    summary: Text | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    source: Source
    inputs: list[InputSpec] = Field(min_length=1)
    variants: list[Variant] = Field(default_factory=list)
    groups: list[Group] = Field(min_length=1)
    factors: list[Factor] = Field(min_length=1)
    max_total: Number | None = None
    gates: list[Gate] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)

    def input(self, name: str) -> InputSpec:
        """The declared input called ``name``."""
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def variant_ids(self) -> list[str]:
        return [v.id for v in self.variants] or ["default"]

    def in_force_on(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


for _model in (AllOf, AnyOf, NotOf, Compare):
    _model.model_rebuild()
