"""Dual-career couples: a Roth-Peranson-style procedure that places each couple as a pair or not at all.

After deferred acceptance has placed the single candidates, couples enter one at a time from a
stack (Roth and Peranson 1999). A couple applies to its pairs of positions in order and takes the
first pair whose positions both accept (each position judges as in the stability definition of
Biró, Irving and Schlotter 2011, see :mod:`.stability`); anyone it displaces goes on the stack. A
couple that loses one member's place withdraws the other member too, and every place so freed
*reactivates* the candidates and couples that rank that position above what they now hold: they go
back on the stack to apply to it again, holding on to their current places meanwhile.

A stable matching need not exist with couples, so the procedure is bounded: it stops when the
number of applications passes a limit, or when it meets a state (assignment, every list pointer and
the stack) it has already been in, which means it would cycle for ever. The caller
(:func:`talentgate.engines.matching.allocation.allocate`) then tries again with another couple order
and keeps the best matching found.

>>> from talentgate.engines.matching.instance import AllocationInstance, prepare
>>> from talentgate.engines.matching.deferred_acceptance import run_singles
>>> inst = AllocationInstance.from_lists(
...     candidate_rankings=[[0], [], []],
...     position_rankings=[[1, 0], [2]],
...     capacities=[1, 1],
...     couples=[((1, 2), [(0, 1), (None, 1)])],
... )
>>> prepared = prepare(inst)
>>> state, _ = run_singles(prepared)
>>> outcome = place_couples(prepared, state, np.arange(inst.n_couples))
>>> state.position_of.tolist(), outcome.status
([-1, 0, 1], 'settled')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numba import types as nb_types
from numba.typed import Dict

from talentgate.engines.matching.deferred_acceptance import AllocationState
from talentgate.engines.matching.instance import PreparedInstance

__all__ = ["CYCLE", "SETTLED", "STEP_LIMIT", "CouplesOutcome", "place_couples"]

SETTLED = "settled"
CYCLE = "cycle"
STEP_LIMIT = "step_limit"
_STATUS = {0: SETTLED, 1: CYCLE, 2: STEP_LIMIT}

_KEY_TYPE = nb_types.uint64
_VALUE_TYPE = nb_types.int64


@dataclass(frozen=True)
class CouplesOutcome:
    """How the couples phase ended (``settled``, ``cycle`` or ``step_limit``) and how much work it took."""

    status: str
    applications: int
    couple_turns: int
    couple_item: np.ndarray


@njit(cache=True)
def _mix(x):
    # splitmix64's finaliser: a cheap, well-spread 64-bit hash for incremental state hashing.
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def _term(tag, index, value):
    """Hash contribution of ``value`` (>= 0) in slot ``index`` of state component ``tag``."""
    return _mix(_mix(np.uint64(index) * np.uint64(4) + np.uint64(tag)) ^ np.uint64(value))


@njit(cache=True)
def _set_position(c, p, position_of, digest):
    digest[0] ^= _term(0, c, position_of[c] + 1) ^ _term(0, c, p + 1)
    position_of[c] = p


@njit(cache=True)
def _set_single_next(c, e, next_entry, digest):
    digest[0] ^= _term(1, c, next_entry[c]) ^ _term(1, c, e)
    next_entry[c] = e


@njit(cache=True)
def _set_couple_next(k, t, couple_next, digest):
    digest[0] ^= _term(2, k, couple_next[k]) ^ _term(2, k, t)
    couple_next[k] = t


@njit(cache=True)
def _push(agent, stack, stack_digest, top, in_stack):
    if in_stack[agent]:
        return
    n = top[0]
    stack[n] = agent
    stack_digest[n + 1] = _mix(stack_digest[n] * np.uint64(0x9E3779B97F4A7C15) + np.uint64(agent + 1))
    top[0] = n + 1
    in_stack[agent] = 1


@njit(cache=True)
def _take_out(c, p, r, position_ptr, held, count, worst, position_of, digest):
    """Remove candidate ``c``, ranked ``r`` by position ``p``, from ``p``."""
    base = position_ptr[p]
    held[base + r] = 0
    count[p] -= 1
    if worst[p] == r:
        k = r - 1
        while k >= 0 and held[base + k] == 0:
            k -= 1
        worst[p] = k
    _set_position(c, -1, position_of, digest)


@njit(cache=True)
def _put_in(c, p, r, position_ptr, held, count, worst, position_of, digest):
    held[position_ptr[p] + r] = 1
    count[p] += 1
    if r > worst[p]:
        worst[p] = r
    _set_position(c, p, position_of, digest)


@njit(cache=True)
def _worst_two(p, protected, position_ptr, held, worst):
    """Ranks of the worst and second-worst holders of ``p`` other than rank ``protected`` (``-1``: none)."""
    base = position_ptr[p]
    first = -1
    k = worst[p]
    while k >= 0:
        if held[base + k] == 1 and k != protected:
            if first < 0:
                first = k
            else:
                return first, k
        k -= 1
    return first, -1


@njit(cache=True)
def _accepts(p, rank_a, rank_b, protected, capacities, position_ptr, held, count, worst):
    """Would ``p`` take the entrant(s) ranked ``rank_a`` (and ``rank_b``, ``-2``: only one)?

    The rule of Biró, Irving and Schlotter: each entrant must be on ``p``'s list; entrants fill free
    places first, and each remaining one must be preferred to a distinct current holder other than
    the couple's own member (``protected``).
    """
    if rank_a < 0 or rank_b == -1:
        return False
    entrants = 1 if rank_b == -2 else 2
    need = entrants - (capacities[p] - count[p])
    if need <= 0:
        return True
    w1, w2 = _worst_two(p, protected, position_ptr, held, worst)
    if entrants == 1:
        return w1 >= 0 and rank_a < w1
    best = min(rank_a, rank_b)
    other = max(rank_a, rank_b)
    if need == 1:
        return w1 >= 0 and best < w1
    return w2 >= 0 and other < w1 and best < w2


@njit(cache=True)
def _displace(
    x,
    p,
    r,
    vacancies,
    n_vacancies,
    candidate_ptr,
    position_ptr,
    capacities,
    held,
    count,
    worst,
    position_of,
    assigned_entry,
    next_entry,
    couple_of,
    member_slot,
    couple_members,
    couple_ptr,
    couple_rank,
    couple_item,
    couple_next,
    n_candidates,
    stack,
    stack_digest,
    top,
    in_stack,
    digest,
):
    """Evict ``x`` (ranked ``r``) from ``p``; a couple member's partner withdraws too, freeing a place."""
    _take_out(x, p, r, position_ptr, held, count, worst, position_of, digest)
    k = couple_of[x]
    if k < 0:
        # Resume after the lost place, unless a reactivation left earlier entries still to try.
        if next_entry[x] >= assigned_entry[x]:
            _set_single_next(x, assigned_entry[x] + 1, next_entry, digest)
        assigned_entry[x] = -1
        _push(x, stack, stack_digest, top, in_stack)
        return n_vacancies
    other = 1 - member_slot[x]
    partner = couple_members[k, other]
    q = position_of[partner]
    if q >= 0:
        _take_out(partner, q, couple_rank[couple_item[k], other], position_ptr, held, count, worst, position_of, digest)
        vacancies[n_vacancies] = q
        n_vacancies += 1
    if couple_next[k] >= couple_item[k]:
        _set_couple_next(k, couple_item[k] + 1, couple_next, digest)
    couple_item[k] = -1
    _push(n_candidates + k, stack, stack_digest, top, in_stack)
    return n_vacancies


@njit(cache=True)
def _reactivate(
    p,
    rank_limit,
    candidate_ptr,
    candidate_positions,
    position_ptr,
    position_candidates,
    held,
    assigned_entry,
    next_entry,
    couple_of,
    member_slot,
    couple_ptr,
    couple_positions,
    couple_item,
    couple_next,
    n_candidates,
    stack,
    stack_digest,
    top,
    in_stack,
    digest,
):
    """Put back on the stack everyone ``p`` ranks before ``rank_limit`` who ranks ``p`` above what they hold.

    They are pushed so that the one ``p`` likes best is served first: the place goes to them and
    the others are turned down at once, instead of a chain of displacements from the worst up.
    """
    base = position_ptr[p]
    length = min(position_ptr[p + 1] - base, rank_limit)
    chosen = np.empty(max(length, 0), dtype=np.int64)
    n_chosen = 0
    for r in range(length):
        if held[base + r] == 1:
            continue
        s = position_candidates[base + r]
        k = couple_of[s]
        if k < 0:
            limit = assigned_entry[s] if assigned_entry[s] >= 0 else candidate_ptr[s + 1]
            for e in range(candidate_ptr[s], limit):
                if candidate_positions[e] == p:
                    if next_entry[s] > e:
                        _set_single_next(s, e, next_entry, digest)
                    chosen[n_chosen] = s
                    n_chosen += 1
                    break
        else:
            slot = member_slot[s]
            limit = couple_item[k] if couple_item[k] >= 0 else couple_ptr[k + 1]
            for t in range(couple_ptr[k], limit):
                if couple_positions[t, slot] == p:
                    if couple_next[k] > t:
                        _set_couple_next(k, t, couple_next, digest)
                    chosen[n_chosen] = n_candidates + k
                    n_chosen += 1
                    break
    for i in range(n_chosen - 1, -1, -1):
        _push(chosen[i], stack, stack_digest, top, in_stack)


@njit(cache=True)
def _place_couples_kernel(
    candidate_ptr,
    candidate_positions,
    candidate_rank,
    position_ptr,
    position_candidates,
    capacities,
    couple_members,
    couple_ptr,
    couple_positions,
    couple_rank,
    couple_of,
    member_slot,
    held,
    count,
    worst,
    position_of,
    assigned_entry,
    next_entry,
    couple_item,
    couple_next,
    couple_order,
    max_applications,
):
    n_candidates = len(candidate_ptr) - 1
    n_couples = len(couple_ptr) - 1
    n_agents = n_candidates + n_couples
    stack = np.empty(n_agents, dtype=np.int64)
    stack_digest = np.zeros(n_agents + 1, dtype=np.uint64)
    top = np.zeros(1, dtype=np.int64)
    in_stack = np.zeros(n_agents, dtype=np.uint8)
    digest = np.zeros(1, dtype=np.uint64)
    seen = Dict.empty(key_type=_KEY_TYPE, value_type=_VALUE_TYPE)
    vacancies = np.empty(8, dtype=np.int64)
    entered = np.empty(2, dtype=np.int64)
    applications = 0
    couple_turns = 0
    status = 0
    for i in range(len(couple_order) - 1, -1, -1):
        _push(n_candidates + couple_order[i], stack, stack_digest, top, in_stack)

    while top[0] > 0:
        if applications > max_applications:
            status = 2
            break
        n = top[0]
        agent = stack[n - 1]
        if agent >= n_candidates:
            # The whole state (assignment, pointers, stack) is hashed incrementally; meeting a
            # state twice at a couple's turn means the procedure would repeat itself for ever.
            key = digest[0] ^ stack_digest[n]
            if key in seen:
                status = 1
                break
            seen[key] = couple_turns
            couple_turns += 1
        top[0] = n - 1
        in_stack[agent] = 0
        n_vacancies = 0
        n_entered = 0

        if agent < n_candidates:
            s = agent
            limit = assigned_entry[s] if assigned_entry[s] >= 0 else candidate_ptr[s + 1]
            while next_entry[s] < limit:
                e = next_entry[s]
                _set_single_next(s, e + 1, next_entry, digest)
                applications += 1
                r = candidate_rank[e]
                p = candidate_positions[e]
                if not _accepts(p, r, -2, -1, capacities, position_ptr, held, count, worst):
                    continue
                old = assigned_entry[s]
                if old >= 0:
                    q = candidate_positions[old]
                    _take_out(s, q, candidate_rank[old], position_ptr, held, count, worst, position_of, digest)
                    vacancies[n_vacancies] = q
                    n_vacancies += 1
                if count[p] >= capacities[p]:
                    w = worst[p]
                    n_vacancies = _displace(
                        position_candidates[position_ptr[p] + w], p, w, vacancies, n_vacancies,
                        candidate_ptr, position_ptr, capacities, held, count, worst, position_of,
                        assigned_entry, next_entry, couple_of, member_slot, couple_members, couple_ptr,
                        couple_rank, couple_item, couple_next, n_candidates, stack, stack_digest, top,
                        in_stack, digest,
                    )  # fmt: skip
                _put_in(s, p, r, position_ptr, held, count, worst, position_of, digest)
                assigned_entry[s] = e
                break
        else:
            k = agent - n_candidates
            a = couple_members[k, 0]
            b = couple_members[k, 1]
            current = couple_item[k]
            limit = current if current >= 0 else couple_ptr[k + 1]
            while couple_next[k] < limit:
                t = couple_next[k]
                _set_couple_next(k, t + 1, couple_next, digest)
                applications += 1
                ha = couple_positions[t, 0]
                hb = couple_positions[t, 1]
                ra = couple_rank[t, 0]
                rb = couple_rank[t, 1]
                ma = position_of[a]
                mb = position_of[b]
                held_a = couple_rank[current, 0] if current >= 0 else -1
                held_b = couple_rank[current, 1] if current >= 0 else -1
                if ha >= 0 and ha == hb:
                    if ma != ha and mb != hb:
                        ok = _accepts(ha, ra, rb, -1, capacities, position_ptr, held, count, worst)
                    elif ma != ha:
                        ok = _accepts(ha, ra, -2, held_b, capacities, position_ptr, held, count, worst)
                    else:
                        ok = _accepts(hb, rb, -2, held_a, capacities, position_ptr, held, count, worst)
                else:
                    ok = True
                    if ha >= 0 and ha != ma:
                        ok = _accepts(
                            ha, ra, -2, held_b if mb == ha else -1, capacities, position_ptr, held, count, worst
                        )
                    if ok and hb >= 0 and hb != mb:
                        ok = _accepts(
                            hb, rb, -2, held_a if ma == hb else -1, capacities, position_ptr, held, count, worst
                        )
                if not ok:
                    continue
                # Leave the places the couple gives up, then make room and move in.
                if ma >= 0 and ma != ha:
                    _take_out(a, ma, held_a, position_ptr, held, count, worst, position_of, digest)
                    vacancies[n_vacancies] = ma
                    n_vacancies += 1
                if mb >= 0 and mb != hb:
                    _take_out(b, mb, held_b, position_ptr, held, count, worst, position_of, digest)
                    vacancies[n_vacancies] = mb
                    n_vacancies += 1
                for m in range(2):
                    h = ha if m == 0 else hb
                    if h < 0 or (m == 0 and ma == ha) or (m == 1 and mb == hb):
                        continue
                    if m == 1 and ha == hb and ma != ha:
                        continue  # both entered together below, at m == 0
                    entrants = 2 if (m == 0 and ha == hb and mb != hb) else 1
                    protected = -1
                    if ha == hb:
                        protected = held_b if (m == 0 and mb == hb) else (held_a if (m == 1 and ma == ha) else -1)
                    while capacities[h] - count[h] < entrants:
                        w1, _ = _worst_two(h, protected, position_ptr, held, worst)
                        if w1 < 0:
                            break  # cannot happen after _accepts; never loop for ever if it did
                        n_vacancies = _displace(
                            position_candidates[position_ptr[h] + w1], h, w1, vacancies, n_vacancies,
                            candidate_ptr, position_ptr, capacities, held, count, worst, position_of,
                            assigned_entry, next_entry, couple_of, member_slot, couple_members, couple_ptr,
                            couple_rank, couple_item, couple_next, n_candidates, stack, stack_digest, top,
                            in_stack, digest,
                        )  # fmt: skip
                    entered[n_entered] = h
                    n_entered += 1
                    if m == 0:
                        _put_in(a, h, ra, position_ptr, held, count, worst, position_of, digest)
                        if entrants == 2:
                            _put_in(b, h, rb, position_ptr, held, count, worst, position_of, digest)
                    else:
                        _put_in(b, h, rb, position_ptr, held, count, worst, position_of, digest)
                couple_item[k] = t
                break

        for i in range(n_vacancies):
            q = vacancies[i]
            if count[q] < capacities[q]:
                _reactivate(
                    q, position_ptr[q + 1] - position_ptr[q], candidate_ptr, candidate_positions, position_ptr, position_candidates, held,
                    assigned_entry, next_entry, couple_of, member_slot, couple_ptr, couple_positions,
                    couple_item, couple_next, n_candidates, stack, stack_digest, top, in_stack, digest,
                )  # fmt: skip
        # A couple may enter with a member ranked below someone it displaced (a free place took
        # that member): whoever the position now prefers to its worst holder gets another turn.
        for i in range(n_entered):
            q = entered[i]
            limit = position_ptr[q + 1] - position_ptr[q] if count[q] < capacities[q] else worst[q]
            _reactivate(
                q, limit, candidate_ptr, candidate_positions, position_ptr, position_candidates, held,
                assigned_entry, next_entry, couple_of, member_slot, couple_ptr, couple_positions,
                couple_item, couple_next, n_candidates, stack, stack_digest, top, in_stack, digest,
            )  # fmt: skip
    return status, applications, couple_turns


def place_couples(
    prepared: PreparedInstance,
    state: AllocationState,
    couple_order: np.ndarray,
    max_applications: int | None = None,
) -> CouplesOutcome:
    """Place the couples into ``state`` (changed in place), entering them in ``couple_order``.

    ``max_applications`` bounds the applications made (default: 20 times the total length of all
    lists, plus 100,000).
    """
    instance = prepared.instance
    if max_applications is None:
        max_applications = 20 * (len(instance.candidate_positions) + len(instance.couple_positions)) + 100_000
    couple_item = np.full(instance.n_couples, -1, dtype=np.int64)
    couple_next = instance.couple_ptr[:-1].copy()
    status, applications, couple_turns = _place_couples_kernel(
        instance.candidate_ptr,
        instance.candidate_positions,
        prepared.candidate_rank,
        instance.position_ptr,
        instance.position_candidates,
        instance.capacities,
        instance.couple_members,
        instance.couple_ptr,
        instance.couple_positions,
        prepared.couple_rank,
        prepared.couple_of,
        prepared.member_slot,
        state.held,
        state.count,
        state.worst,
        state.position_of,
        state.assigned_entry,
        state.next_entry,
        couple_item,
        couple_next,
        np.ascontiguousarray(couple_order, dtype=np.int64),
        int(max_applications),
    )
    return CouplesOutcome(_STATUS[int(status)], int(applications), int(couple_turns), couple_item)
