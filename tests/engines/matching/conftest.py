"""Small random allocation instances and a brute-force stability oracle for the allocation tests.

The oracle is written straight from the case list of Biró, Irving and Schlotter (2011) with plain
dicts and loops, sharing nothing with ``talentgate.engines.matching.stability``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from talentgate.engines.matching.instance import AllocationInstance


@dataclass
class SmallInstance:
    """A readable instance: plain lists, ``None`` for "unplaced" in couple pairs."""

    singles: dict[int, list[int]]
    couples: list[tuple[tuple[int, int], list[tuple[int | None, int | None]]]]
    position_rankings: list[list[int]]
    capacities: list[int]

    @property
    def n_candidates(self) -> int:
        return len(self.singles) + 2 * len(self.couples)

    def to_instance(self) -> AllocationInstance:
        candidate_rankings = [self.singles.get(c, []) for c in range(self.n_candidates)]
        return AllocationInstance.from_lists(candidate_rankings, self.position_rankings, self.capacities, self.couples)


def random_small_instance(rng: np.random.Generator, max_candidates: int = 10, max_couples: int = 2) -> SmallInstance:
    """Singles first (ids ``0..s-1``), then couple members in pairs; lists short enough to enumerate."""
    n_couples = int(rng.integers(0, max_couples + 1))
    n_singles = int(rng.integers(0 if n_couples else 1, max_candidates - 2 * n_couples + 1))
    n_positions = int(rng.integers(1, 5))
    n = n_singles + 2 * n_couples
    capacities = [int(x) for x in rng.integers(0, 3, size=n_positions)]
    singles = {}
    for c in range(n_singles):
        length = int(rng.integers(0, min(3, n_positions) + 1))
        singles[c] = [int(p) for p in rng.permutation(n_positions)[:length]]
    couples = []
    options = [
        (a, b) for a in [None, *range(n_positions)] for b in [None, *range(n_positions)] if (a, b) != (None, None)
    ]
    for k in range(n_couples):
        length = int(rng.integers(1, 4))
        chosen = rng.permutation(len(options))[:length]
        couples.append(((n_singles + 2 * k, n_singles + 2 * k + 1), [options[i] for i in chosen]))
    position_rankings = []
    for _ in range(n_positions):
        # Mostly complete lists, sometimes a candidate left off (unacceptable to the position).
        keep = [c for c in rng.permutation(n).tolist() if rng.random() < 0.85]
        position_rankings.append(keep)
    return SmallInstance(singles, couples, position_rankings, capacities)


def enumerate_matchings(inst: SmallInstance, limit: int = 50_000):
    """Every individually rational matching respecting capacities, as ``assignment`` lists (None: unplaced)."""
    rank = [{c: r for r, c in enumerate(lst)} for lst in inst.position_rankings]
    n = inst.n_candidates
    agents: list[list[dict[int, int | None]]] = []
    for c, ranking in inst.singles.items():
        agents.append([{c: None}] + [{c: p} for p in ranking if c in rank[p]])
    for (a, b), pairs in inst.couples:
        choices: list[dict[int, int | None]] = [{a: None, b: None}]
        for pa, pb in pairs:
            if (pa is None or a in rank[pa]) and (pb is None or b in rank[pb]):
                choices.append({a: pa, b: pb})
        agents.append(choices)
    total = 1
    for choices in agents:
        total *= len(choices)
    if total > limit:
        return None
    found = []
    for combo in itertools.product(*agents):
        assignment: list[int | None] = [None] * n
        for part in combo:
            for c, p in part.items():
                assignment[c] = p
        load = [0] * len(inst.capacities)
        for p in assignment:
            if p is not None:
                load[p] += 1
        if all(load[p] <= inst.capacities[p] for p in range(len(load))):
            found.append(assignment)
    return found


def brute_blocking(inst: SmallInstance, assignment: list[int | None]):
    """Blocking singles ``{(r, h)}`` and couples ``{(k, pair index)}``, case by case from the definition."""
    rank = [{c: r for r, c in enumerate(lst)} for lst in inst.position_rankings]
    cap = inst.capacities
    members_of = {h: [c for c, p in enumerate(assignment) if p == h] for h in range(len(cap))}

    def undersubscribed(h):
        return len(members_of[h]) < cap[h]

    def prefers(h, r, other):  # h prefers r to other
        return r in rank[h] and (other not in rank[h] or rank[h][r] < rank[h][other])

    def acceptable(h, r):
        return r in rank[h]

    singles = set()
    for r, ranking in inst.singles.items():
        current = assignment[r]
        better = ranking if current is None else ranking[: ranking.index(current)]
        for h in better:
            if acceptable(h, r) and (undersubscribed(h) or any(prefers(h, r, x) for x in members_of[h])):
                singles.add((r, h))

    couples = set()
    for k, ((ri, rj), pairs) in enumerate(inst.couples):
        mi, mj = assignment[ri], assignment[rj]
        current = len(pairs) if (mi, mj) == (None, None) else pairs.index((mi, mj))
        for t, (h, h2) in enumerate(pairs[:current]):
            if h == mi and h2 != mj:  # case 2(b): r_i keeps its place, r_j moves to h2
                ok = h2 is None or (
                    acceptable(h2, rj)
                    and (undersubscribed(h2) or any(prefers(h2, rj, x) for x in members_of[h2] if x != ri))
                )
            elif h2 == mj and h != mi:  # case 2(a): r_j keeps its place, r_i moves to h
                ok = h is None or (
                    acceptable(h, ri)
                    and (undersubscribed(h) or any(prefers(h, ri, x) for x in members_of[h] if x != rj))
                )
            elif h is not None and h == h2:  # case 3(b): both move to the same position
                others = [x for x in members_of[h] if x not in (ri, rj)]
                free = cap[h] - len(members_of[h])
                ok = acceptable(h, ri) and acceptable(h, rj)
                ok = ok and (
                    free >= 2
                    or (free == 1 and any(prefers(h, r, x) for r in (ri, rj) for x in others))
                    or any(
                        (prefers(h, ri, x) and prefers(h, rj, y)) or (prefers(h, rj, x) and prefers(h, ri, y))
                        for x, y in itertools.permutations(others, 2)
                    )
                )
            else:  # case 3(a): both move, to different positions (or one gives its place up)
                ok_i = h is None or (
                    acceptable(h, ri)
                    and (undersubscribed(h) or any(prefers(h, ri, x) for x in members_of[h] if x != rj))
                )
                ok_j = h2 is None or (
                    acceptable(h2, rj)
                    and (undersubscribed(h2) or any(prefers(h2, rj, x) for x in members_of[h2] if x != ri))
                )
                ok = ok_i and ok_j
            if ok:
                couples.add((k, t))
    return singles, couples


@pytest.fixture
def brute():
    """The brute-force helpers as one namespace (test modules cannot import each other)."""
    return SimpleNamespace(
        random_small_instance=random_small_instance,
        enumerate_matchings=enumerate_matchings,
        blocking=brute_blocking,
    )
