"""The JSON instance format: ids mapped both ways, and every malformed entry refused by name."""

from __future__ import annotations

import json

import pytest

from talentgate.engines.matching.allocation import allocate
from talentgate.engines.matching.instance import InstanceError
from talentgate.engines.matching.io import load_instance, parse_instance, result_to_json


def _document():
    return {
        "candidates": [{"id": "c1", "ranking": ["p2", "p1"]}, {"id": 7, "ranking": ["p1"]}],
        "positions": [
            {"id": "p1", "capacity": 2, "ranking": ["c1", "c3", "c2", "7"]},
            {"id": "p2", "capacity": 1, "ranking": ["c2", "c1"]},
        ],
        "couples": [{"members": ["c2", "c3"], "ranking": [["p1", "p1"], ["p2", "p1"], [None, "p1"]]}],
    }


def test_reads_ids_and_writes_the_result_with_them():
    parsed = parse_instance(_document())
    assert parsed.candidate_ids == ["c1", 7, "c2", "c3"]
    assert parsed.position_ids == ["p1", "p2"]
    out = result_to_json(parsed, allocate(parsed.instance))
    # c1 gets its first choice p2 and 7 takes one of p1's two places; the couple's first pair
    # (p1, p1) fits: one member takes the free place, the other displaces 7, whom p1 ranks last.
    assert out["assignment"] == {"c1": "p2", "7": None, "c2": "p1", "c3": "p1"}
    assert out["stable"] is True
    assert out["status"] == "stable"
    assert out["blocking_pairs"] == []
    assert out["stats"]["couples"] == 1
    assert out["stats"]["valid"] is True


def test_blocking_pairs_are_written_with_ids():
    text = json.dumps(
        {
            "candidates": [{"id": "s", "ranking": ["x"]}],
            "positions": [{"id": "x", "capacity": 2, "ranking": ["b", "s", "a"]}],
            "couples": [{"members": ["a", "b"], "ranking": [["x", "x"]]}],
        }
    )
    parsed = load_instance(text)
    out = result_to_json(parsed, allocate(parsed.instance, max_attempts=1))
    assert out["stable"] is False
    assert out["status"] == "no_stable_matching_found"
    assert out["blocking_pairs"] in (
        [{"couple": ["a", "b"], "positions": ["x", "x"]}],
        [{"candidate": "s", "position": "x"}],
    )


def _with(path, value):
    document = _document()
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_with(["positions", 1, "capacity"], -1), "positions[1].capacity: must be a whole number >= 0 (got -1)"),
        (_with(["positions", 1, "capacity"], 1.5), "positions[1].capacity: must be a whole number >= 0 (got 1.5)"),
        (_with(["positions", 0, "capacity"], True), "positions[0].capacity: must be a whole number >= 0 (got true)"),
        (_with(["positions", 1, "id"], "p1"), "positions[1].id: duplicate id 'p1' (already positions[0].id)"),
        (_with(["candidates", 1, "id"], "c1"), "candidates[1].id: duplicate id 'c1' (already candidates[0].id)"),
        (_with(["candidates", 0, "ranking"], ["p2", "p9"]), "candidates[0].ranking[1]: unknown position id 'p9'"),
        (
            _with(["candidates", 0, "ranking"], ["p2", "p2"]),
            "candidates[0].ranking[1]: position 'p2' is already ranked at candidates[0].ranking[0]",
        ),
        (_with(["positions", 1, "ranking"], ["c2", "zz"]), "positions[1].ranking[1]: unknown candidate id 'zz'"),
        (_with(["candidates", 0, "id"], None), "candidates[0].id: an id must be a string or an integer"),
        (_with(["candidates", 0, "ranking"], KeyError), "candidates[0].ranking: is required"),
        (_with(["positions", 0, "capcity"], 3), "positions[0].capcity: unknown field"),
        (_with(["candidates"], {"id": "c1"}), "candidates: must be a list"),
        (
            _with(["couples", 0, "members"], ["c2", "c1"]),
            "couples[0].members[1]: candidate 'c1' is also listed alone at candidates[0]",
        ),
        (_with(["couples", 0, "members"], ["c2"]), "couples[0].members: must name exactly two candidates (got 1)"),
        (
            _with(["couples", 0, "members"], ["c2", "c2"]),
            "couples[0].members[1]: candidate 'c2' is already a member at couples[0].members[0]",
        ),
        (
            _with(["couples", 0, "ranking"], [["p1", "p1"], [None, None]]),
            "couples[0].ranking[1]: a pair must place at least one member ([null, null] is implied last)",
        ),
        (
            _with(["couples", 0, "ranking"], [["p1"]]),
            "couples[0].ranking[0]: must be a pair [position id or null, position id or null]",
        ),
        (_with(["couples", 0, "ranking"], [["p1", "p7"]]), "couples[0].ranking[0][1]: unknown position id 'p7'"),
        (
            _with(["couples", 0, "ranking"], [["p1", "p2"], ["p1", "p2"]]),
            "couples[0].ranking[1]: the same pair is already ranked at couples[0].ranking[0]",
        ),
        ([], "instance: must be an object"),
    ],
)
def test_refuses_malformed_instances_naming_the_entry(document, message):
    with pytest.raises(InstanceError) as caught:
        parse_instance(document)
    assert str(caught.value) == message


def test_two_couples_sharing_a_member_are_refused():
    document = _document()
    document["couples"].append({"members": ["c3", "c4"], "ranking": []})
    with pytest.raises(
        InstanceError,
        match=r"^couples\[1\]\.members\[0\]: candidate 'c3' is already a member at couples\[0\]\.members\[1\]$",
    ):
        parse_instance(document)


def test_bad_json_is_refused_with_its_place():
    with pytest.raises(InstanceError, match=r"^instance: not valid JSON at line 2 column 1: "):
        load_instance('{"candidates": [],\n}')
