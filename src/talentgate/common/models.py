"""The shared kit's tables: the audit trail (hash chains and their signed heads) and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One event in one hash chain.

    Entries hold ids, field names and reasons, never personal values, so that erasing a
    person's data never breaks a chain. ``entry_hash`` covers every other column plus
    the previous entry's hash; ``seq`` is contiguous from 1 within a chain.
    """

    chain = models.CharField(max_length=80, help_text="Chain key, e.g. 'case:17' or 'person:42'.")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="User id, or empty for the system.")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    fields = models.JSONField(default=list, blank=True, help_text="Names of the fields written; never their values.")
    reason = models.CharField(max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_chain_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        ordering = ["chain", "seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The latest entry of a chain, signed (HMAC) with a key kept outside the database."""

    chain = models.CharField(max_length=80, unique=True)
    seq = models.PositiveIntegerField()
    head_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.chain} @ {self.seq}"


class Job(models.Model):
    """Progress and result of one background job (the task framework keeps only the raw task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=80)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_result_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def progress(self) -> float:
        """Fraction done, 0.0 to 1.0 (0.0 while the total is unknown)."""
        return self.done / self.total if self.total else 0.0


class ScheduledTask(models.Model):
    """When a periodic task (talentgate.common.schedule) was last enqueued: one row per task path.

    ``last_slot`` is the start of the last slot enqueued; a scheduler claims a slot with one
    conditional UPDATE on this row, so two schedulers never enqueue the same slot twice.
    """

    task_path = models.CharField(max_length=200, unique=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_path"]

    def __str__(self) -> str:
        return f"{self.task_path} (last {self.last_enqueued_at or 'never'})"
