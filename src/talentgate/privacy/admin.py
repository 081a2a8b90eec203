"""Admin pages of privacy: legal holds, erasure requests, erasure receipts and retention runs (read mostly)."""

from __future__ import annotations

from django.contrib import admin

from talentgate.privacy.models import ErasureReceipt, ErasureRequest, LegalHold, RetentionRun


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ("pk", "profile", "reason", "placed_at", "released_at")
    search_fields = ("profile__external_id", "reason")
    list_filter = ("released_at",)
    raw_id_fields = ("profile", "placed_by", "released_by")


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "profile", "status", "requested_at", "decided_at")
    search_fields = ("profile__external_id", "refusal_reason")
    list_filter = ("status",)
    raw_id_fields = ("profile", "requested_by", "decided_by")


@admin.register(ErasureReceipt)
class ErasureReceiptAdmin(admin.ModelAdmin):
    list_display = ("pk", "external_id", "method", "files_removed", "erased_at")
    search_fields = ("external_id",)
    list_filter = ("method",)
    raw_id_fields = ("request", "erased_by")


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "started_at", "dry_run")
    search_fields = ("pk",)
    list_filter = ("dry_run",)
