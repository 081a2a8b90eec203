"""The audit service every write calls: append-only hash chains with signed heads.

A chain is keyed per case (``case:<id>``) and per person for events outside a case
(``person:<user id>``); other keys (``organisation:<id>``) follow the same pattern.
Call :func:`record` inside the same transaction as the write it describes, so the
entry and the change commit together or not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from talentgate.common.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def chain_for_person(user_id: int) -> str:
    return f"person:{user_id}"


def chain_for_case(case_id: int) -> str:
    return f"case:{case_id}"


def chain_for_organisation(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def _entry_payload(
    *,
    chain: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    fields: list[str],
    reason: str,
    prev_hash: str,
) -> bytes:
    return json.dumps(
        [chain, seq, at.isoformat(), actor_id, action, object_type, object_id, fields, reason, prev_hash],
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def compute_hash(entry: AuditEntry) -> str:
    """The hash an entry must carry, from its own columns and its predecessor's hash."""
    payload = _entry_payload(
        chain=entry.chain,
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        fields=list(entry.fields),
        reason=entry.reason,
        prev_hash=entry.prev_hash,
    )
    return hashlib.sha256(payload).hexdigest()


def sign_head(chain: str, seq: int, head_hash: str) -> str:
    """HMAC-SHA256 of a chain head with ``settings.AUDIT_SIGNING_KEY``."""
    message = f"{chain}\n{seq}\n{head_hash}".encode()
    return hmac.new(settings.AUDIT_SIGNING_KEY.encode(), message, hashlib.sha256).hexdigest()


def _actor_id(actor: Any) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return int(actor.pk)


@dataclass(frozen=True)
class AuditEvent:
    """One thing to record: ``action`` on ``obj`` in ``chain``, naming the fields written (never their values)."""

    action: str
    obj: models.Model
    chain: str
    fields: Iterable[str] = ()
    reason: str = ""


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    chain: str,
    fields: Iterable[str] = (),
    reason: str = "",
) -> AuditEntry:
    """Append one entry to ``chain`` describing ``action`` by ``actor`` on ``obj``.

    ``fields`` are field *names*; never pass values. Runs in (or opens) a transaction
    and locks the chain head, so concurrent writers to one chain queue up rather than
    fork it.
    """
    (entry,) = record_many(actor, [AuditEvent(action, obj, chain, fields, reason)])
    return entry


def record_many(actor: Any, events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """Append many entries (to one or many chains) with a handful of statements.

    Gives exactly the chains that one :func:`record` call per event would, in order;
    bulk writers (imports, the demo loader) use it because three queries per event
    dominate their run time.
    """
    events = list(events)
    if not events:
        return []
    actor_id = _actor_id(actor)
    with transaction.atomic():
        chains = {event.chain for event in events}
        heads = {h.chain: h for h in AuditChainHead.objects.select_for_update().filter(chain__in=chains)}
        existing = set(heads)
        entries: list[AuditEntry] = []
        for event in events:
            head = heads.get(event.chain)
            entry = AuditEntry(
                chain=event.chain,
                seq=head.seq + 1 if head else 1,
                at=timezone.now(),
                actor_id=actor_id,
                action=event.action,
                object_type=event.obj._meta.label_lower,
                object_id=str(event.obj.pk),
                fields=sorted(set(event.fields)),
                reason=event.reason[:500],
                prev_hash=head.head_hash if head else GENESIS_HASH,
            )
            entry.entry_hash = compute_hash(entry)
            entries.append(entry)
            signature = sign_head(entry.chain, entry.seq, entry.entry_hash)
            if head is None:
                heads[entry.chain] = AuditChainHead(
                    chain=entry.chain,
                    seq=entry.seq,
                    head_hash=entry.entry_hash,
                    signature=signature,
                    updated_at=entry.at,
                )
            else:
                head.seq, head.head_hash, head.signature, head.updated_at = (
                    entry.seq,
                    entry.entry_hash,
                    signature,
                    entry.at,
                )
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
        AuditChainHead.objects.bulk_create([h for c, h in heads.items() if c not in existing], batch_size=2000)
        AuditChainHead.objects.bulk_update(
            [h for c, h in heads.items() if c in existing],
            ["seq", "head_hash", "signature", "updated_at"],
            batch_size=2000,
        )
    return entries


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain stops being trustworthy, with what is wrong there."""

    chain: str
    seq: int | None
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.chain}#{self.seq}" if self.seq is not None else self.chain
        ident = f" (entry id {self.entry_id})" if self.entry_id is not None else ""
        return f"{where}{ident}: {self.problem}"


def _verify_chain(chain: str, entries: Iterator[AuditEntry], head: AuditChainHead | None) -> ChainBreak | None:
    expected_seq, prev_hash = 1, GENESIS_HASH
    last: AuditEntry | None = None
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(chain, expected_seq, None, f"entry {expected_seq} is missing (found {entry.seq} next)")
        if entry.prev_hash != prev_hash:
            return ChainBreak(chain, entry.seq, entry.pk, "does not link to the previous entry (reordered or removed)")
        if compute_hash(entry) != entry.entry_hash:
            return ChainBreak(chain, entry.seq, entry.pk, "content does not match its hash (edited)")
        prev_hash, expected_seq, last = entry.entry_hash, expected_seq + 1, entry
    if head is None:
        return ChainBreak(chain, None, None, "chain has entries but no signed head")
    if last is None or head.seq != last.seq or head.head_hash != last.entry_hash:
        return ChainBreak(
            chain, head.seq, None, "signed head does not match the last entry (entries removed at the end)"
        )
    if not hmac.compare_digest(head.signature, sign_head(chain, head.seq, head.head_hash)):
        return ChainBreak(chain, head.seq, None, "head signature is invalid (head rewritten without the key)")
    return None


def verify(chains: Iterable[str] | None = None) -> list[ChainBreak]:
    """Check every chain (or the named ones); return the first break of each broken chain."""
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    names = sorted(
        set(chains)
        if chains is not None
        else set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    )
    breaks: list[ChainBreak] = []
    for name in names:
        entries = AuditEntry.objects.filter(chain=name).order_by("seq", "pk").iterator(chunk_size=2000)
        problem = _verify_chain(name, entries, heads.get(name))
        if problem is not None:
            breaks.append(problem)
    return breaks


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every audit entry about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "pk")
