"""Back-office views of competitions (read mostly: writes belong to the services)."""

from django.contrib import admin

from talentgate.competitions import models


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "opens_on", "closes_on", "review_deadline", "policy_id", "award_outcome")
    search_fields = ("title", "policy_id")
    list_filter = ("kind", "award_outcome", "same_country_conflict")
    inlines = [CriterionInline]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("call", "position", "code", "label", "weight", "min_score", "max_score")
    search_fields = ("code", "label")
    list_filter = ("call",)


@admin.register(models.PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ("call", "reviewer", "institution", "country")
    search_fields = ("reviewer__email", "institution")
    list_filter = ("call", "country")


@admin.register(models.Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("title", "call", "candidate", "institution", "country", "eligible", "submitted_at")
    search_fields = ("title", "candidate__email", "institution")
    list_filter = ("call", "eligible", "country")


@admin.register(models.Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ("call", "reviewer", "kind", "person_email", "year")
    search_fields = ("reviewer__email", "person_email")
    list_filter = ("kind", "call")


@admin.register(models.ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ("call", "reviewer", "submission", "detected_at")
    search_fields = ("reviewer__email", "submission__title")
    list_filter = ("call",)


@admin.register(models.AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ("call", "run_by", "run_at", "feasible", "max_load", "lower_bound")
    search_fields = ("summary",)
    list_filter = ("feasible", "call")


@admin.register(models.ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("call", "reviewer", "submission", "run")
    search_fields = ("reviewer__email", "submission__title")
    list_filter = ("call",)


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("assignment", "submitted_at")
    search_fields = ("assignment__reviewer__email", "assignment__submission__title")
    list_filter = ("assignment__call",)


@admin.register(models.Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("call", "rank", "submission", "outcome", "case_id", "mobility_slot", "awarded_at")
    search_fields = ("submission__title", "mobility_slot")
    list_filter = ("outcome", "call")
