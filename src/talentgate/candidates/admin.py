"""Back-office admin for candidate profiles: every table, with search and filters.

Identity document numbers never appear in clear in a list, a search or a change form:
lists and forms show ``mask(number)``; a number can be typed in on the add page only. A search typed
into the identity documents list also finds the document whose number it is exactly, through the
blind index; the profile search matches names in any script (the name search key).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentgate.candidates import identity_keys, models
from talentgate.common.crypto import mask


class MaskedNumberMixin:
    """Shows an identity document's number as ``mask(number)``: the plaintext never reaches a page."""

    @admin.display(description=_("number"))
    def masked_number(self, document: models.IdentityDocument) -> str:
        return mask(document.number)


class IdentityDocumentInline(MaskedNumberMixin, admin.TabularInline):
    model = models.IdentityDocument
    extra = 0
    fields = ["kind", "masked_number", "issuing_country", "issued_on", "expires_on"]
    readonly_fields = ["masked_number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # New numbers are typed on the identity document's own add page, never next to masked ones.
        return False


class EducationInline(admin.TabularInline):
    model = models.Education
    extra = 0


class EmploymentInline(admin.TabularInline):
    model = models.Employment
    extra = 0


class SkillInline(admin.TabularInline):
    model = models.Skill
    extra = 0


class LanguageTestResultInline(admin.TabularInline):
    model = models.LanguageTestResult
    extra = 0


class PublicationInline(admin.TabularInline):
    model = models.Publication
    extra = 0


class PatentInline(admin.TabularInline):
    model = models.Patent
    extra = 0


class AchievementInline(admin.TabularInline):
    model = models.Achievement
    extra = 0


class SalaryOfferInline(admin.TabularInline):
    model = models.SalaryOffer
    extra = 0


class FamilyMemberInline(admin.StackedInline):
    model = models.FamilyMember
    extra = 0


class DocumentInline(admin.TabularInline):
    model = models.Document
    extra = 0
    fields = ["kind", "file", "file_name", "issued_on", "expires_on", "status", "rejection_reason", "verified_by"]
    readonly_fields = ["status", "rejection_reason", "verified_by"]


class ConsentInline(admin.TabularInline):
    """Consents are the person's own acts: shown, never edited by staff."""

    model = models.Consent
    extra = 0
    readonly_fields = ["purpose", "version", "given_at", "withdrawn_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "given_names_latin",
        "family_name_latin",
        "date_of_birth",
        "residence_country",
        "user",
        "updated_at",
    ]
    list_filter = ["sex", "residence_country", "created_at"]
    search_fields = [
        "external_id",
        "given_names_latin",
        "family_name_latin",
        "given_names_native",
        "family_name_native",
        "email",
    ]
    raw_id_fields = ["user"]
    readonly_fields = ["merged_into", "merged_at"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_name = identity_keys.name_search_filter(search_term)
        if by_name is not None:
            found = found | queryset.filter(by_name)
        return found, may_have_duplicates

    inlines = [
        IdentityDocumentInline,
        EducationInline,
        EmploymentInline,
        SkillInline,
        LanguageTestResultInline,
        PublicationInline,
        PatentInline,
        AchievementInline,
        SalaryOfferInline,
        FamilyMemberInline,
        DocumentInline,
        ConsentInline,
    ]


class _PartAdmin(admin.ModelAdmin):
    raw_id_fields = ["profile"]
    list_select_related = ["profile"]


@admin.register(models.IdentityDocument)
class IdentityDocumentAdmin(MaskedNumberMixin, _PartAdmin):
    list_display = ["profile", "kind", "masked_number", "issuing_country", "expires_on"]
    list_filter = ["kind", "issuing_country"]
    # Searching an encrypted column is impossible and would leak plaintext: search by profile only.
    search_fields = ["profile__external_id", "profile__family_name_latin"]
    readonly_fields = ["masked_number"]

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexes = identity_keys.document_indexes_for_number(search_term) if search_term.strip() else []
        if indexes:
            found = found | queryset.filter(number_blind_index__in=indexes)
        return found, may_have_duplicates

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        common = ["profile", "kind", "issuing_country", "issued_on", "expires_on"]
        return [*common[:2], "number", *common[2:]] if obj is None else [*common[:2], "masked_number", *common[2:]]


@admin.register(models.Education)
class EducationAdmin(_PartAdmin):
    list_display = ["profile", "level", "field_code", "institution", "country", "graduation_year", "verified"]
    list_filter = ["level", "verified", "country"]
    search_fields = ["profile__external_id", "institution", "field_name", "degree_title"]


@admin.register(models.Employment)
class EmploymentAdmin(_PartAdmin):
    list_display = ["profile", "title", "isco08_code", "employer", "country", "start_date", "end_date"]
    list_filter = ["country", "sector"]
    search_fields = ["profile__external_id", "title", "employer", "isco08_code", "esco_occupation_uri"]


@admin.register(models.Skill)
class SkillAdmin(_PartAdmin):
    list_display = ["profile", "phrase", "esco_skill_uri", "level"]
    list_filter = ["level"]
    search_fields = ["profile__external_id", "phrase", "esco_skill_uri"]


@admin.register(models.LanguageTestResult)
class LanguageTestResultAdmin(_PartAdmin):
    list_display = [
        "profile",
        "test",
        "test_date",
        "language",
        "listening",
        "reading",
        "writing",
        "speaking",
        "overall",
        "level",
    ]
    list_filter = ["test", "language", "level"]
    search_fields = ["profile__external_id"]


@admin.register(models.Publication)
class PublicationAdmin(_PartAdmin):
    list_display = ["profile", "title", "year", "venue", "peer_reviewed"]
    list_filter = ["peer_reviewed", "year"]
    search_fields = ["profile__external_id", "title", "doi", "venue"]


@admin.register(models.Patent)
class PatentAdmin(_PartAdmin):
    list_display = ["profile", "title", "number", "office", "year", "status"]
    list_filter = ["status", "office"]
    search_fields = ["profile__external_id", "title", "number"]


@admin.register(models.Achievement)
class AchievementAdmin(_PartAdmin):
    list_display = ["profile", "title", "field", "level", "year"]
    list_filter = ["field", "level"]
    search_fields = ["profile__external_id", "title"]


@admin.register(models.SalaryOffer)
class SalaryOfferAdmin(_PartAdmin):
    list_display = ["profile", "amount", "currency", "period", "employer", "offered_on"]
    list_filter = ["currency", "period"]
    search_fields = ["profile__external_id", "employer"]


@admin.register(models.FamilyMember)
class FamilyMemberAdmin(_PartAdmin):
    list_display = ["profile", "relation", "given_names_latin", "family_name_latin", "date_of_birth"]
    list_filter = ["relation"]
    search_fields = ["profile__external_id", "given_names_latin", "family_name_latin"]


@admin.register(models.Document)
class DocumentAdmin(_PartAdmin):
    list_display = ["profile", "kind", "file_name", "status", "expires_on", "verified_by", "uploaded_at"]
    list_filter = ["status", "kind"]
    search_fields = ["profile__external_id", "file_name"]
    raw_id_fields = ["profile", "verified_by"]
    # Verification goes through services.verify_document/reject_document (audited), not a form.
    readonly_fields = ["status", "rejection_reason", "verified_by", "verified_at"]


@admin.register(models.Consent)
class ConsentAdmin(_PartAdmin):
    list_display = ["profile", "purpose", "version", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "version"]
    search_fields = ["profile__external_id"]
    readonly_fields = ["withdrawn_at"]
