"""Assessment records: one JSON-ready line per person (what ``talentgate assess`` writes), and its JSON Schema.

A record says which policy version was applied on which date, whether the person is
eligible and why (each gate with its reason), the total and group totals, the categories,
every factor with its points, the table row or band that gave them (``rule``) and a
sentence in the chosen language, the profile paths to fill in for missing inputs, and the
hash of the derived inputs (so a re-run on the same inputs is recognisably the same).

>>> import datetime as dt
>>> import numpy as np
>>> from talentgate.engines.rules.registry import get_policy
>>> from talentgate.engines.rules.vectorized import evaluate_columns
>>> crs = get_policy("canada-crs", version="2025-03-25")
>>> pool = evaluate_columns({"age_years": np.array([29])}, crs)
>>> record = next(iter_records(pool, ["p1"], dt.date(2026, 1, 5), lang="en"))
>>> record["id"], record["factors"][0]["rule"], record["factors"][0]["points"]
('p1', 'age_20_29', 110)
>>> sorted(RECORD_SCHEMA["required"]) == sorted(RECORD_FIELDS)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from talentgate.engines.rules.policy_inputs import missing_paths
from talentgate.engines.rules.results import Explanation
from talentgate.engines.rules.vectorized import Assessment

__all__ = ["RECORD_FIELDS", "RECORD_SCHEMA", "iter_records", "record_from_explanation"]

#: The keys of a record, in the order they are written.
RECORD_FIELDS = (
    "id",
    "policy",
    "version",
    "on",
    "eligible",
    "gates",
    "total",
    "groups",
    "categories",
    "factors",
    "missing",
    "inputs_hash",
)

_TEXT = {"type": "string"}
RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://talentgate.example/schemas/assessment-record/v1.json",
    "title": "Assessment record",
    "description": "One person's assessment under one policy version, as written by `talentgate assess`.",
    "type": "object",
    "additionalProperties": False,
    "required": list(RECORD_FIELDS),
    "properties": {
        "id": {"type": "string", "minLength": 1, "description": "The profile's id."},
        "policy": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "Policy id."},
        "version": {"type": "string", "minLength": 1, "description": "Policy version applied."},
        "on": {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "Assessment date.",
        },
        "eligible": {"type": "boolean", "description": "Every eligibility gate passed."},
        "gates": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["gate", "passed", "reason"],
                "properties": {"gate": _TEXT, "passed": {"type": "boolean"}, "reason": _TEXT},
            },
        },
        "total": {"type": "number", "minimum": 0},
        "groups": {"type": "object", "additionalProperties": {"type": "number"}, "description": "Points per group."},
        "categories": {"type": "array", "items": _TEXT, "description": "Categories the person belongs to."},
        "factors": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["factor", "group", "points", "rule", "reason"],
                "properties": {
                    "factor": _TEXT,
                    "group": _TEXT,
                    "points": {"type": "number"},
                    "rule": {"type": "string", "description": "The band, row or rule that gave the points."},
                    "reason": {"type": "string", "description": "A sentence in the language asked for."},
                },
            },
        },
        "missing": {
            "type": "array",
            "items": _TEXT,
            "description": "Profile paths to fill in (education, language_tests, extensions.<name>...).",
        },
        "inputs_hash": {"type": "string", "pattern": "^[0-9a-f]{16}$", "description": "Hash of the derived inputs."},
    },
}


def record_from_explanation(
    explanation: Explanation,
    person_id: str,
    on: dt.date,
    lang: str = "en",
    paths: Callable[..., list[str]] | None = None,
) -> dict[str, Any]:
    """The record of one person from their :class:`Explanation` (which must carry its policy)."""
    data = explanation.as_dict(lang)
    return {
        "id": person_id,
        "policy": explanation.policy_id,
        "version": explanation.version,
        "on": on.isoformat(),
        "eligible": explanation.eligible,
        "gates": [{"gate": g["gate"], "passed": g["passed"], "reason": g["reason"]} for g in data["gates"]],
        "total": explanation.total,
        "groups": data["groups"],
        "categories": data["categories"],
        "factors": [
            {
                "factor": f["factor"],
                "group": f["group"],
                "points": f["points"],
                "rule": f["rule"],
                "reason": f["reason"],
            }
            for f in data["factors"]
        ],
        "missing": (paths or missing_paths)(explanation.missing),
        "inputs_hash": explanation.inputs_hash,
    }


def iter_records(
    assessment: Assessment,
    ids: Sequence[str],
    on: dt.date,
    lang: str = "en",
    cache: dict[tuple[str, str, int], dict[str, Any]] | None = None,
) -> Iterator[dict[str, Any]]:
    """One record per row of ``assessment`` (``ids[i]`` names row ``i``); sentences in ``lang``.

    People with the same derived inputs get the same record but for their id, so with a
    ``cache`` (one per run: same date and language) each distinct inputs hash is explained
    once; records then share their nested lists, which callers must not mutate.
    """
    if len(ids) != assessment.n:
        raise ValueError(f"ids: {len(ids)} ids for {assessment.n} assessed rows")
    hashes = assessment.inputs_hash()
    for i, person_id in enumerate(ids):
        hash_value = int(hashes[i])
        if cache is None:
            yield record_from_explanation(assessment.explanation(i, hash_value), person_id, on, lang)
            continue
        key = (assessment.policy_id, assessment.version, hash_value)
        template = cache.get(key)
        if template is None:
            template = cache[key] = record_from_explanation(assessment.explanation(i, hash_value), "", on, lang)
        yield {**template, "id": person_id}
