"""Field-encryption keys: make a new one, and re-encrypt every encrypted field under the newest key (rotation).

The procedure (docs/deploy.md): put a new key in front of ``FIELD_ENCRYPTION_KEYS`` on
every process and restart them (new writes use it, old values still decrypt), run
:func:`rotate_field_keys` (``talentgate key rotate``), then drop the old key.

Rotation reads each stored token as text (bypassing the field's decryption), re-encrypts
it in memory with ``MultiFernet.rotate`` and writes the new token back, batch by batch,
each batch in one transaction with the run's cursor: nothing plaintext reaches the
disk, and an interrupted run resumes after the last committed batch. A token already
under the newest key is left alone, so a second run changes nothing. The cursor is
kept in a :class:`~talentgate.common.models.Job` row of kind ``key.rotate`` (one cursor
per model); the finished run is recorded in the audit chain ``system:field-keys``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from encrypted_fields.fields import EncryptedFieldMixin

from talentgate.common import audit
from talentgate.common.crypto import field_fernet
from talentgate.common.errors import ValidationFailed
from talentgate.common.models import Job
from talentgate.ops import logs

_log = logs.get_logger("talentgate.keys")

JOB_KIND = "key.rotate"
AUDIT_CHAIN = "system:field-keys"
DEFAULT_BATCH_SIZE = 500


def generate_key() -> str:
    """A new random Fernet key (URL-safe base64 of 32 bytes), for ``FIELD_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode()


def key_id(secret: str) -> str:
    """A short, one-way id of a key: tells two keys apart in a manifest or a job without revealing either."""
    return hashlib.sha256(b"talentgate-key-id\n" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class EncryptedModel:
    """A model with its encrypted fields, in the order rotation visits them."""

    model: type[models.Model]
    fields: tuple[models.Field[Any, Any], ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def field_labels(self) -> list[str]:
        return [f"{self.label}.{f.name}" for f in self.fields]


def encrypted_models() -> list[EncryptedModel]:
    """Every installed concrete model that has an encrypted field (any ``EncryptedFieldMixin`` subclass)."""
    found = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        fields = tuple(f for f in opts.concrete_fields if isinstance(f, EncryptedFieldMixin))
        if fields:
            found.append(EncryptedModel(model, fields))
    return sorted(found, key=lambda m: m.label)


@dataclass
class RotationReport:
    """What one invocation did (a resumed run's earlier batches are in its Job row's totals)."""

    job_id: int
    resumed: bool
    total: int = 0
    rows_seen: int = 0
    rotated: int = 0
    already_current: int = 0
    #: ``label#pk.field`` of values that no configured key decrypts (left unchanged).
    unreadable: list[str] = field(default_factory=list)


OnBatch = Callable[[str, int], None]
"""``on_batch(model label, rows in the batch)``: called after each committed batch."""


def _raw(name: str) -> Cast:
    # Cast to text: the field's own converter (which decrypts) is not applied to the result.
    return Cast(name, output_field=models.TextField())


def _open_job(primary_id: str, restart: bool) -> tuple[Job, bool]:
    """The interrupted run to resume (same newest key), or a new one; older interrupted runs are closed."""
    unfinished = list(Job.objects.filter(kind=JOB_KIND, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]))
    resumable = next(
        (j for j in sorted(unfinished, key=lambda j: -j.pk) if j.result.get("primary_key_id") == primary_id), None
    )
    if restart:
        resumable = None
    for stale in unfinished:
        if stale is not resumable:
            stale.status, stale.error = Job.Status.FAILED, "superseded by a later rotation run"
            stale.save(update_fields=["status", "error", "updated_at"])
    if resumable is not None:
        return resumable, True
    job = Job.objects.create(
        kind=JOB_KIND,
        status=Job.Status.RUNNING,
        result={"primary_key_id": primary_id, "cursors": {}, "finished": [], "rotated": 0, "already_current": 0},
    )
    return job, False


def _remaining(entry: EncryptedModel, cursor: Any) -> int:
    queryset = entry.model._base_manager.all()
    return queryset.filter(pk__gt=cursor).count() if cursor is not None else queryset.count()


def rotate_field_keys(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restart: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_batch: OnBatch | None = None,
) -> RotationReport:
    """Re-encrypt every encrypted value under the first key of ``FIELD_ENCRYPTION_KEYS``, resuming an interrupted run.

    ``on_start(total rows)`` is called once the work is counted. Values that no
    configured key decrypts are reported by id and left as they are.
    """
    if batch_size < 1:
        raise ValidationFailed.single("batch_size", "min_value", _("The batch size must be at least 1."))
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ValidationFailed.single("FIELD_ENCRYPTION_KEYS", "required", _("No field-encryption key is configured."))
    newest, every_key = Fernet(keys[0]), field_fernet()
    job, resumed = _open_job(key_id(keys[0]), restart)
    state: dict[str, Any] = job.result
    targets = [e for e in encrypted_models() if e.label not in state["finished"]]
    report = RotationReport(job_id=job.pk, resumed=resumed)
    report.total = sum(_remaining(e, _cursor_value(e, state["cursors"].get(e.label))) for e in targets)
    Job.objects.filter(pk=job.pk).update(total=job.done + report.total)
    if on_start is not None:
        on_start(report.total)
    for entry in targets:
        _rotate_model(entry, job, state, newest, every_key, batch_size, report, on_batch)
    state["unreadable"] = report.unreadable
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=state)
        job.refresh_from_db()
        audit.record(
            None,
            "keys.rotated",
            job,
            chain=AUDIT_CHAIN,
            fields=[label for e in encrypted_models() for label in e.field_labels],
        )
    _log.info(
        "keys.rotated",
        job_id=job.pk,
        resumed=resumed,
        rotated=report.rotated,
        already_current=report.already_current,
        unreadable=len(report.unreadable),
    )
    return report


def _cursor_value(entry: EncryptedModel, stored: Any) -> Any:
    return None if stored is None else entry.model._meta.pk.to_python(stored)


def _rotate_model(
    entry: EncryptedModel,
    job: Job,
    state: dict[str, Any],
    newest: Fernet,
    every_key: Any,
    batch_size: int,
    report: RotationReport,
    on_batch: OnBatch | None,
) -> None:
    manager = entry.model._base_manager
    names = [f.attname for f in entry.fields]
    annotations = {f"tg_raw_{i}": _raw(name) for i, name in enumerate(names)}
    cursor = _cursor_value(entry, state["cursors"].get(entry.label))
    while True:
        queryset = manager.order_by("pk").annotate(**annotations)
        if cursor is not None:
            queryset = queryset.filter(pk__gt=cursor)
        rows = list(queryset.values_list("pk", *annotations)[:batch_size])
        if not rows:
            break
        changes: list[tuple[Any, str, str, str]] = []
        for pk, *tokens in rows:
            for name, token in zip(names, tokens, strict=True):
                if not token:
                    continue
                try:
                    newest.decrypt(token.encode())
                    state["already_current"] += 1
                    report.already_current += 1
                    continue
                except InvalidToken:
                    pass
                try:
                    changes.append((pk, name, token, every_key.rotate(token.encode()).decode()))
                except InvalidToken:
                    report.unreadable.append(f"{entry.label}#{pk}.{name}")
        cursor = rows[-1][0]
        with transaction.atomic():
            for pk, name, old, new in changes:
                # Only if the value is still the one read: a concurrent save already used the newest key.
                manager.filter(pk=pk).filter(Exact(_raw(name), old)).update(
                    **{name: models.Value(new, output_field=models.TextField())}
                )
            state["rotated"] += len(changes)
            report.rotated += len(changes)
            state["cursors"][entry.label] = cursor if isinstance(cursor, int) else str(cursor)
            Job.objects.filter(pk=job.pk).update(result=state, done=models.F("done") + len(rows))
        report.rows_seen += len(rows)
        if on_batch is not None:
            on_batch(entry.label, len(rows))
    state["finished"].append(entry.label)
    Job.objects.filter(pk=job.pk).update(result=state)
