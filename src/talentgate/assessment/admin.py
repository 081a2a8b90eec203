"""Admin pages of the assessment domain: read-mostly views of policy versions, assessments and rounds.

Writes go through the services (governance transitions, assessing, running rounds), so the
state-machine fields are read-only here.
"""

from __future__ import annotations

from django.contrib import admin

from talentgate.assessment.models import Assessment, PolicyVersion, ProgrammePolicy, RoundInvitation, SelectionRound


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ("policy_id", "version", "status", "effective_from", "effective_to", "source", "published_at")
    list_filter = ("status", "policy_id")
    search_fields = ("policy_id", "version", "title_en", "title_ru")
    readonly_fields = (
        "status",
        "author",
        "reviewed_by",
        "reviewed_at",
        "published_by",
        "published_at",
        "impact",
        "impact_at",
    )


@admin.register(ProgrammePolicy)
class ProgrammePolicyAdmin(admin.ModelAdmin):
    list_display = ("programme", "policy_id")
    search_fields = ("programme__code", "policy_id")
    list_filter = ("policy_id",)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("application", "policy_id", "version", "on", "eligible", "total", "created_at")
    list_filter = ("policy_id", "version", "eligible")
    search_fields = ("application__profile__external_id", "inputs_hash")
    raw_id_fields = ("application",)


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "policy_id", "version", "category", "invitations", "cutoff", "status")
    list_filter = ("status", "policy_id")
    search_fields = ("name", "programme__code")
    readonly_fields = ("status", "defined_by", "approved_by", "approved_at", "run_by", "run_at", "preview", "result")


@admin.register(RoundInvitation)
class RoundInvitationAdmin(admin.ModelAdmin):
    list_display = ("round", "application", "rank", "total", "created_at")
    list_filter = ("round",)
    search_fields = ("application__profile__external_id",)
    raw_id_fields = ("application",)
