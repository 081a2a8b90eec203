"""Matching runs, the ranked lists submitted for them, and their stored results.

A run is created as a *draft* with a deadline for ranked lists: until then candidates rank the
opportunities they would take and hosts rank the invited applicants for each opportunity. When an
officer starts it, a background job builds the preferences (a submitted list where there is one,
else the fit score), allocates with a fixed seed and stores one :class:`MatchResult` per
application and, per opportunity, the ranked candidates with the reasons (:class:`ShortlistEntry`).

Two applicants of the same run may declare a dual-career :class:`Couple` (one proposes, the other
confirms) and submit one joint ranked list of pairs of opportunities; the run then places both
members together, as one of their pairs, or neither.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentgate.matching.reasons import render_reasons


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("collecting ranked lists")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class MatchingRun(models.Model):
    """One allocation of a programme's invited applications to the open opportunities."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="matching_runs")
    selection_round = models.ForeignKey(
        "assessment.SelectionRound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matching_runs",
        help_text=_("When set, only the applications this round invited take part."),
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT, db_index=True)
    preferences_deadline = models.DateTimeField(
        _("deadline for ranked lists"), help_text=_("Ranked lists are accepted until this moment.")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey("common.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seed = models.PositiveIntegerField(
        default=0, help_text=_("Seeds the tie-breaking lottery: same data, same seed, same result.")
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stable = models.BooleanField(null=True, blank=True, help_text=_("The checker's verdict on the result."))
    stats = models.JSONField(default=dict, blank=True)
    certificate = models.JSONField(default=dict, blank=True, help_text=_("Summary of the stability certificate."))
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"matching run {self.pk} ({self.status})"


class CandidatePreference(models.Model):
    """An applicant's ranked list of opportunity ids for one run, best first."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="candidate_preferences")
    application = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    ranking = models.JSONField(default=list, help_text=_("Opportunity ids, best first."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "application"]
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="candidate_preference_once_per_run")]

    def __str__(self) -> str:
        return f"ranked list of application {self.application_id} for run {self.run_id}"


class HostPreference(models.Model):
    """A host's ranked list of application ids for one of its opportunities in one run, best first."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="host_preferences")
    opportunity = models.ForeignKey("hosts.Opportunity", on_delete=models.CASCADE, related_name="+")
    ranking = models.JSONField(default=list, help_text=_("Application ids, best first."))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "opportunity"]
        constraints = [models.UniqueConstraint(fields=["run", "opportunity"], name="host_preference_once_per_run")]

    def __str__(self) -> str:
        return f"ranked list of opportunity {self.opportunity_id} for run {self.run_id}"


class CoupleStatus(models.TextChoices):
    PROPOSED = "proposed", _("waiting for the partner to confirm")
    CONFIRMED = "confirmed", _("confirmed by both")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Couple(models.Model):
    """A dual-career couple of two applicants in one run, and their joint ranked list of pairs of opportunities.

    ``ranking`` holds ``[first's opportunity id or null, second's opportunity id or null]`` pairs,
    best first (``first`` is the applicant who proposed). Only a confirmed couple is matched as
    one; a proposed or withdrawn one leaves both members ranking on their own.
    """

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="couples")
    first = models.ForeignKey(
        "programmes.Application",
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The applicant who proposed the couple."),
    )
    second = models.ForeignKey(
        "programmes.Application",
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The partner, who confirms."),
    )
    status = models.CharField(max_length=10, choices=CoupleStatus.choices, default=CoupleStatus.PROPOSED)
    ranking = models.JSONField(
        default=list, blank=True, help_text=_("Pairs [first's opportunity id or null, second's or null], best first.")
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    ranking_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ranking_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(first=models.F("second")), name="couple_two_applicants"),
            # An applicant is in at most one live (proposed or confirmed) couple per run, on either side;
            # the service checks both sides together, these stop a race from writing two.
            models.UniqueConstraint(
                fields=["run", "first"],
                condition=~models.Q(status="withdrawn"),
                name="couple_first_once_per_run",
            ),
            models.UniqueConstraint(
                fields=["run", "second"],
                condition=~models.Q(status="withdrawn"),
                name="couple_second_once_per_run",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"couple {self.pk} of run {self.run_id}: applications {self.first_id} and {self.second_id} ({self.status})"
        )

    def member_ids(self) -> tuple[int, int]:
        return (self.first_id, self.second_id)


class PreferenceSource(models.TextChoices):
    SUBMITTED = "submitted", _("submitted ranked list")
    FIT = "fit", _("fit score")


class MatchResult(models.Model):
    """Where one application was placed by a run (``opportunity`` empty: unplaced), with the fit and its reasons."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(
        "hosts.Opportunity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    choice_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("1 = the candidate's first choice; empty when unplaced.")
    )
    fit_score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # fit reasons as {"code", "params"}, worded when shown
    preference_source = models.CharField(max_length=10, choices=PreferenceSource.choices)
    couple = models.ForeignKey(
        Couple,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set when the application was matched as a member of a couple (placed together or neither)."),
    )

    class Meta:
        ordering = ["run", "application"]
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="match_result_once_per_run")]

    def __str__(self) -> str:
        return f"run {self.run_id}: application {self.application_id} -> {self.opportunity_id}"

    @property
    def reason_texts(self) -> list[str]:
        """The stored reasons (codes and parameters) worded in the active language."""
        return render_reasons(self.reasons)


class ShortlistEntry(models.Model):
    """One candidate in an opportunity's ranking as the run used it (the host's list or the fit order), with reasons."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="shortlist")
    opportunity = models.ForeignKey("hosts.Opportunity", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("programmes.Application", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    fit_score = models.FloatField()
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list, blank=True)  # fit reasons as {"code", "params"}, worded when shown
    placed = models.BooleanField(default=False)
    preference_source = models.CharField(max_length=10, choices=PreferenceSource.choices)

    class Meta:
        ordering = ["run", "opportunity", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "opportunity", "application"], name="shortlist_once_per_run")
        ]

    def __str__(self) -> str:
        return f"run {self.run_id}: opportunity {self.opportunity_id} #{self.rank} application {self.application_id}"

    @property
    def reason_texts(self) -> list[str]:
        """The stored reasons (codes and parameters) worded in the active language."""
        return render_reasons(self.reasons)
