"""Competition records: calls with rubrics, panels, submissions, declarations, conflicts, assignments, reviews, awards.

Fields and constraints only; every write goes through :mod:`talentgate.competitions.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talentgate.cases.models import CaseKind


class CallKind(models.TextChoices):
    COMPETITION = "competition", _("competition")
    GRANT = "grant", _("grant")
    FELLOWSHIP = "fellowship", _("fellowship")


class AwardOutcome(models.TextChoices):
    RELOCATION_CASE = "relocation_case", _("relocation case")
    MOBILITY_SLOT = "mobility_slot", _("mobility slot")


class Call(models.Model):
    """A call for submissions: dates, eligibility policy, review rules, rubric (criteria) and awards."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CallKind.choices, default=CallKind.COMPETITION)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    review_deadline = models.DateField(_("review deadline"))
    policy_id = models.CharField(_("eligibility policy id"), max_length=60)
    policy_version = models.CharField(_("eligibility policy version"), max_length=40)
    reviews_per_submission = models.PositiveSmallIntegerField(_("reviews per submission"), default=2)
    same_country_conflict = models.BooleanField(
        _("same country is a conflict"),
        default=False,
        help_text=_("A reviewer never reviews a submission from their own country."),
    )
    coauthorship_years = models.PositiveSmallIntegerField(
        _("co-authorship window (years)"), default=3, help_text=_("Co-authorship within this many years is a conflict.")
    )
    award_count = models.PositiveSmallIntegerField(_("number of awards"), default=1)
    award_outcome = models.CharField(
        _("award outcome"), max_length=20, choices=AwardOutcome.choices, default=AwardOutcome.RELOCATION_CASE
    )
    case_kind = models.CharField(
        _("case kind of an award"), max_length=20, choices=CaseKind.choices, default=CaseKind.RESEARCHER
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")) & Q(closes_on__lte=F("review_deadline")),
                name="call_dates_in_order",
                violation_error_message=_("The call must open before it closes, and close before the review deadline."),
            ),
            models.CheckConstraint(condition=Q(reviews_per_submission__gte=1), name="call_reviews_at_least_one"),
            models.CheckConstraint(condition=Q(award_count__gte=1), name="call_awards_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One rubric criterion: its weight in the weighted mean and the score range a reviewer may give."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)

    class Meta:
        ordering = ["call", "position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="criterion_code_unique_in_call"),
            models.UniqueConstraint(fields=["call", "position"], name="criterion_position_unique_in_call"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(min_score__lt=F("max_score")), name="criterion_range_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.code}"


class PanelMember(models.Model):
    """A reviewer on a call's panel, with the affiliation conflict detection compares."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    institution = models.CharField(_("institution"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2."))

    class Meta:
        ordering = ["call", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "reviewer"], name="panel_member_once_per_call")]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.reviewer_id}"


class Submission(models.Model):
    """A candidate's entry to a call (one per candidate per call) with the rules engine's eligibility verdict."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"))
    institution = models.CharField(_("institution"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2."))
    attachment = models.FileField(_("attachment"), upload_to="competitions/%Y/", blank=True)
    eligibility_inputs = models.JSONField(_("eligibility inputs"), default=dict)
    eligible = models.BooleanField(_("eligible"), default=False)
    eligibility_explanation = models.JSONField(_("eligibility explanation"), default=dict)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["call", "submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "candidate"], name="submission_once_per_candidate")]

    def __str__(self) -> str:
        return self.title


class DeclarationKind(models.TextChoices):
    CONFLICT = "conflict", _("conflict of interest")
    COAUTHORSHIP = "coauthorship", _("co-authorship")


class Declaration(models.Model):
    """A reviewer's declaration about a person (named by e-mail, so nothing of unassigned submissions is shown)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="declarations")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=DeclarationKind.choices)
    person_email = models.EmailField(_("person's e-mail"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["call", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DeclarationKind.COAUTHORSHIP) | Q(year__isnull=False),
                name="coauthorship_declaration_has_year",
                violation_error_message=_("A co-authorship needs its year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.person_email}"


class ConflictOfInterest(models.Model):
    """A detected conflict between a panel member and a submission, with every reason found."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    reasons = models.JSONField(_("reasons"), default=list, help_text=_("[{code, detail}]"))
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True)

    class Meta:
        ordering = ["call", "submission", "reviewer"]
        constraints = [models.UniqueConstraint(fields=["reviewer", "submission"], name="conflict_once_per_pair")]

    def __str__(self) -> str:
        return f"{self.reviewer_id}x{self.submission_id}"


class AssignmentRun(models.Model):
    """One assignment run by an officer: its result and the explanation the core gave."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    feasible = models.BooleanField(_("feasible"))
    max_load = models.PositiveIntegerField(_("largest load"))
    lower_bound = models.PositiveIntegerField(_("average-load bound"))
    summary = models.TextField(_("summary"))
    uncovered = models.JSONField(_("uncovered submissions"), default=list)
    exclusions = models.JSONField(_("excluded pairs"), default=list)

    class Meta:
        ordering = ["call", "-run_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} of call {self.call_id}"


class ReviewAssignment(models.Model):
    """A reviewer assigned to a submission by a run, with why."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="assignments")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["call", "submission", "reviewer"]
        constraints = [models.UniqueConstraint(fields=["reviewer", "submission"], name="assignment_once_per_pair")]

    def __str__(self) -> str:
        return f"{self.reviewer_id}->{self.submission_id}"


class Review(models.Model):
    """A reviewer's rubric scores ``{criterion code: score}`` for an assigned submission."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        ordering = ["assignment"]

    def __str__(self) -> str:
        return f"review of {self.assignment_id}"


class Award(models.Model):
    """An award made by an officer: it opens a relocation case or records a mobility slot."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="awards")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="award")
    rank = models.PositiveIntegerField(_("rank"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=AwardOutcome.choices)
    case_id = models.PositiveBigIntegerField(_("relocation case"), null=True, blank=True)
    mobility_slot = models.CharField(_("mobility slot"), max_length=120, blank=True)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField(_("awarded"), auto_now_add=True)

    class Meta:
        ordering = ["call", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case_id__isnull=False) | ~Q(mobility_slot=""),
                name="award_has_outcome",
                violation_error_message=_("An award opens a case or records a mobility slot."),
            )
        ]

    def __str__(self) -> str:
        return f"award {self.rank} of call {self.call_id}"
