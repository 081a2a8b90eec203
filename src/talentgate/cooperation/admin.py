"""Back-office admin of the cooperation registry: administrators edit every entry, each save audited.

A row saved here is marked ``locally_edited`` so that reloading the shipped files never overwrites the
edit; quota allocations and load records are evidence, looked at and never written by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentgate.common.admin import AuditedAdmin, ReadOnlyAdmin
from talentgate.cooperation.loader import REGISTRY_CHAIN
from talentgate.cooperation.models import (
    Agreement,
    AgreementParty,
    Bloc,
    BlocMembership,
    CollaborationProgramme,
    ExchangeProgramme,
    ExchangeQuota,
    Facility,
    Organisation,
    OrganisationMembership,
    QuotaAllocation,
    RegistryLoad,
    ScienceArea,
    Source,
)
from talentgate.cooperation.services import mark_locally_edited


class RegistryAdmin(AuditedAdmin):
    """Audited on the ``registry`` chain; a change marks the row edited here (see the module docstring)."""

    def audit_chain(self, obj: Any) -> str:
        return REGISTRY_CHAIN

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        mark_locally_edited(obj)
        super().save_model(request, obj, form, change)


@admin.register(Source)
class SourceAdmin(RegistryAdmin):
    list_display = ["key", "as_of", "address", "locally_edited"]
    list_filter = ["locally_edited", "as_of"]
    search_fields = ["key", "citation", "url"]

    @admin.display(description=_("URL"), ordering="url")
    def address(self, obj: Source) -> str:
        # As text, not a link: no page of the platform links to or loads from another host (tests/permissions).
        return obj.url


@admin.register(ScienceArea)
class ScienceAreaAdmin(RegistryAdmin):
    list_display = ["code", "name_en", "name_ru", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_en", "name_ru"]


class BlocMembershipInline(admin.TabularInline):
    model = BlocMembership
    fk_name = "bloc"
    extra = 0
    fields = ["country", "entity_name", "kind", "status", "start_date", "start_precision", "end_date", "end_precision"]
    autocomplete_fields = ["country"]
    show_change_link = True


@admin.register(Bloc)
class BlocAdmin(RegistryAdmin):
    list_display = ["acronym_en", "name_en", "kind", "founded", "as_of", "locally_edited"]
    list_filter = ["kind", "locally_edited"]
    search_fields = ["code", "acronym_en", "acronym_ru", "name_en", "name_ru"]
    filter_horizontal = ["sources"]
    inlines = [BlocMembershipInline]


MEMBERSHIP_LIST = ["party", "kind", "status", "start_date", "start_precision", "end_date", "locally_edited"]


@admin.register(BlocMembership)
class BlocMembershipAdmin(RegistryAdmin):
    list_display = ["bloc", *MEMBERSHIP_LIST]
    list_filter = ["bloc", "kind", "status", "start_attested_only", "locally_edited"]
    search_fields = ["country__name_en", "country__iso_alpha2", "entity_name", "bloc__acronym_en", "notes"]
    autocomplete_fields = ["country"]
    filter_horizontal = ["sources"]

    @admin.display(description=_("party"))
    def party(self, obj: BlocMembership) -> str:
        return obj.party_name


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    fields = ["country", "entity_name", "kind", "status", "start_date", "start_precision", "end_date", "end_precision"]
    autocomplete_fields = ["country"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(RegistryAdmin):
    list_display = ["acronym", "name_en", "kind", "headquarters", "founded", "locally_edited"]
    list_filter = ["kind", "bloc", "locally_edited"]
    search_fields = ["code", "acronym", "name_en", "name_ru", "headquarters"]
    autocomplete_fields = ["headquarters_country"]
    filter_horizontal = ["sources"]
    inlines = [OrganisationMembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(RegistryAdmin):
    list_display = ["organisation", *MEMBERSHIP_LIST]
    list_filter = ["organisation", "kind", "status", "start_attested_only", "locally_edited"]
    search_fields = ["country__name_en", "country__iso_alpha2", "entity_name", "organisation__acronym", "notes"]
    autocomplete_fields = ["country"]
    filter_horizontal = ["sources"]

    @admin.display(description=_("party"))
    def party(self, obj: OrganisationMembership) -> str:
        return obj.party_name


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(Agreement)
class AgreementAdmin(RegistryAdmin):
    list_display = ["title_en", "kind", "signed_on", "in_force_from", "ends_on", "locally_edited"]
    list_filter = ["kind", "areas", "locally_edited"]
    search_fields = ["title_en", "title_ru", "summary", "parties__country__name_en", "parties__organisation__acronym"]
    filter_horizontal = ["sources", "areas"]
    inlines = [AgreementPartyInline]


@admin.register(AgreementParty)
class AgreementPartyAdmin(RegistryAdmin):
    list_display = ["agreement", "country", "organisation", "entity_name", "represented_by"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["agreement__title_en", "country__name_en", "organisation__acronym", "entity_name"]
    autocomplete_fields = ["country"]


class CollaborationInline(admin.StackedInline):
    model = CollaborationProgramme
    extra = 0
    show_change_link = True
    fields = ["name_en", "name_ru", "kind", "start_date", "start_precision", "description"]


@admin.register(Facility)
class FacilityAdmin(RegistryAdmin):
    list_display = ["name_en", "kind", "status", "operator", "country", "operating_since", "locally_edited"]
    list_filter = ["kind", "status", ("operator", admin.RelatedOnlyFieldListFilter), "locally_edited"]
    search_fields = ["code", "name_en", "name_ru", "site", "description"]
    autocomplete_fields = ["country"]
    filter_horizontal = ["sources", "areas"]
    inlines = [CollaborationInline]


@admin.register(CollaborationProgramme)
class CollaborationProgrammeAdmin(RegistryAdmin):
    list_display = ["name_en", "facility", "kind", "start_date", "locally_edited"]
    list_filter = ["kind", "facility", "locally_edited"]
    search_fields = ["name_en", "name_ru", "description", "facility__name_en"]
    filter_horizontal = ["sources", "partner_countries"]


class QuotaInline(admin.TabularInline):
    model = ExchangeQuota
    extra = 0
    fields = ["country", "year", "places", "tracks_use", "notes"]
    autocomplete_fields = ["country"]


@admin.register(ExchangeProgramme)
class ExchangeProgrammeAdmin(RegistryAdmin):
    list_display = ["name_en", "kind", "operator", "facility", "start_date", "locally_edited"]
    list_filter = ["kind", ("operator", admin.RelatedOnlyFieldListFilter), "locally_edited"]
    search_fields = ["code", "name_en", "name_ru", "description"]
    filter_horizontal = ["sources", "areas"]
    inlines = [QuotaInline]


@admin.register(ExchangeQuota)
class ExchangeQuotaAdmin(RegistryAdmin):
    list_display = ["programme", "country", "year", "places", "tracks_use", "locally_edited"]
    list_filter = ["programme", "year", "tracks_use"]
    search_fields = ["programme__name_en", "country__name_en", "country__iso_alpha2"]
    autocomplete_fields = ["country"]


@admin.register(QuotaAllocation)
class QuotaAllocationAdmin(ReadOnlyAdmin):
    list_display = ["quota", "reference", "allocated_at", "allocated_by"]
    list_filter = ["quota__programme", "quota__year"]
    search_fields = ["reference", "quota__programme__name_en", "quota__country__name_en"]


@admin.register(RegistryLoad)
class RegistryLoadAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "created", "updated", "kept_local_edits", "data_digest"]
    list_filter = ["at"]
    search_fields = ["data_digest"]
