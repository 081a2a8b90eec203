"""Policy versions (with their draft → reviewed → published governance), which policy a programme assesses
with, stored assessments of applications, and selection rounds with their invitations.

State machines are django-fsm-2 fields (``protected=True``) moved only by ``assessment.services``
and ``assessment.rounds`` through ``common.workflow.run_transition``, whose named guards say who
may act and what must be true (``assessment.guards``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from talentgate.assessment import guards


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class PolicyVersion(ConcurrentTransitionMixin, models.Model):
    """One version of an assessment policy as YAML text, with its governance.

    A version is written by an author (a draft), reviewed by another person, and published by a
    supervisor who is neither its author nor its reviewer, after an impact preview on the current
    pool. Shipped versions (``source`` starts with ``shipped:``) are loaded as published on migrate.
    Only published versions assess anyone; the text is never edited after the draft stage.
    """

    policy_id = models.CharField(_("policy id"), max_length=60, db_index=True)
    version = models.CharField(_("version"), max_length=40)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    yaml_text = models.TextField(_("policy (YAML)"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Where the text came from: shipped:<file> or uploaded.")
    )
    status = FSMField(default=PolicyStatus.DRAFT, choices=PolicyStatus.choices, protected=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    impact = models.JSONField(default=dict, blank=True, help_text=_("The last impact preview on the pool."))
    impact_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_id", "version"],
                name="policy_version_unique",
                violation_error_code="unique",
                violation_error_message="This policy already has this version.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.version} ({self.status})"

    @property
    def is_shipped(self) -> bool:
        return self.source.startswith("shipped:")

    @transition(field=status, source=PolicyStatus.DRAFT, target=PolicyStatus.REVIEWED, permission=guards.BY_REVIEWER)
    def review(self) -> None:
        self.reviewed_at = timezone.now()

    @transition(
        field=status,
        source=PolicyStatus.REVIEWED,
        target=PolicyStatus.PUBLISHED,
        permission=guards.BY_PUBLISHER,
        conditions=[guards.IMPACT_PREVIEWED, guards.NO_PUBLISHED_OVERLAP],
    )
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(
        field=status, source=PolicyStatus.PUBLISHED, target=PolicyStatus.RETIRED, permission=guards.BY_SUPERVISOR
    )
    def retire(self) -> None:
        pass


class ProgrammePolicy(models.Model):
    """The policy a programme assesses its applications with (the version in force on the assessment date)."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="assessment_policy")
    policy_id = models.CharField(_("policy id"), max_length=60)

    class Meta:
        verbose_name_plural = "programme policies"

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.policy_id}"


class Assessment(models.Model):
    """One application assessed under one policy version on a date: the numbers, the rows that gave them and
    the reasons in English and Russian, so the result reads the same whenever it is shown.

    Unique per (application, policy, version, inputs hash): assessing the same inputs again finds
    the stored row instead of adding one.
    """

    application = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="assessments")
    policy_id = models.CharField(max_length=60, db_index=True)
    version = models.CharField(max_length=40)
    on = models.DateField(_("assessment date"))
    eligible = models.BooleanField()
    total = models.FloatField(db_index=True)
    groups = models.JSONField(default=dict)
    categories = models.JSONField(default=list)
    gates = models.JSONField(default=list, help_text="[{gate, passed, reason: {en, ru}}]")
    factors = models.JSONField(default=list, help_text="[{factor, group, points, rule, reason: {en, ru}}]")
    missing = models.JSONField(default=list, help_text="Profile paths to fill in.")
    notes = models.JSONField(
        default=list, blank=True, help_text="How inputs were derived, e.g. the exchange-rate table and year used."
    )
    inputs_hash = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "policy_id", "version", "inputs_hash"],
                name="assessment_unique_inputs",
                violation_error_code="unique",
                violation_error_message="This application is already assessed on these inputs under this version.",
            )
        ]
        indexes = [models.Index(fields=["policy_id", "version", "application"], name="assessment_policy_app")]

    def __str__(self) -> str:
        return f"application {self.application_id}: {self.policy_id} {self.version} = {self.total:g}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PREVIEWED = "previewed", _("previewed")
    APPROVED = "approved", _("approved")
    RUN = "run", _("run")


class SelectionRound(ConcurrentTransitionMixin, models.Model):
    """A draw, as in Express Entry: the best-ranked eligible applications of a programme are invited.

    Either ``invitations`` (how many) or ``cutoff`` (the lowest total invited) is set. Ties are
    broken by submission time (earlier first). An officer defines and previews it; a supervisor
    other than the officer who defined it approves it; then it runs, once.
    """

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="selection_rounds")
    name = models.CharField(_("name"), max_length=120)
    policy_id = models.CharField(_("policy id"), max_length=60)
    version = models.CharField(_("version"), max_length=40)
    category = models.CharField(
        _("category"), max_length=60, blank=True, help_text=_("Only candidates in this category; empty: all eligible.")
    )
    invitations = models.PositiveIntegerField(_("number of invitations"), null=True, blank=True)
    cutoff = models.FloatField(_("cutoff score"), null=True, blank=True)
    status = FSMField(default=RoundStatus.DRAFT, choices=RoundStatus.choices, protected=True, db_index=True)
    defined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    preview = models.JSONField(default=dict, blank=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    run_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text=_("The ranked pool and the outcome of the run."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(invitations__isnull=False) & Q(cutoff__isnull=True))
                | (Q(invitations__isnull=True) & Q(cutoff__isnull=False)),
                name="round_invitations_xor_cutoff",
                violation_error_code="invitations_or_cutoff",
                violation_error_message="Give either a number of invitations or a cutoff score, not both.",
            ),
            models.CheckConstraint(
                condition=Q(invitations__isnull=True) | Q(invitations__gte=1),
                name="round_invitations_positive",
                violation_error_code="min_value",
                violation_error_message="A round invites at least one candidate.",
            ),
        ]

    def __str__(self) -> str:
        return f"round {self.pk} {self.name} ({self.status})"

    @transition(
        field=status,
        source=[RoundStatus.DRAFT, RoundStatus.PREVIEWED],
        target=RoundStatus.PREVIEWED,
        permission=guards.BY_ROUND_OFFICER,
    )
    def mark_previewed(self) -> None:
        self.previewed_at = timezone.now()

    @transition(field=status, source=RoundStatus.PREVIEWED, target=RoundStatus.APPROVED, permission=guards.BY_APPROVER)
    def approve(self) -> None:
        self.approved_at = timezone.now()

    @transition(field=status, source=RoundStatus.APPROVED, target=RoundStatus.RUN, permission=guards.BY_ROUND_OFFICER)
    def mark_run(self) -> None:
        self.run_at = timezone.now()


class RoundInvitation(models.Model):
    """One application invited by one round: written with the invitation itself, so no run invites it twice."""

    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="invitation_rows")
    application = models.ForeignKey(
        "programmes.Application", on_delete=models.PROTECT, related_name="round_invitations"
    )
    rank = models.PositiveIntegerField()
    total = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"],
                name="round_invitation_once",
                violation_error_code="unique",
                violation_error_message="This round already invited this application.",
            ),
            models.UniqueConstraint(
                fields=["application"],
                name="round_invitation_one_round",
                violation_error_code="unique",
                violation_error_message="This application was already invited by a round.",
            ),
        ]

    def __str__(self) -> str:
        return f"round {self.round_id}: application {self.application_id} (rank {self.rank})"
