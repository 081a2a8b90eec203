"""Suspected duplicate people and the merges that resolved them.

A suspicion is about one unordered pair of profiles, stored once (``profile_low`` has the smaller id):
detection run again on the same pair refreshes an open suspicion's reasons and score, never adds a
second row, and never reopens a dismissed or merged one. Rows hold ids, rule codes and numbers only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SuspicionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DISMISSED = "dismissed", _("dismissed")
    MERGED = "merged", _("merged")


class SuspicionStrength(models.TextChoices):
    STRONG = "strong", _("strong")
    LIKELY = "likely", _("likely")
    WEAK = "weak", _("weak")


class DuplicateSuspicion(models.Model):
    """Two profiles that may be one person: why (rule codes), how sure (score 0-1), and what an officer decided."""

    profile_low = models.ForeignKey("candidates.Profile", on_delete=models.CASCADE, related_name="+")
    profile_high = models.ForeignKey("candidates.Profile", on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list, help_text="Rule codes met, strongest first (engines.identity.similarity).")
    score = models.FloatField()
    strength = models.CharField(max_length=8, choices=SuspicionStrength.choices, db_index=True)
    name_similarity = models.FloatField(default=0.0, help_text="0-100, names folded across scripts.")
    status = models.CharField(
        max_length=10, choices=SuspicionStatus.choices, default=SuspicionStatus.OPEN, db_index=True
    )
    detected_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-score", "-detected_at", "-pk"]
        verbose_name = _("suspected duplicate")
        verbose_name_plural = _("suspected duplicates")
        constraints = [
            models.UniqueConstraint(fields=["profile_low", "profile_high"], name="identity_suspicion_one_per_pair"),
            models.CheckConstraint(condition=Q(profile_low__lt=F("profile_high")), name="identity_suspicion_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="identity_suspicion_score_range"),
            models.CheckConstraint(
                condition=~Q(status=SuspicionStatus.DISMISSED) | Q(dismissal_reason__gt=""),
                name="identity_suspicion_dismissal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_low_id}~{self.profile_high_id} ({self.strength}, {self.status})"


class ProfileMerge(models.Model):
    """One person (``merged``) merged into another (``survivor``) by an officer; ``moved`` counts the records
    re-pointed by type, ``kept`` those left on the merged profile (linked through ``Profile.merged_into``)."""

    survivor = models.ForeignKey("candidates.Profile", on_delete=models.PROTECT, related_name="merges_received")
    merged = models.OneToOneField("candidates.Profile", on_delete=models.PROTECT, related_name="merge")
    suspicion = models.ForeignKey(
        DuplicateSuspicion, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    account_outcome = models.CharField(
        max_length=24, help_text="none, linked_to_survivor or deactivated (what became of the merged login)."
    )
    moved = models.JSONField(default=dict)
    kept = models.JSONField(default=dict)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("profile merge")
        verbose_name_plural = _("profile merges")
        constraints = [
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="identity_merge_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"
