"""Tables of the authority hand-off: one submission per hand-off of a case, its delivery attempts, and
the verified decision callbacks (whose nonces guard against replay).

Rows hold ids, states and references, never the case's personal data: the package sent to the
authority is built from the case when it is pushed or pulled (``services.build_package``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "waiting for the authority")
    DELIVERED = "delivered", pgettext_lazy("delivery status", "received by the authority")
    FAILED = "failed", pgettext_lazy("delivery status", "push gave up (the authority may still pull it)")


class Channel(models.TextChoices):
    PUSH = "push", _("push")
    PULL = "pull", _("pull")
    CALLBACK = "callback", _("decision callback")


class AuthorityDecision(models.TextChoices):
    GRANTED = "granted", pgettext_lazy("authority decision", "permit granted")
    REFUSED = "refused", pgettext_lazy("authority decision", "permit refused")


class Submission(models.Model):
    """One hand-off of a case to the authority, made in the same transaction as the case's submission.

    ``idempotency_key`` goes with every push of it (as the Idempotency-Key header) and comes back
    in the decision callback, so however often it is retried the authority holds one submission,
    and a decision always names exactly one. A case has at most one undecided submission.
    """

    case = models.ForeignKey(
        "cases.RelocationCase", on_delete=models.PROTECT, related_name="authority_submissions", verbose_name=_("case")
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True, editable=False)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    delivered_via = models.CharField(_("delivered via"), max_length=10, choices=Channel.choices, blank=True)
    attempts = models.PositiveIntegerField(_("push attempts"), default=0)
    # An officer's "send again" starts a fresh round of attempts; attempt numbers keep counting.
    attempts_before_round = models.PositiveIntegerField(_("attempts before this round"), default=0)
    next_attempt_at = models.DateTimeField(_("next push attempt"), null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    authority_reference = models.CharField(_("authority's reference"), max_length=64, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=AuthorityDecision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("authority submission")
        verbose_name_plural = _("authority submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision=""),
                name="authority_submission_one_open_per_case",
                violation_error_code="unique",
                violation_error_message=_("This case already has a submission waiting for the authority's decision."),
            ),
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True) | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="authority_submission_decided_at_with_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.idempotency_key[:8]} of case {self.case_id} ({self.delivery})"

    @property
    def is_open(self) -> bool:
        """Still waiting for the authority's decision."""
        return not self.decision


class DeliveryAttempt(models.Model):
    """One push of a submission: when, how long, what came back, and when the next is due (if any)."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True, help_text=_("Empty: no further attempt."))

    class Meta:
        ordering = ["submission_id", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="authority_attempt_number_unique"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.submission_id}: {self.outcome}"


class CallbackReceipt(models.Model):
    """A decision callback whose signature held. Its nonce is unique, so the same request is never taken twice."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("decision applied")
        DUPLICATE = "duplicate", _("duplicate of a decision already applied")
        REFUSED = "refused", _("refused")

    nonce = models.CharField(_("nonce"), max_length=64, unique=True, editable=False)
    signed_at = models.DateTimeField(_("signed at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="callback_receipts"
    )
    decision = models.CharField(_("decision"), max_length=10, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("callback receipt")
        verbose_name_plural = _("callback receipts")

    def __str__(self) -> str:
        return f"callback {self.nonce[:8]} ({self.outcome})"
