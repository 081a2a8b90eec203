"""Programmes, priority sectors and their yearly targets, and applications with their pre-offer lifecycle.

The application's status is a django-fsm-2 state machine (``protected=True``: it only
moves through the transitions below). Who may run a transition and what must be true
are declared here as named guards (``programmes.guards``); ``programmes.services`` runs
them, writes the :class:`ApplicationTransition` history row and the audit entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from talentgate.programmes import guards

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*$", "Use lower-case letters, digits, '.', '_' and '-' only.", code="code_format"
)


class Programme(models.Model):
    """A talent-attraction programme (the demo's national programme, Express Entry, a user office...)."""

    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text=_("Only active programmes accept new applications."))
    four_eyes = models.BooleanField(
        default=False,
        help_text=_("When set, the person who invites a candidate must not be the one who marked them assessed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name_en}"


class PrioritySector(models.Model):
    """A priority sector (a "technological key"), optionally under a parent sector."""

    code = models.CharField(max_length=60, unique=True, validators=[code_validator])
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", help_text=_("Broader sector.")
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name_en}"

    def ancestors(self) -> list[PrioritySector]:
        """Broader sectors from the parent up to the root (cycles are refused on write)."""
        chain: list[PrioritySector] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def clean(self) -> None:
        if self.pk is None or self.parent_id is None:
            return
        if self.parent_id == self.pk or any(a.pk == self.pk for a in self.ancestors()):
            message = "A sector cannot sit under itself or its own sub-sectors."
            raise ValidationError({"parent": ValidationError(message, code="cycle")})


class SectorTarget(models.Model):
    """How many specialists a programme aims to bring into a sector in a year, optionally for one region."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    sector = models.ForeignKey(PrioritySector, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000)])
    region = models.CharField(
        max_length=120, blank=True, help_text=_("Destination region this target is for; empty: the whole country.")
    )
    target_count = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["programme", "year", "sector", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sector", "year", "region"],
                name="sector_target_unique",
                violation_error_code="unique",
                violation_error_message="This programme already has a target for this sector, year and region.",
            ),
            models.CheckConstraint(
                condition=Q(target_count__gte=1),
                name="sector_target_positive",
                violation_error_code="min_value",
                violation_error_message="The target must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        where = f" / {self.region}" if self.region else ""
        return f"{self.programme.code} {self.sector.code} {self.year}{where}: {self.target_count}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    SCREENING = "screening", _("screening")
    ASSESSED = "assessed", _("assessed")
    INVITED = "invited", _("invited")
    MATCHED = "matched", _("matched")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")


S = ApplicationStatus
# An application is open until it is withdrawn or rejected; both end the lifecycle.
OPEN_STATES = [S.DRAFT, S.SUBMITTED, S.SCREENING, S.ASSESSED, S.INVITED, S.MATCHED]
CLOSED_STATES = [S.WITHDRAWN, S.REJECTED]


class Application(ConcurrentTransitionMixin, models.Model):
    """One candidate profile applying to one programme; its status moves only through the transitions below.

    ``ConcurrentTransitionMixin`` makes a save fail when the status changed in the
    database since the row was read, so two officers cannot both move one application.
    """

    profile = models.ForeignKey("candidates.Profile", on_delete=models.PROTECT, related_name="applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    sector_preference = models.ForeignKey(
        PrioritySector, null=True, blank=True, on_delete=models.PROTECT, related_name="preferred_by"
    )
    status = FSMField(default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        # The officers' queues filter on a status and page through it by submission date.
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_status_submitted")]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "programme"],
                condition=~Q(status=S.WITHDRAWN),
                name="application_one_per_profile_programme",
                violation_error_code="unique",
                violation_error_message="This profile already has an application to this programme.",
            )
        ]

    def __str__(self) -> str:
        return f"application {self.pk} ({self.status})"

    def _moved(self) -> None:
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=guards.BY_OWNER,
        conditions=[guards.PROGRAMME_ACTIVE, *guards.PROFILE_READY],
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()
        self._moved()

    @transition(field=status, source=S.SUBMITTED, target=S.SCREENING, permission=guards.BY_OFFICER)
    def start_screening(self) -> None:
        self._moved()

    @transition(
        field=status,
        source=S.SCREENING,
        target=S.ASSESSED,
        permission=guards.BY_OFFICER,
        conditions=[guards.DOCUMENTS_SCREENED],
    )
    def mark_assessed(self) -> None:
        self._moved()

    @transition(field=status, source=S.ASSESSED, target=S.INVITED, permission=guards.BY_OFFICER_OR_SUPERVISOR_FOUR_EYES)
    def invite(self) -> None:
        self._moved()

    @transition(field=status, source=S.INVITED, target=S.MATCHED, permission=guards.BY_OFFICER_OR_SUPERVISOR)
    def mark_matched(self) -> None:
        self._moved()

    @transition(field=status, source=OPEN_STATES, target=S.WITHDRAWN, permission=guards.BY_OWNER)
    def withdraw(self) -> None:
        self._moved()

    @transition(
        field=status,
        source=[s for s in OPEN_STATES if s != S.DRAFT],
        target=S.REJECTED,
        permission=guards.BY_OFFICER,
    )
    def reject(self) -> None:
        self._moved()


class ApplicationTransition(models.Model):
    """One move of one application: the history the funnel and time-in-stage analytics read."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, choices=S.choices)
    to_state = models.CharField(max_length=20, choices=S.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]
        indexes = [models.Index(fields=["to_state", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} -> {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # History is evidence: rows are written once and never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Application history rows are never changed.")
        super().save(*args, **kwargs)
