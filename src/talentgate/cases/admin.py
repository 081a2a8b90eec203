"""Back-office admin for relocation cases and their parts.

The stage, the version, the history and decisions are read-only here: a case moves only
through ``cases.services``, which check the guards and write the audit trail. Encrypted
numbers are shown masked; edits saved here are audited on the case's chain.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentgate.cases.models import (
    CaseDocument,
    CaseMessage,
    CaseTransition,
    ChecklistItem,
    ClockPause,
    Decision,
    FamilyMember,
    HostChange,
    InformationRequest,
    Permit,
    ProgrammeCaseSettings,
    Reconsideration,
    ReconsiderationWindow,
    RelocationCase,
    SlaEscalation,
    StageDeadline,
)
from talentgate.common import audit
from talentgate.common.admin import AuditedAdmin, ReadOnlyAdmin


class CaseChained(AuditedAdmin):
    """Admin edits of a case's parts go on that case's audit chain."""

    def audit_chain(self, obj: Any) -> str:
        return audit.chain_for_case(obj.case_id)


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("code", "family_member", "category", "document_kind", "due_before", "required", "completed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryInline(admin.TabularInline):
    model = CaseTransition
    extra = 0
    fields = ("version", "transition", "from_stage", "to_stage", "actor", "entered_at", "left_at", "active_seconds")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RelocationCase)
class RelocationCaseAdmin(AuditedAdmin):
    list_display = ["pk", "profile", "kind", "stage", "organisation", "sector", "origin_country", "stage_entered_at"]
    list_filter = ["stage", "kind", "source", "programme", "sector"]
    search_fields = ["profile__external_id", "organisation__name", "award_reference"]
    readonly_fields = [
        "stage",
        "version",
        "opened_at",
        "stage_entered_at",
        "closed_at",
        "prepared_by",
        "offer",
        "application",
        "profile",
        "source",
    ]
    raw_id_fields = ["programme", "organisation", "sector", "destination_country"]
    inlines = [ChecklistInline, HistoryInline]

    def audit_chain(self, obj: Any) -> str:
        return audit.chain_for_case(obj.pk)


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "version", "transition", "from_stage", "to_stage", "actor", "left_at", "active_seconds"]
    list_filter = ["transition", "to_stage"]
    search_fields = ["case__id", "reason"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "policy_id", "policy_version", "legal_ground", "officer", "decided_at"]
    list_filter = ["kind"]
    search_fields = ["case__id", "policy_id", "legal_ground"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ["case", "code", "family_member", "category", "due_before", "required", "completed_at"]
    list_filter = ["category", "due_before", "required"]
    search_fields = ["case__id", "code"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(CaseChained):
    list_display = ["case", "kind", "family_member", "status", "expires_on", "verified_at"]
    list_filter = ["status", "kind"]
    search_fields = ["case__id", "file_name"]
    # Verification is an officer's audited decision (services.verify_document), not an edit.
    readonly_fields = ["status", "rejection_reason", "verified_by", "verified_at", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["case", "checklist_item", "family_member", "source_document"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(CaseChained):
    list_display = ["case", "relation", "given_names_latin", "family_name_latin", "masked_identity_number"]
    list_filter = ["relation"]
    search_fields = ["case__id", "given_names_latin", "family_name_latin"]
    # The number is revealed only through the audited reveal action, never in a form.
    exclude = ["identity_number"]
    raw_id_fields = ["case", "source"]

    @admin.display(description=_("identity number"))
    def masked_identity_number(self, obj: FamilyMember) -> str:
        return obj.identity_number_masked


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ["case", "family_member", "permit_type", "masked_number", "valid_from", "valid_until", "status"]
    list_filter = ["permit_type", "status"]
    search_fields = ["case__id"]
    exclude = ["number"]

    @admin.display(description=_("number"))
    def masked_number(self, obj: Permit) -> str:
        return obj.number_masked


@admin.register(ClockPause)
class ClockPauseAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "started_at", "ended_at", "reason"]
    list_filter = ["stage"]
    search_fields = ["case__id", "reason"]


@admin.register(HostChange)
class HostChangeAdmin(ReadOnlyAdmin):
    list_display = ["case", "from_organisation", "to_organisation", "effective_on", "recorded_at"]
    list_filter = ["effective_on"]
    search_fields = ["case__id", "to_organisation__name"]


@admin.register(ProgrammeCaseSettings)
class ProgrammeCaseSettingsAdmin(AuditedAdmin):
    list_display = ["programme", "four_eyes_approval", "legal_ground"]
    list_filter = ["four_eyes_approval"]
    search_fields = ["programme__code", "legal_ground"]

    def audit_chain(self, obj: Any) -> str:
        return f"programme:{obj.programme_id}"


# --- requests for information, messages, deadlines and reconsideration (written by their services) ---------------


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "addressee", "status", "due_on", "requested_at", "closed_at"]
    list_filter = ["status", "addressee", "due_on"]
    search_fields = ["case__id"]
    exclude = ["question"]


@admin.register(CaseMessage)
class CaseMessageAdmin(ReadOnlyAdmin):
    # The text and the file are the people's own words: the back office lists that a message exists, not what it says.
    list_display = ["case", "audience", "author", "created_at", "attachment_type"]
    list_filter = ["audience", "created_at"]
    search_fields = ["case__id"]
    exclude = ["body", "attachment", "attachment_name"]


def _programme_chain(obj: Any) -> str:
    return f"programme:{obj.programme_id}" if obj.programme_id else "platform:stage_deadlines"


@admin.register(StageDeadline)
class StageDeadlineAdmin(AuditedAdmin):
    list_display = ["stage", "programme", "days", "warning_days"]
    list_filter = ["stage", "programme"]
    search_fields = ["programme__code"]

    def audit_chain(self, obj: Any) -> str:
        return _programme_chain(obj)


@admin.register(ReconsiderationWindow)
class ReconsiderationWindowAdmin(AuditedAdmin):
    list_display = ["programme", "days"]
    list_filter = ["days"]
    search_fields = ["programme__code"]

    def audit_chain(self, obj: Any) -> str:
        return _programme_chain(obj)


@admin.register(SlaEscalation)
class SlaEscalationAdmin(ReadOnlyAdmin):
    list_display = ["case", "stage", "due_at", "escalated_at", "notified"]
    list_filter = ["stage", "escalated_at"]
    search_fields = ["case__id"]


@admin.register(Reconsideration)
class ReconsiderationAdmin(ReadOnlyAdmin):
    list_display = ["case", "decision", "status", "requested_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "requested_at"]
    search_fields = ["case__id"]
    exclude = ["grounds"]
