"""Back-office view of the hand-off: submissions with their attempts and the callbacks received.

Everything here is evidence of what was exchanged with the authority, so it is read-only; a push
is sent again through ``services.retry_submission`` (the API), never by editing a row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentgate.authority.models import CallbackReceipt, DeliveryAttempt, Submission
from talentgate.common.admin import ReadOnlyAdmin


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "outcome", "http_status", "error", "retry_at"]
    readonly_fields = ["number", "started_at", "duration_ms", "outcome", "http_status", "error", "retry_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["idempotency_key", "case", "delivery", "attempts", "next_attempt_at", "decision", "created_at"]
    list_filter = ["delivery", "decision", "delivered_via"]
    search_fields = ["idempotency_key", "authority_reference"]
    raw_id_fields = ["case"]
    inlines = [DeliveryAttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["submission", "number", "started_at", "outcome", "http_status", "duration_ms", "retry_at"]
    list_filter = ["outcome", "http_status"]
    search_fields = ["submission__idempotency_key", "error"]


@admin.register(CallbackReceipt)
class CallbackReceiptAdmin(ReadOnlyAdmin):
    list_display = ["nonce", "received_at", "signed_at", "submission", "decision", "outcome"]
    list_filter = ["outcome", "decision"]
    search_fields = ["nonce", "submission__idempotency_key", "detail"]
