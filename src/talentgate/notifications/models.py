"""What a person was told (in-app notifications and their e-mail state) and which e-mails they turned off."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    OPTED_OUT = "opted_out", _("not sent: the person turned these e-mails off")
    NO_ADDRESS = "no_address", _("not sent: no active account with an e-mail address")
    FAILED = "failed", _("sending failed")


class Notification(models.Model):
    """One thing a person is told about, shown in the portal and (unless they turned it off) e-mailed.

    ``context`` holds plain values (ids, state codes, names, ISO dates), never finished sentences:
    the text is rendered from the kind's templates in the reader's language each time it is shown,
    and in the recipient's language when it is e-mailed.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("Where to look, in the portal."))
    essential = models.BooleanField(
        _("essential"), default=False, help_text=_("Essential e-mails cannot be turned off.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING, db_index=True
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # The portal's list and header count: one person's notifications, unread first, newest first.
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.pk})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailOptOut(models.Model):
    """A person turned off e-mails of one non-essential kind (from the preferences page, the API or an e-mail's link)."""

    class Source(models.TextChoices):
        PREFERENCES = "preferences", _("preferences")
        LINK = "link", _("unsubscribe link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=60)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.PREFERENCES)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_one_per_user_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} off {self.kind}"
