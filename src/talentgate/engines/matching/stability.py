"""The stability certificate: an independent check of any assignment against an instance.

It shares no code with the engines that build matchings (it is plain NumPy and Python, written
from the definitions), so a bug in one is not repeated in the other. An assignment is *valid* when
no position holds more candidates than its capacity, every placed single is on a list of the
position and has it on their own list, and every couple is either unplaced or placed on a pair it
ranked (each member on the list of their position). It is *stable* when it is valid and has no
blocking pair, as defined for hospitals/residents with couples by Biró, Irving and Schlotter (2011):

1. a single candidate ``r`` and a position ``h`` block if each ranks the other, ``r`` is unplaced or
   prefers ``h`` to their place, and ``h`` has a free place or prefers ``r`` to one of its holders;
2. a couple and a pair ``(h, h')`` it prefers to its current pair block if every member who would
   move to a new position is admitted there. A position admits one member if it ranks them and
   has a free place or prefers them to a holder other than the couple's other member; a position
   asked to take both members needs two free places, or one free place and to prefer either
   member to a holder, or to prefer one member to a holder and the other to another holder.
   A member whose part of the pair is "unplaced", or who keeps their position, needs no admission.

>>> from talentgate.engines.matching.instance import AllocationInstance
>>> inst = AllocationInstance.from_lists([[0, 1], [0]], [[1, 0], [0]], [1, 1])
>>> check_stability(inst, np.array([0, -1])).blocking_singles.tolist()  # 1 and position 0 prefer each other
[[1, 0]]
>>> check_stability(inst, np.array([1, 0])).stable
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from talentgate.engines.matching.instance import AllocationInstance

__all__ = ["Certificate", "check_stability"]


@dataclass(frozen=True)
class Certificate:
    """What the check found; ``stable`` holds only if the assignment is valid and nothing blocks it.

    ``blocking_singles`` rows are ``[candidate, position]``; ``blocking_couples`` items are
    ``(couple, pair index in its ranking)``. ``over_capacity`` lists positions, ``unacceptable``
    candidates placed where they or the position did not rank the other, ``broken_couples``
    couples not placed on one of their ranked pairs (nor both unplaced).
    """

    blocking_singles: np.ndarray
    blocking_couples: list[tuple[int, int]]
    over_capacity: np.ndarray
    unacceptable: np.ndarray
    broken_couples: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not (len(self.over_capacity) or len(self.unacceptable) or len(self.broken_couples))

    @property
    def n_blocking(self) -> int:
        return len(self.blocking_singles) + len(self.blocking_couples)

    @property
    def stable(self) -> bool:
        return self.valid and self.n_blocking == 0


class _RankTable:
    """Rank of candidate ``c`` in position ``p``'s list, by binary search over sorted ``p * n + c`` keys."""

    def __init__(self, instance: AllocationInstance) -> None:
        self.n = max(instance.n_candidates, 1)
        lengths = np.diff(instance.position_ptr)
        owner = np.repeat(np.arange(instance.n_positions, dtype=np.int64), lengths)
        keys = owner * self.n + instance.position_candidates
        ranks = np.arange(len(keys), dtype=np.int64) - instance.position_ptr[owner]
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.ranks = ranks[order]

    def lookup(self, positions: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        keys = positions * self.n + np.asarray(candidates, dtype=np.int64)
        # Binary search is far faster on sorted needles (cache-friendly), so search them in order.
        order = np.argsort(keys)
        where = np.empty(len(keys), dtype=np.int64)
        where[order] = np.searchsorted(self.keys, keys[order])
        where_clipped = np.minimum(where, max(len(self.keys) - 1, 0))
        found = (positions >= 0) & (where < len(self.keys))
        if len(self.keys):
            found &= self.keys[where_clipped] == keys
            return np.where(found, self.ranks[where_clipped], -1)
        return np.full(len(keys), -1, dtype=np.int64)


def check_stability(instance: AllocationInstance, assignment: np.ndarray) -> Certificate:
    """Certify ``assignment`` (``assignment[c]`` = position of candidate ``c``, ``-1``: unplaced)."""
    assignment = np.asarray(assignment, dtype=np.int64)
    n, n_positions = instance.n_candidates, instance.n_positions
    if assignment.shape != (n,):
        raise ValueError(f"assignment: must hold one entry per candidate ({n}), got shape {assignment.shape}")
    if len(assignment) and (assignment.min() < -1 or assignment.max() >= n_positions):
        raise ValueError(f"assignment: positions must be -1 or 0..{n_positions - 1}")
    capacities = instance.capacities.astype(np.int64)
    table = _RankTable(instance)
    list_length = np.diff(instance.position_ptr)

    placed = np.nonzero(assignment >= 0)[0]
    held_rank = table.lookup(assignment[placed], placed)
    # A holder the position never ranked counts as worse than everyone it did rank.
    effective_rank = np.where(held_rank >= 0, held_rank, list_length[assignment[placed]])
    count = np.bincount(assignment[placed], minlength=n_positions)
    worst = np.full(n_positions, -1, dtype=np.int64)
    np.maximum.at(worst, assignment[placed], effective_rank)
    over_capacity = np.nonzero(count > capacities)[0]
    unacceptable = set(placed[held_rank < 0].tolist())

    # Singles: where on their own list is the place they hold?
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(instance.candidate_ptr))
    offset = np.arange(len(owner), dtype=np.int64) - instance.candidate_ptr[owner]
    is_held_entry = instance.candidate_positions == assignment[owner]
    held_offset = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    held_offset[owner[is_held_entry]] = offset[is_held_entry]
    is_member = np.zeros(n, dtype=bool)
    is_member[instance.couple_members.ravel()] = True
    single_placed_off_list = placed[(~is_member[placed]) & (held_offset[placed] == np.iinfo(np.int64).max)]
    unacceptable.update(single_placed_off_list.tolist())

    entry_position = instance.candidate_positions.astype(np.int64)
    entry_rank = table.lookup(entry_position, owner)
    prefers = offset < held_offset[owner]
    admits = (entry_rank >= 0) & (
        (count[entry_position] < capacities[entry_position]) | (entry_rank < worst[entry_position])
    )
    blocking = prefers & admits
    blocking_singles = np.stack([owner[blocking], entry_position[blocking]], axis=1).reshape(-1, 2)

    # Holders of each position, as effective ranks grouped by position (for the couple rules).
    by_position = np.lexsort((effective_rank, assignment[placed]))
    holder_ranks = effective_rank[by_position]
    holder_ptr = np.zeros(n_positions + 1, dtype=np.int64)
    np.cumsum(count, out=holder_ptr[1:])
    blocking_couples, broken = _check_couples(instance, assignment, table, capacities, count, holder_ptr, holder_ranks)
    return Certificate(
        blocking_singles=blocking_singles,
        blocking_couples=blocking_couples,
        over_capacity=over_capacity,
        unacceptable=np.array(sorted(unacceptable), dtype=np.int64),
        broken_couples=np.array(broken, dtype=np.int64),
        counts={"placed": len(placed), "seats": int(capacities.sum())},
    )


def _admits(
    entrant_ranks: list[int], holder_ranks: list[int], excluded_rank: int | None, capacity: int, count: int
) -> bool:
    """Would a position with these holders take every entrant (see the module docstring)?"""
    if any(r < 0 for r in entrant_ranks):
        return False
    need = len(entrant_ranks) - (capacity - count)
    if need <= 0:
        return True
    evictable = list(holder_ranks)
    if excluded_rank is not None:
        evictable.remove(excluded_rank)
    if len(evictable) < need:
        return False
    # The `need` best entrants must each beat a different holder: compare worst with worst.
    chosen = sorted(entrant_ranks)[:need]
    victims = sorted(evictable, reverse=True)[:need]
    return all(e < v for e, v in zip(sorted(chosen, reverse=True), victims, strict=True))


def _check_couples(
    instance: AllocationInstance,
    assignment: np.ndarray,
    table: _RankTable,
    capacities: np.ndarray,
    count: np.ndarray,
    holder_ptr: np.ndarray,
    holder_ranks: np.ndarray,
) -> tuple[list[tuple[int, int]], list[int]]:
    """Blocking (couple, pair) items and couples not placed on a ranked pair."""
    blocking: list[tuple[int, int]] = []
    broken: list[int] = []
    if instance.n_couples == 0:
        return blocking, broken
    list_length = np.diff(instance.position_ptr)

    def holders(position: int) -> list[int]:
        return holder_ranks[holder_ptr[position] : holder_ptr[position + 1]].tolist()

    # Every rank the couple rules may ask for, looked up at once: member m of the owner of pair t.
    owner = np.repeat(np.arange(instance.n_couples), np.diff(instance.couple_ptr))
    pair_rank = np.stack(
        [table.lookup(instance.couple_positions[:, m], instance.couple_members[owner, m]) for m in (0, 1)], axis=1
    ).tolist()
    member_position = assignment[instance.couple_members]
    member_rank = np.stack([table.lookup(member_position[:, m], instance.couple_members[:, m]) for m in (0, 1)], axis=1)

    couple_ptr = instance.couple_ptr.tolist()
    all_pairs = [tuple(pair) for pair in instance.couple_positions.tolist()]
    for k in range(instance.n_couples):
        current = (int(member_position[k, 0]), int(member_position[k, 1]))
        listed = all_pairs[couple_ptr[k] : couple_ptr[k + 1]]
        if current == (-1, -1):
            current_index = len(listed)
        elif current in listed:
            current_index = listed.index(current)
        else:
            broken.append(k)
            current_index = len(listed)
        # The rank each placed member holds, as the holder lists count it (unranked: after everyone).
        held = {}
        for slot in (0, 1):
            if current[slot] >= 0:
                r = int(member_rank[k, slot])
                held[slot] = r if r >= 0 else int(list_length[current[slot]])
        for index in range(current_index):
            wanted = listed[index]
            entrant_ranks = pair_rank[couple_ptr[k] + index]
            if _couple_blocks(wanted, current, entrant_ranks, held, holders, capacities, count):
                blocking.append((k, index))
    return blocking, broken


def _couple_blocks(
    wanted: tuple[int, int],
    current: tuple[int, int],
    entrant_ranks: list[int],
    held: dict[int, int],
    holders: Callable[[int], list[int]],
    capacities: np.ndarray,
    count: np.ndarray,
) -> bool:
    """Does the couple, placed on ``current``, block with the pair ``wanted`` it prefers?"""
    movers = [slot for slot in (0, 1) if wanted[slot] >= 0 and wanted[slot] != current[slot]]
    if not movers:
        return True  # the couple only gives a place up, which nobody has to agree to
    if len(movers) == 2 and wanted[0] == wanted[1]:
        position = wanted[0]
        return _admits(entrant_ranks, holders(position), None, int(capacities[position]), int(count[position]))
    for slot in movers:
        position = wanted[slot]
        # The other member is never the one pushed out to make room (Biró, Irving and Schlotter).
        excluded = held[1 - slot] if current[1 - slot] == position else None
        if not _admits(
            [entrant_ranks[slot]], holders(position), excluded, int(capacities[position]), int(count[position])
        ):
            return False
    return True
