"""Read-only admin for the audit trail and jobs: evidence is looked at, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentgate.common import audit
from talentgate.common.models import AuditChainHead, AuditEntry, Job, ScheduledTask


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry (field names only) for every add or change saved in the admin.

    Subclasses say which audit chain an object's entries go on.
    """

    def audit_chain(self, obj: Any) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say which audit chain its objects use")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.admin_{'changed' if change else 'added'}"
        audit.record(request.user, action, obj, chain=self.audit_chain(obj), fields=list(form.changed_data))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["chain", "seq", "at", "actor_id", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["chain", "object_id", "action"]


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["chain", "seq", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["chain"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "done", "total", "started_by", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["kind", "task_result_id"]


@admin.register(ScheduledTask)
class ScheduledTaskAdmin(ReadOnlyAdmin):
    """Read-only: only the scheduler moves a periodic task's last slot (``talentgate schedule list`` shows it too)."""

    list_display = ["task_path", "last_slot", "last_enqueued_at"]
    list_filter = ["last_enqueued_at"]
    search_fields = ["task_path"]
