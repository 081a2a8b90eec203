"""Dated entry points: evaluate a pool, or explain one person, under the policy version in force on a date.

>>> import datetime as dt
>>> import numpy as np
>>> result = evaluate({"age_years": np.array([30])}, "canada-crs", on=dt.date(2025, 6, 1))
>>> (result.policy_id, result.version, int(result.factor_points["age"][0]))
('canada-crs', '2025-03-25', 105)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np

from talentgate.engines.rules.registry import PolicyNotFound, get_policy
from talentgate.engines.rules.results import Explanation
from talentgate.engines.rules.schema import Policy
from talentgate.engines.rules.single import assess_one
from talentgate.engines.rules.vectorized import Assessment, Columns, evaluate_columns

__all__ = ["evaluate", "explain", "resolve_policy"]


def resolve_policy(policy: Policy | str, on: dt.date | None) -> Policy:
    """A policy id becomes the shipped version in force ``on`` that date; a policy object must be in force then."""
    if isinstance(policy, str):
        return get_policy(policy, on=on)
    if on is not None and not policy.in_force_on(on):
        raise PolicyNotFound(
            f"{policy.id} version {policy.version} is in force from {policy.effective_from}"
            f" to {policy.effective_to or 'now'}, not on {on.isoformat()}"
        )
    return policy


def evaluate(
    columns: Columns | Mapping[str, np.ndarray], policy: Policy | str, on: dt.date | None = None
) -> Assessment:
    """Evaluate a pool (derived-input columns) under ``policy`` as in force ``on`` a date (today by default)."""
    return evaluate_columns(columns, resolve_policy(policy, on or dt.date.today()))


def explain(inputs: Mapping[str, Any], policy: Policy | str, on: dt.date | None = None) -> Explanation:
    """Assess one person (derived inputs as plain values) with a full explanation."""
    return assess_one(inputs, resolve_policy(policy, on or dt.date.today()))
