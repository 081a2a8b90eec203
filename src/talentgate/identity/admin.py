"""Back-office admin of suspected duplicates and merges: read-only (decisions go through the services, audited)."""

from __future__ import annotations

from django.contrib import admin

from talentgate.common.admin import ReadOnlyAdmin
from talentgate.identity import models


@admin.register(models.DuplicateSuspicion)
class DuplicateSuspicionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "profile_low", "profile_high", "strength", "score", "status", "detected_at"]
    list_filter = ["status", "strength"]
    search_fields = ["profile_low__external_id", "profile_high__external_id"]


@admin.register(models.ProfileMerge)
class ProfileMergeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "merged", "survivor", "account_outcome", "merged_by", "merged_at"]
    list_filter = ["account_outcome"]
    search_fields = ["merged__external_id", "survivor__external_id"]
