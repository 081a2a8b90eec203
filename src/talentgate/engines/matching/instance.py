"""The integer-coded allocation instance: ranked lists as CSR arrays, capacities, couples, and their validation.

Candidates are numbered ``0..n_candidates-1`` and positions ``0..n_positions-1``. Each side's
ranked lists (best first) are stored as one CSR pair: ``candidate_ptr`` (``n_candidates + 1``
offsets) and ``candidate_positions`` (the concatenated lists), and likewise ``position_ptr`` /
``position_candidates``. A couple ranks *pairs* of positions: ``couple_members[k]`` holds its two
candidates and rows ``couple_ptr[k]:couple_ptr[k+1]`` of ``couple_positions`` its pairs, best
first, where ``-1`` means "this member stays unplaced". A couple member has no ranking of its own.

:func:`prepare` validates the structure (in compiled code, linear in the size of the lists) and
looks up, for every entry of a candidate's or couple's list, the candidate's rank in that
position's list, which is what the deferred-acceptance kernels consume.

>>> inst = AllocationInstance.from_lists(
...     candidate_rankings=[[0, 1], [0], []],
...     position_rankings=[[1, 0, 2], [0, 2]],
...     capacities=[1, 2],
...     couples=[((2, 1), [(1, None)])],
... )
Traceback (most recent call last):
...
talentgate.engines.matching.instance.InstanceError: couples[0].members[1]: candidate 1 also has a ranking of its own (a couple member ranks only as part of the couple)
>>> inst = AllocationInstance.from_lists([[0, 1], [0], []], [[1, 0, 2], [0, 2]], [1, 2])
>>> (inst.n_candidates, inst.n_positions, inst.n_couples)
(3, 2, 0)
>>> prepared = prepare(inst)
>>> prepared.candidate_rank.tolist()  # candidate 0 is 2nd at position 0 and 1st at position 1
[1, 0, 0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["AllocationInstance", "InstanceError", "PreparedInstance", "prepare", "ranking_from_scores"]

NO_POSITION = -1


class InstanceError(ValueError):
    """An instance is malformed; ``path`` names the entry (``positions[3].capacity``) and ``rule`` what it broke."""

    def __init__(self, path: str, rule: str) -> None:
        super().__init__(f"{path}: {rule}")
        self.path = path
        self.rule = rule


@dataclass(frozen=True)
class AllocationInstance:
    """Ranked lists of both sides as CSR arrays, position capacities and couples (see the module docstring)."""

    candidate_ptr: np.ndarray
    candidate_positions: np.ndarray
    position_ptr: np.ndarray
    position_candidates: np.ndarray
    capacities: np.ndarray
    couple_members: np.ndarray
    couple_ptr: np.ndarray
    couple_positions: np.ndarray

    @classmethod
    def from_arrays(
        cls,
        candidate_ptr: np.ndarray,
        candidate_positions: np.ndarray,
        position_ptr: np.ndarray,
        position_candidates: np.ndarray,
        capacities: np.ndarray,
        couple_members: np.ndarray | None = None,
        couple_ptr: np.ndarray | None = None,
        couple_positions: np.ndarray | None = None,
    ) -> AllocationInstance:
        """Wrap arrays, converting dtypes only where needed (offsets int64, ids and capacities int32)."""
        if couple_members is None:
            couple_members = np.empty((0, 2), dtype=np.int32)
            couple_ptr = np.zeros(1, dtype=np.int64)
            couple_positions = np.empty((0, 2), dtype=np.int32)
        if couple_ptr is None or couple_positions is None:
            raise InstanceError("couples", "couple_ptr and couple_positions are required with couple_members")
        return cls(
            candidate_ptr=np.ascontiguousarray(candidate_ptr, dtype=np.int64),
            candidate_positions=np.ascontiguousarray(candidate_positions, dtype=np.int32),
            position_ptr=np.ascontiguousarray(position_ptr, dtype=np.int64),
            position_candidates=np.ascontiguousarray(position_candidates, dtype=np.int32),
            capacities=np.ascontiguousarray(capacities, dtype=np.int32),
            couple_members=np.ascontiguousarray(couple_members, dtype=np.int32).reshape(-1, 2),
            couple_ptr=np.ascontiguousarray(couple_ptr, dtype=np.int64),
            couple_positions=np.ascontiguousarray(couple_positions, dtype=np.int32).reshape(-1, 2),
        )

    @classmethod
    def from_lists(
        cls,
        candidate_rankings: Sequence[Sequence[int]],
        position_rankings: Sequence[Sequence[int]],
        capacities: Sequence[int],
        couples: Iterable[tuple[tuple[int, int], Sequence[tuple[int | None, int | None]]]] = (),
    ) -> AllocationInstance:
        """Build an instance from Python lists; couples are ``((member_a, member_b), [(pos or None, pos or None), ...])``.

        The instance is validated, so a bad list raises :class:`InstanceError` naming it.
        """
        couple_members: list[tuple[int, int]] = []
        couple_lengths: list[int] = []
        couple_pairs: list[tuple[int, int]] = []
        for members, pairs in couples:
            couple_members.append((int(members[0]), int(members[1])))
            couple_lengths.append(len(pairs))
            for first, second in pairs:
                couple_pairs.append(
                    (NO_POSITION if first is None else int(first), NO_POSITION if second is None else int(second))
                )
        instance = cls.from_arrays(
            candidate_ptr=_offsets([len(r) for r in candidate_rankings]),
            candidate_positions=np.fromiter((p for r in candidate_rankings for p in r), dtype=np.int64),
            position_ptr=_offsets([len(r) for r in position_rankings]),
            position_candidates=np.fromiter((c for r in position_rankings for c in r), dtype=np.int64),
            capacities=np.asarray(list(capacities), dtype=np.int64),
            couple_members=np.asarray(couple_members, dtype=np.int64).reshape(-1, 2),
            couple_ptr=_offsets(couple_lengths),
            couple_positions=np.asarray(couple_pairs, dtype=np.int64).reshape(-1, 2),
        )
        validate(instance)
        return instance

    @property
    def n_candidates(self) -> int:
        return len(self.candidate_ptr) - 1

    @property
    def n_positions(self) -> int:
        return len(self.position_ptr) - 1

    @property
    def n_couples(self) -> int:
        return len(self.couple_ptr) - 1

    def candidate_ranking(self, candidate: int) -> np.ndarray:
        """The positions ``candidate`` ranks, best first."""
        return self.candidate_positions[self.candidate_ptr[candidate] : self.candidate_ptr[candidate + 1]]

    def position_ranking(self, position: int) -> np.ndarray:
        """The candidates ``position`` ranks, best first."""
        return self.position_candidates[self.position_ptr[position] : self.position_ptr[position + 1]]

    def couple_ranking(self, couple: int) -> np.ndarray:
        """The couple's pairs of positions (``-1``: that member unplaced), best first, as an ``(n, 2)`` array."""
        return self.couple_positions[self.couple_ptr[couple] : self.couple_ptr[couple + 1]]


@dataclass(frozen=True)
class PreparedInstance:
    """A validated instance with the rank look-ups the kernels need.

    ``candidate_rank[e]`` is the rank of the candidate owning entry ``e`` of ``candidate_positions``
    in that position's list (``-1``: the position does not rank them). ``couple_rank[t, m]`` is the
    same for member ``m`` of the couple owning pair ``t`` (``-1`` also for "unplaced").
    ``couple_of[c]`` is the couple of candidate ``c`` (``-1``: single), ``member_slot[c]`` its slot.
    """

    instance: AllocationInstance
    candidate_rank: np.ndarray
    couple_rank: np.ndarray
    couple_of: np.ndarray
    member_slot: np.ndarray


def _offsets(lengths: Sequence[int]) -> np.ndarray:
    ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=ptr[1:])
    return ptr


# Error codes of the compiled validator; messages are built in Python from (code, i, j, value).
_PTR_CANDIDATES = 1
_CANDIDATE_POSITION_RANGE = 2
_CANDIDATE_POSITION_TWICE = 3
_PTR_POSITIONS = 4
_POSITION_CANDIDATE_RANGE = 5
_POSITION_CANDIDATE_TWICE = 6
_NEGATIVE_CAPACITY = 7
_PTR_COUPLES = 8
_MEMBER_RANGE = 9
_MEMBERS_EQUAL = 10
_MEMBER_IN_TWO_COUPLES = 11
_MEMBER_RANKS_ALONE = 12
_COUPLE_POSITION_RANGE = 13
_COUPLE_PAIR_EMPTY = 14
_COUPLE_PAIR_TWICE = 15


@njit(cache=True)
def _check_ptr(ptr: np.ndarray, total: int) -> int:
    """Index of the first bad offset (not starting at 0, decreasing, not ending at ``total``), or -1."""
    if ptr[0] != 0:
        return 0
    for i in range(1, len(ptr)):
        if ptr[i] < ptr[i - 1]:
            return i
    if ptr[len(ptr) - 1] != total:
        return len(ptr) - 1
    return -1


@njit(cache=True)
def _check_lists(ptr: np.ndarray, items: np.ndarray, n_items: int, range_code: int, twice_code: int):
    """Every list holds ids in ``0..n_items-1``, each at most once; returns (code, owner, offset, value)."""
    stamp = np.full(n_items, -1, dtype=np.int64)
    for owner in range(len(ptr) - 1):
        for e in range(ptr[owner], ptr[owner + 1]):
            value = items[e]
            if value < 0 or value >= n_items:
                return range_code, owner, e - ptr[owner], value
            if stamp[value] == owner:
                return twice_code, owner, e - ptr[owner], value
            stamp[value] = owner
    return 0, 0, 0, 0


@njit(cache=True)
def _validate_kernel(
    candidate_ptr,
    candidate_positions,
    position_ptr,
    position_candidates,
    capacities,
    couple_members,
    couple_ptr,
    couple_positions,
):
    n_candidates = len(candidate_ptr) - 1
    n_positions = len(position_ptr) - 1
    bad = _check_ptr(candidate_ptr, len(candidate_positions))
    if bad >= 0:
        return _PTR_CANDIDATES, bad, 0, candidate_ptr[bad]
    bad = _check_ptr(position_ptr, len(position_candidates))
    if bad >= 0:
        return _PTR_POSITIONS, bad, 0, position_ptr[bad]
    bad = _check_ptr(couple_ptr, len(couple_positions))
    if bad >= 0:
        return _PTR_COUPLES, bad, 0, couple_ptr[bad]
    code, i, j, value = _check_lists(
        candidate_ptr, candidate_positions, n_positions, _CANDIDATE_POSITION_RANGE, _CANDIDATE_POSITION_TWICE
    )
    if code:
        return code, i, j, value
    code, i, j, value = _check_lists(
        position_ptr, position_candidates, n_candidates, _POSITION_CANDIDATE_RANGE, _POSITION_CANDIDATE_TWICE
    )
    if code:
        return code, i, j, value
    for p in range(n_positions):
        if capacities[p] < 0:
            return _NEGATIVE_CAPACITY, p, 0, capacities[p]
    couple_of = np.full(n_candidates, -1, dtype=np.int64)
    for k in range(len(couple_members)):
        for m in range(2):
            c = couple_members[k, m]
            if c < 0 or c >= n_candidates:
                return _MEMBER_RANGE, k, m, c
            if couple_of[c] >= 0:
                if couple_of[c] == k:
                    return _MEMBERS_EQUAL, k, m, c
                return _MEMBER_IN_TWO_COUPLES, k, m, couple_of[c]
            couple_of[c] = k
            if candidate_ptr[c + 1] > candidate_ptr[c]:
                return _MEMBER_RANKS_ALONE, k, m, c
        start, end = couple_ptr[k], couple_ptr[k + 1]
        for t in range(start, end):
            first, second = couple_positions[t, 0], couple_positions[t, 1]
            for m in range(2):
                value = couple_positions[t, m]
                if value < -1 or value >= n_positions:
                    return _COUPLE_POSITION_RANGE, k, t - start, value
            if first == -1 and second == -1:
                return _COUPLE_PAIR_EMPTY, k, t - start, 0
        if end - start > 1:
            # Pairs are few per couple: sort their codes to find a repeated pair in O(n log n).
            codes = (couple_positions[start:end, 0].astype(np.int64) + 1) * (n_positions + 1) + (
                couple_positions[start:end, 1].astype(np.int64) + 1
            )
            order = np.argsort(codes, kind="mergesort")
            for i in range(1, len(order)):
                if codes[order[i]] == codes[order[i - 1]]:
                    return _COUPLE_PAIR_TWICE, k, max(order[i], order[i - 1]), min(order[i], order[i - 1])
    return 0, 0, 0, 0


def _message(code: int, i: int, j: int, value: int, instance: AllocationInstance) -> InstanceError:
    if code == _PTR_CANDIDATES:
        return InstanceError(
            f"candidate_ptr[{i}]", "offsets must start at 0, never decrease and end at len(candidate_positions)"
        )
    if code == _PTR_POSITIONS:
        return InstanceError(
            f"position_ptr[{i}]", "offsets must start at 0, never decrease and end at len(position_candidates)"
        )
    if code == _PTR_COUPLES:
        return InstanceError(
            f"couple_ptr[{i}]", "offsets must start at 0, never decrease and end at len(couple_positions)"
        )
    if code == _CANDIDATE_POSITION_RANGE:
        return InstanceError(
            f"candidates[{i}].ranking[{j}]", f"position {value} does not exist (0..{instance.n_positions - 1})"
        )
    if code == _CANDIDATE_POSITION_TWICE:
        return InstanceError(f"candidates[{i}].ranking[{j}]", f"position {value} is ranked twice")
    if code == _POSITION_CANDIDATE_RANGE:
        return InstanceError(
            f"positions[{i}].ranking[{j}]", f"candidate {value} does not exist (0..{instance.n_candidates - 1})"
        )
    if code == _POSITION_CANDIDATE_TWICE:
        return InstanceError(f"positions[{i}].ranking[{j}]", f"candidate {value} is ranked twice")
    if code == _NEGATIVE_CAPACITY:
        return InstanceError(f"positions[{i}].capacity", f"must be >= 0 (got {value})")
    if code == _MEMBER_RANGE:
        return InstanceError(
            f"couples[{i}].members[{j}]", f"candidate {value} does not exist (0..{instance.n_candidates - 1})"
        )
    if code == _MEMBERS_EQUAL:
        return InstanceError(f"couples[{i}].members", "the two members must be different candidates")
    if code == _MEMBER_IN_TWO_COUPLES:
        return InstanceError(f"couples[{i}].members[{j}]", f"candidate is already a member of couples[{value}]")
    if code == _MEMBER_RANKS_ALONE:
        return InstanceError(
            f"couples[{i}].members[{j}]",
            f"candidate {value} also has a ranking of its own (a couple member ranks only as part of the couple)",
        )
    if code == _COUPLE_POSITION_RANGE:
        return InstanceError(f"couples[{i}].ranking[{j}]", f"position {value} does not exist (use -1 for 'unplaced')")
    if code == _COUPLE_PAIR_EMPTY:
        return InstanceError(f"couples[{i}].ranking[{j}]", "a pair must place at least one member")
    if code == _COUPLE_PAIR_TWICE:
        return InstanceError(
            f"couples[{i}].ranking[{j}]", f"the same pair is already ranked at couples[{i}].ranking[{value}]"
        )
    return InstanceError("instance", f"unknown validation failure {code}")


def validate(instance: AllocationInstance) -> None:
    """Raise :class:`InstanceError` naming the first structural fault; linear in the size of the lists."""
    if instance.capacities.shape != (instance.n_positions,):
        raise InstanceError("capacities", f"must hold one capacity per position ({instance.n_positions})")
    if instance.couple_members.shape != (instance.n_couples, 2):
        raise InstanceError("couple_members", f"must hold two members per couple ({instance.n_couples} couples)")
    code, i, j, value = _validate_kernel(
        instance.candidate_ptr,
        instance.candidate_positions,
        instance.position_ptr,
        instance.position_candidates,
        instance.capacities,
        instance.couple_members,
        instance.couple_ptr,
        instance.couple_positions,
    )
    if code:
        raise _message(int(code), int(i), int(j), int(value), instance)


@njit(cache=True)
def _ranks_at_positions(position_ptr, position_candidates, query_positions, query_candidates, n_candidates):
    """Rank of ``query_candidates[q]`` in the list of ``query_positions[q]`` (``-1``: absent or no position).

    Queries are bucketed by position (a counting sort), then each position's list is scattered
    into a scratch array once: linear time, no hashing.
    """
    n_positions = len(position_ptr) - 1
    n_queries = len(query_positions)
    bucket_ptr = np.zeros(n_positions + 1, dtype=np.int64)
    for q in range(n_queries):
        p = query_positions[q]
        if p >= 0:
            bucket_ptr[p + 1] += 1
    for p in range(n_positions):
        bucket_ptr[p + 1] += bucket_ptr[p]
    fill = bucket_ptr[:-1].copy()
    bucketed = np.empty(bucket_ptr[n_positions], dtype=np.int64)
    for q in range(n_queries):
        p = query_positions[q]
        if p >= 0:
            bucketed[fill[p]] = q
            fill[p] += 1
    ranks = np.full(n_queries, -1, dtype=np.int32)
    scratch = np.full(n_candidates, -1, dtype=np.int32)
    for p in range(n_positions):
        if bucket_ptr[p + 1] == bucket_ptr[p]:
            continue
        start, end = position_ptr[p], position_ptr[p + 1]
        for e in range(start, end):
            scratch[position_candidates[e]] = e - start
        for b in range(bucket_ptr[p], bucket_ptr[p + 1]):
            q = bucketed[b]
            ranks[q] = scratch[query_candidates[q]]
        for e in range(start, end):
            scratch[position_candidates[e]] = -1
    return ranks


@njit(cache=True)
def _owners(ptr: np.ndarray) -> np.ndarray:
    """For a CSR offset array, the owner (row) of every entry."""
    owners = np.empty(ptr[len(ptr) - 1], dtype=np.int32)
    for row in range(len(ptr) - 1):
        for e in range(ptr[row], ptr[row + 1]):
            owners[e] = row
    return owners


def prepare(instance: AllocationInstance) -> PreparedInstance:
    """Validate ``instance`` and compute the rank look-ups (see :class:`PreparedInstance`)."""
    validate(instance)
    n = instance.n_candidates
    candidate_rank = _ranks_at_positions(
        instance.position_ptr,
        instance.position_candidates,
        instance.candidate_positions,
        _owners(instance.candidate_ptr),
        n,
    )
    couple_of = np.full(n, -1, dtype=np.int32)
    member_slot = np.zeros(n, dtype=np.int8)
    couple_rank = np.full(instance.couple_positions.shape, -1, dtype=np.int32)
    if instance.n_couples:
        couple_of[instance.couple_members[:, 0]] = np.arange(instance.n_couples, dtype=np.int32)
        couple_of[instance.couple_members[:, 1]] = np.arange(instance.n_couples, dtype=np.int32)
        member_slot[instance.couple_members[:, 1]] = 1
        owner = _owners(instance.couple_ptr)
        for m in range(2):
            couple_rank[:, m] = _ranks_at_positions(
                instance.position_ptr,
                instance.position_candidates,
                np.ascontiguousarray(instance.couple_positions[:, m]),
                np.ascontiguousarray(instance.couple_members[owner, m]),
                n,
            )
    return PreparedInstance(instance, candidate_rank, couple_rank, couple_of, member_slot)


def ranking_from_scores(scores: np.ndarray, lottery_seed: int | None = None) -> np.ndarray:
    """Indices of ``scores`` from best (highest) to worst, ties broken deterministically.

    Ties go to the lower index, or, with ``lottery_seed``, to the lower number of one seeded
    lottery drawn per index: pass the same seed for every position so that one lottery breaks all
    ties alike (single tie-breaking, which wastes fewer places than a fresh draw per position).

    >>> ranking_from_scores(np.array([0.5, 0.9, 0.5, 0.1])).tolist()
    [1, 0, 2, 3]
    >>> ranking_from_scores(np.array([1.0, 1.0, 1.0]), lottery_seed=7).tolist() == \
        ranking_from_scores(np.array([1.0, 1.0, 1.0]), lottery_seed=7).tolist()
    True
    """
    scores = np.asarray(scores, dtype=np.float64)
    if lottery_seed is None:
        tie_break = np.arange(len(scores))
    else:
        tie_break = np.random.default_rng(lottery_seed).permutation(len(scores))
    # lexsort sorts by the last key first: descending score, then ascending tie-break number.
    return np.lexsort((tie_break, -scores))
