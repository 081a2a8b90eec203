"""Records of the privacy app: legal holds that keep a person's records, erasure requests and receipts,
and the runs of the retention job.

Every row refers to people and records by id (and the profile's external id), never by name or
contact detail, so the receipt of an erasure holds nothing that the erasure removed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """An order (a court, an investigation, a pending appeal) to keep one person's records: while it is in
    force, neither erasure nor retention deletes them."""

    profile = models.ForeignKey(
        "candidates.Profile", on_delete=models.PROTECT, related_name="legal_holds", verbose_name=_("profile")
    )
    reason = models.CharField(_("reason"), max_length=500)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "pk"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="privacy_legal_hold_reason_given"),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=models.F("placed_at")),
                name="privacy_legal_hold_released_after_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} on profile {self.profile_id}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    REFUSED = "refused", _("refused")
    DONE = "done", _("done")


class ErasureRequest(models.Model):
    """A candidate's request to be erased (from the portal or the API), which an officer executes or refuses."""

    profile = models.ForeignKey(
        "candidates.Profile", on_delete=models.CASCADE, related_name="erasure_requests", verbose_name=_("profile")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("refusal reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="requested"), name="privacy_one_open_erasure_request"
            ),
        ]

    def __str__(self) -> str:
        return f"erasure request {self.pk} ({self.status})"


class ErasureReceipt(models.Model):
    """Proof that one person was erased: who did it, when, and how many records and files were touched.
    Holds ids and counts only."""

    profile_id_erased = models.BigIntegerField(_("profile id"))
    external_id = models.CharField(_("external id"), max_length=64, db_index=True)
    user_id_erased = models.BigIntegerField(_("user id"), null=True, blank=True)
    request = models.OneToOneField(
        ErasureRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="receipt"
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=40)
    counts = models.JSONField(_("records touched"), default=dict, blank=True)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)

    class Meta:
        ordering = ["-erased_at", "pk"]
        verbose_name = _("erasure receipt")
        verbose_name_plural = _("erasure receipts")

    def __str__(self) -> str:
        return f"erasure of {self.external_id}"


class RetentionRun(models.Model):
    """One run of the retention job: a dry run (report only) or an applied one, with what it found."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    dry_run = models.BooleanField(_("dry run"), default=True)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"retention run {self.pk} ({'dry' if self.dry_run else 'applied'})"
