"""Back-office admin for programmes, sectors, targets and applications.

An application's status is read-only here and its history cannot be written by hand:
statuses move only through ``programmes.services``, which checks the guards and records
the transition. Changes saved in the admin are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from talentgate.common.admin import AuditedAdmin
from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, Programme, SectorTarget
from talentgate.programmes.services import SECTORS_CHAIN, chain_for_profile, chain_for_programme


class SectorTargetInline(admin.TabularInline):
    model = SectorTarget
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ru", "active", "four_eyes", "created_at"]
    list_filter = ["active", "four_eyes"]
    search_fields = ["code", "name_en", "name_ru", "description"]
    inlines = [SectorTargetInline]

    def audit_chain(self, obj: Any) -> str:
        return chain_for_programme(obj.pk)


@admin.register(PrioritySector)
class PrioritySectorAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ru", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_en", "name_ru", "description"]

    def audit_chain(self, obj: Any) -> str:
        return SECTORS_CHAIN


@admin.register(SectorTarget)
class SectorTargetAdmin(AuditedAdmin):
    list_display = ["programme", "sector", "year", "region", "target_count"]
    list_filter = ["programme", "year", "sector"]
    search_fields = ["programme__code", "sector__code", "sector__name_en", "region"]

    def audit_chain(self, obj: Any) -> str:
        return chain_for_programme(obj.programme_id)


class HistoryInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    fields = ["at", "transition", "from_state", "to_state", "actor", "reason"]
    readonly_fields = ["at", "transition", "from_state", "to_state", "actor", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    list_display = ["pk", "profile", "programme", "status", "sector_preference", "submitted_at", "status_changed_at"]
    list_filter = ["status", "programme", "sector_preference"]
    search_fields = ["profile__external_id", "programme__code"]
    readonly_fields = ["status", "submitted_at", "status_changed_at", "created_at"]
    raw_id_fields = ["profile"]
    inlines = [HistoryInline]

    def audit_chain(self, obj: Any) -> str:
        return chain_for_profile(obj.profile)


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(admin.ModelAdmin):
    """The history is evidence for analytics and audits: looked at, never written or edited by hand."""

    list_display = ["application", "transition", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state", "from_state", "transition"]
    search_fields = ["application__profile__external_id", "application__programme__code", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
