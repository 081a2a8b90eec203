"""Admin views of matching runs and results (read mostly; writes go through the services)."""

from django.contrib import admin

from talentgate.matching.models import (
    CandidatePreference,
    Couple,
    HostPreference,
    MatchingRun,
    MatchResult,
    ShortlistEntry,
)


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ["id", "programme", "status", "stable", "seed", "created_at", "finished_at"]
    list_filter = ["status", "stable", "programme"]
    search_fields = ["programme__code", "programme__name_en"]


@admin.register(CandidatePreference)
class CandidatePreferenceAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "application", "submitted_at"]
    list_filter = ["run"]
    search_fields = ["application__profile__external_id"]


@admin.register(HostPreference)
class HostPreferenceAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "opportunity", "submitted_at"]
    list_filter = ["run"]
    search_fields = ["opportunity__title"]


@admin.register(MatchResult)
class MatchResultAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "application", "opportunity", "choice_rank", "fit_score", "preference_source"]
    list_filter = ["run", "preference_source"]
    search_fields = ["application__profile__external_id", "opportunity__title"]


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "opportunity", "rank", "application", "fit_score", "placed"]
    list_filter = ["run", "placed"]
    search_fields = ["opportunity__title", "application__profile__external_id"]


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "first", "second", "status", "proposed_at", "confirmed_at"]
    list_filter = ["status", "run"]
    search_fields = ["first__profile__external_id", "second__profile__external_id"]
