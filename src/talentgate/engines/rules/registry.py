"""The shipped policy versions (``talentgate/policies/<id>/policy-<version>.yaml``) and which one is in force.

>>> import datetime as dt
>>> get_policy("canada-crs", on=dt.date(2025, 1, 10)).version
'2020-10-27'
>>> get_policy("canada-crs", on=dt.date(2025, 3, 25)).version
'2025-03-25'
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from talentgate.engines.rules.loader import PolicyInvalid, PolicyProblem, load_policy
from talentgate.engines.rules.schema import Policy

__all__ = [
    "PolicyNotFound",
    "ShippedPolicy",
    "get_policy",
    "policy_ids",
    "policy_versions",
    "shipped_policies",
]

POLICY_PACKAGE = "talentgate.policies"


class PolicyNotFound(LookupError):
    """No shipped policy (or no version in force on the date asked) has that id."""


@dataclass(frozen=True)
class ShippedPolicy:
    policy: Policy
    file: str
    resource: Traversable


def _policy_dirs() -> list[Traversable]:
    root = resources.files(POLICY_PACKAGE)
    return sorted((d for d in root.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))), key=lambda d: d.name)


@functools.cache
def shipped_policies() -> tuple[ShippedPolicy, ...]:
    """Every shipped policy version, loaded and validated once (an invalid file raises ``PolicyInvalid``)."""
    found: list[ShippedPolicy] = []
    problems: list[PolicyProblem] = []
    for folder in _policy_dirs():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not (entry.name.startswith("policy-") and entry.name.endswith(".yaml")):
                continue
            name = f"{folder.name}/{entry.name}"
            try:
                policy = load_policy(name, text=entry.read_text(encoding="utf-8"), name=name)
            except PolicyInvalid as error:
                problems.extend(error.problems)
                continue
            if policy.id != folder.name:
                problems.append(PolicyProblem(name, 1, "id", f"policy id '{policy.id}' must match its folder"))
            found.append(ShippedPolicy(policy, name, entry))
    problems.extend(_overlaps(found))
    if problems:
        raise PolicyInvalid(problems)
    return tuple(found)


def _overlaps(found: list[ShippedPolicy]) -> list[PolicyProblem]:
    problems = []
    by_id: dict[str, list[ShippedPolicy]] = {}
    for item in found:
        by_id.setdefault(item.policy.id, []).append(item)
    for items in by_id.values():
        items.sort(key=lambda s: s.policy.effective_from)
        for earlier, later in itertools.pairwise(items):
            end = earlier.policy.effective_to
            if earlier.policy.version == later.policy.version:
                problems.append(PolicyProblem(later.file, 1, "version", "two files have the same version"))
            if end is None or end >= later.policy.effective_from:
                problems.append(
                    PolicyProblem(
                        earlier.file,
                        1,
                        "effective_to",
                        f"overlaps version {later.policy.version} (from {later.policy.effective_from})",
                    )
                )
    return problems


def policy_ids() -> list[str]:
    return sorted({s.policy.id for s in shipped_policies()})


def policy_versions(policy_id: str) -> list[Policy]:
    """Every shipped version of ``policy_id``, oldest first."""
    versions = [s.policy for s in shipped_policies() if s.policy.id == policy_id]
    if not versions:
        raise PolicyNotFound(f"no shipped policy '{policy_id}' (known: {', '.join(policy_ids())})")
    return sorted(versions, key=lambda p: p.effective_from)


def get_policy(policy_id: str, on: dt.date | None = None, version: str | None = None) -> Policy:
    """The version of ``policy_id`` in force ``on`` a date (today by default), or the named ``version``."""
    versions = policy_versions(policy_id)
    if version is not None:
        for policy in versions:
            if policy.version == version:
                return policy
        raise PolicyNotFound(f"{policy_id} has no version '{version}' (known: {[p.version for p in versions]})")
    day = on or dt.date.today()
    for policy in versions:
        if policy.in_force_on(day):
            return policy
    raise PolicyNotFound(f"no version of {policy_id} is in force on {day.isoformat()}")
