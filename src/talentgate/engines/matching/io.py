"""The JSON instance format of ``talentgate match``: reading it into an integer-coded instance, writing results.

Instance format
---------------

One JSON object::

    {
      "candidates": [
        {"id": "c1", "ranking": ["p2", "p1"]}
      ],
      "positions": [
        {"id": "p1", "capacity": 2, "ranking": ["c1", "c3", "c2"]},
        {"id": "p2", "capacity": 1, "ranking": ["c2", "c1"]}
      ],
      "couples": [
        {"members": ["c2", "c3"], "ranking": [["p1", "p1"], ["p2", "p1"], [null, "p1"]]}
      ]
    }

- ``candidates``: the single candidates; ``ranking`` lists position ids, best first. A candidate
  may be placed only at a position that is on their ranking and that ranks them.
- ``positions``: ``capacity`` is a whole number >= 0; ``ranking`` lists candidate ids (singles
  and couple members alike), best first; a candidate not on it is never placed there.
- ``couples`` (optional): ``members`` names two candidates who are *not* listed under
  ``candidates``; ``ranking`` lists pairs ``[position for the first member, position for the
  second]``, best first, where ``null`` means that member stays unplaced (a pair cannot be
  ``[null, null]``: being unplaced together is always the last resort). Both members of a pair
  may name the same position (it then needs two places). A couple is placed on one of its pairs
  or not at all.
- Ids are strings or integers (an integer and its decimal string name the same entry); candidate
  and position ids are separate name spaces. Unknown fields are refused, so a misspelt field
  name is reported rather than ignored.

A malformed or inconsistent instance (bad JSON, a missing or unknown field, an unknown or
duplicate id, a negative capacity, a couple member also listed alone or in two couples, a
position ranked twice) raises :class:`~talentgate.engines.matching.instance.InstanceError` whose
message names the entry, e.g. ``positions[3].capacity: must be a whole number >= 0 (got -1)``.

Result format
-------------

``{"assignment": {candidate id: position id or null}, "stable": true/false, "status": ...,
"blocking_pairs": [...], "stats": {...}}``; a blocking pair is ``{"candidate": id, "position": id}``
or ``{"couple": [id, id], "positions": [id or null, id or null]}``. ``status`` is ``stable`` or
``no_stable_matching_found`` (couples only: the assignment is then the best found).

>>> parsed = load_instance('''{"candidates": [{"id": "a", "ranking": ["x", "y"]}, {"id": "b", "ranking": ["x"]}],
...   "positions": [{"id": "x", "capacity": 1, "ranking": ["b", "a"]}, {"id": "y", "capacity": 1, "ranking": ["a"]}]}''')
>>> from talentgate.engines.matching.allocation import allocate
>>> out = result_to_json(parsed, allocate(parsed.instance))
>>> out["assignment"], out["stable"], out["blocking_pairs"]
({'a': 'y', 'b': 'x'}, True, [])
>>> load_instance('{"candidates": [], "positions": [{"id": "x", "capacity": -1, "ranking": []}]}')
Traceback (most recent call last):
...
talentgate.engines.matching.instance.InstanceError: positions[0].capacity: must be a whole number >= 0 (got -1)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from talentgate.engines.matching.allocation import AllocationResult
from talentgate.engines.matching.instance import NO_POSITION, AllocationInstance, InstanceError

__all__ = ["ParsedInstance", "load_instance", "parse_instance", "result_to_json"]

Id = str | int


@dataclass(frozen=True)
class ParsedInstance:
    """The integer-coded instance and the original ids: candidate ``i`` is ``candidate_ids[i]``.

    Singles come first, in file order, then couple members, couple by couple.
    """

    instance: AllocationInstance
    candidate_ids: list[Id]
    position_ids: list[Id]


def load_instance(text: str | bytes) -> ParsedInstance:
    """Parse JSON text in the instance format (module docstring)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError("instance", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise InstanceError("instance", f"not UTF-8 text: {exc.reason}") from None
    return parse_instance(data)


def _object(value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InstanceError(path or "instance", "must be an object")
    for name in required:
        if name not in value:
            raise InstanceError(f"{path}.{name}" if path else name, "is required")
    for name in value:
        if name not in required and name not in optional:
            raise InstanceError(f"{path}.{name}" if path else str(name), "unknown field")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InstanceError(path, "must be a list")
    return value


def _id(value: Any, path: str) -> str:
    # bool is an int subclass in Python; an id of true/false is a mistake, not the number 1/0.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InstanceError(path, "an id must be a string or an integer")
    return str(value)


def _register(ids: dict[str, int], paths: dict[str, str], value: Any, path: str) -> None:
    key = _id(value, path)
    if key in ids:
        raise InstanceError(path, f"duplicate id {key!r} (already {paths[key]})")
    ids[key] = len(ids)
    paths[key] = path


def _ranking(value: Any, path: str, index_of: dict[str, int], kind: str) -> list[int]:
    seen: dict[int, int] = {}
    out = []
    for j, item in enumerate(_list(value, path)):
        key = _id(item, f"{path}[{j}]")
        if key not in index_of:
            raise InstanceError(f"{path}[{j}]", f"unknown {kind} id {key!r}")
        index = index_of[key]
        if index in seen:
            raise InstanceError(f"{path}[{j}]", f"{kind} {key!r} is already ranked at {path}[{seen[index]}]")
        seen[index] = j
        out.append(index)
    return out


def parse_instance(data: Any) -> ParsedInstance:
    """Check ``data`` (decoded JSON) against the instance format and integer-code it."""
    root = _object(data, "", ("candidates", "positions"), ("couples",))
    candidates = _list(root["candidates"], "candidates")
    positions = _list(root["positions"], "positions")
    couples = _list(root.get("couples", []), "couples")

    candidate_index: dict[str, int] = {}
    candidate_path: dict[str, str] = {}
    for i, entry in enumerate(candidates):
        entry = _object(entry, f"candidates[{i}]", ("id", "ranking"))
        _register(candidate_index, candidate_path, entry["id"], f"candidates[{i}].id")
    for k, entry in enumerate(couples):
        entry = _object(entry, f"couples[{k}]", ("members", "ranking"))
        members = _list(entry["members"], f"couples[{k}].members")
        if len(members) != 2:
            raise InstanceError(f"couples[{k}].members", f"must name exactly two candidates (got {len(members)})")
        for m, member in enumerate(members):
            path = f"couples[{k}].members[{m}]"
            key = _id(member, path)
            if key in candidate_index:
                where = candidate_path[key]
                if where.startswith("candidates["):
                    raise InstanceError(path, f"candidate {key!r} is also listed alone at {where.removesuffix('.id')}")
                raise InstanceError(path, f"candidate {key!r} is already a member at {where}")
            _register(candidate_index, candidate_path, member, path)

    position_index: dict[str, int] = {}
    position_path: dict[str, str] = {}
    capacities = []
    for i, entry in enumerate(positions):
        entry = _object(entry, f"positions[{i}]", ("id", "capacity", "ranking"))
        _register(position_index, position_path, entry["id"], f"positions[{i}].id")
        capacity = entry["capacity"]
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            raise InstanceError(f"positions[{i}].capacity", f"must be a whole number >= 0 (got {json.dumps(capacity)})")
        capacities.append(capacity)

    candidate_lists = [
        _ranking(entry["ranking"], f"candidates[{i}].ranking", position_index, "position")
        for i, entry in enumerate(candidates)
    ]
    candidate_lists.extend([] for _ in range(2 * len(couples)))
    position_lists = [
        _ranking(entry["ranking"], f"positions[{i}].ranking", candidate_index, "candidate")
        for i, entry in enumerate(positions)
    ]
    couple_members = []
    couple_lengths = []
    couple_pairs: list[tuple[int, int]] = []
    for k, entry in enumerate(couples):
        couple_members.append(tuple(candidate_index[_id(m, "")] for m in entry["members"]))
        seen: dict[tuple[int, int], int] = {}
        pairs = _list(entry["ranking"], f"couples[{k}].ranking")
        for j, pair in enumerate(pairs):
            path = f"couples[{k}].ranking[{j}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise InstanceError(path, "must be a pair [position id or null, position id or null]")
            coded = []
            for m, item in enumerate(pair):
                if item is None:
                    coded.append(NO_POSITION)
                    continue
                key = _id(item, f"{path}[{m}]")
                if key not in position_index:
                    raise InstanceError(f"{path}[{m}]", f"unknown position id {key!r}")
                coded.append(position_index[key])
            pair_code = (coded[0], coded[1])
            if pair_code == (NO_POSITION, NO_POSITION):
                raise InstanceError(path, "a pair must place at least one member ([null, null] is implied last)")
            if pair_code in seen:
                raise InstanceError(path, f"the same pair is already ranked at couples[{k}].ranking[{seen[pair_code]}]")
            seen[pair_code] = j
            couple_pairs.append(pair_code)
        couple_lengths.append(len(pairs))

    instance = AllocationInstance.from_arrays(
        candidate_ptr=_offsets([len(r) for r in candidate_lists]),
        candidate_positions=np.fromiter((p for r in candidate_lists for p in r), dtype=np.int32),
        position_ptr=_offsets([len(r) for r in position_lists]),
        position_candidates=np.fromiter((c for r in position_lists for c in r), dtype=np.int32),
        capacities=np.asarray(capacities, dtype=np.int32),
        couple_members=np.asarray(couple_members, dtype=np.int32).reshape(-1, 2),
        couple_ptr=_offsets(couple_lengths),
        couple_positions=np.asarray(couple_pairs, dtype=np.int32).reshape(-1, 2),
    )
    candidate_ids = [c["id"] for c in candidates] + [m for c in couples for m in c["members"]]
    position_ids = [p["id"] for p in positions]
    return ParsedInstance(instance, candidate_ids, position_ids)


def _offsets(lengths: list[int]) -> np.ndarray:
    ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    return ptr


def result_to_json(parsed: ParsedInstance, result: AllocationResult) -> dict[str, Any]:
    """The result document (module docstring) with the instance's own ids."""
    candidate_ids, position_ids = parsed.candidate_ids, parsed.position_ids

    def position_id(p: int) -> Id | None:
        return None if p < 0 else position_ids[p]

    assignment = {str(candidate_ids[c]): position_id(int(p)) for c, p in enumerate(result.assignment.tolist())}
    blocking: list[dict[str, Any]] = []
    certificate = result.certificate
    if certificate is not None:
        for c, p in certificate.blocking_singles.tolist():
            blocking.append({"candidate": candidate_ids[c], "position": position_ids[p]})
        instance = parsed.instance
        for k, index in certificate.blocking_couples:
            pair = instance.couple_ranking(k)[index]
            blocking.append(
                {
                    "couple": [candidate_ids[int(m)] for m in instance.couple_members[k]],
                    "positions": [position_id(int(pair[0])), position_id(int(pair[1]))],
                }
            )
    stats = dict(result.stats)
    if certificate is not None:
        stats["valid"] = certificate.valid
    return {
        "assignment": assignment,
        "stable": bool(result.stable),
        "status": result.status,
        "blocking_pairs": blocking,
        "stats": stats,
    }
