"""Back-office admin for organisations, staff, invitations, opportunities and offers.

State-machine fields are read-only here: statuses move only through the services, which
check the guards and write the audit trail. Changes saved in the admin are audited too.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext

from talentgate.common import audit
from talentgate.common.admin import AuditedAdmin as BaseAuditedAdmin
from talentgate.hosts.models import (
    Invitation,
    Membership,
    Offer,
    Opportunity,
    OpportunityLanguage,
    OpportunityOccupation,
    OpportunitySkill,
    Organisation,
)
from talentgate.hosts.services import hash_token

# Django 6 will assume https for scheme-less URLs; say so now (and silence the warning).
URL_FIELDS_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class AuditedAdmin(BaseAuditedAdmin):
    formfield_overrides = URL_FIELDS_HTTPS


class OrganisationChained(AuditedAdmin):
    def audit_chain(self, obj: Any) -> str:
        return audit.chain_for_organisation(obj.organisation_id)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "active", "joined_at", "left_at"]
    readonly_fields = ["joined_at", "left_at"]
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "sector", "country", "region", "verification", "verified_at"]
    list_filter = ["verification", "kind", "sector", "country__region"]
    search_fields = ["name", "region", "website"]
    # Verification is an officer's audited decision (services.verify_organisation), not an edit.
    readonly_fields = ["verification", "verified_by", "verified_at", "verification_reason", "created_at"]
    raw_id_fields = ["country"]
    inlines = [MembershipInline]

    def audit_chain(self, obj: Any) -> str:
        return audit.chain_for_organisation(obj.pk)


@admin.register(Membership)
class MembershipAdmin(OrganisationChained):
    list_display = ["user", "organisation", "role", "active", "joined_at", "left_at"]
    list_filter = ["role", "active"]
    search_fields = ["user__email", "organisation__name"]
    raw_id_fields = ["user", "organisation"]
    readonly_fields = ["joined_at"]


@admin.register(Invitation)
class InvitationAdmin(OrganisationChained):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if not change:
            # Only the hash is stored, so the token is shown to the person creating it this once.
            token = secrets.token_urlsafe(32)
            obj.token_hash = hash_token(token)
            obj.invited_by = obj.invited_by or request.user  # type: ignore[assignment]
            messages.warning(request, gettext("Invitation token (shown only now): %(token)s") % {"token": token})
        super().save_model(request, obj, form, change)


class OccupationInline(admin.TabularInline):
    model = OpportunityOccupation
    extra = 0
    formfield_overrides = URL_FIELDS_HTTPS


class SkillInline(admin.TabularInline):
    model = OpportunitySkill
    extra = 0
    formfield_overrides = URL_FIELDS_HTTPS


class LanguageInline(admin.TabularInline):
    model = OpportunityLanguage
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(OrganisationChained):
    list_display = ["title", "organisation", "kind", "sector", "status", "capacity", "country", "application_deadline"]
    list_filter = ["status", "kind", "sector", "min_education_level", "country__region"]
    search_fields = ["title", "description", "organisation__name", "city"]
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["organisation", "country", "salary_currency"]
    inlines = [OccupationInline, SkillInline, LanguageInline]


class OpportunityChildAdmin(AuditedAdmin):
    raw_id_fields = ["opportunity"]

    def audit_chain(self, obj: Any) -> str:
        return audit.chain_for_organisation(obj.opportunity.organisation_id)


@admin.register(OpportunityOccupation)
class OpportunityOccupationAdmin(OpportunityChildAdmin):
    list_display = ["label", "isco08_code", "esco_uri", "opportunity"]
    list_filter = ["opportunity__status", "opportunity__kind"]
    search_fields = ["label", "isco08_code", "esco_uri", "opportunity__title"]


@admin.register(OpportunitySkill)
class OpportunitySkillAdmin(OpportunityChildAdmin):
    list_display = ["label", "essential", "esco_uri", "opportunity"]
    list_filter = ["essential", "opportunity__status"]
    search_fields = ["label", "esco_uri", "opportunity__title"]


@admin.register(OpportunityLanguage)
class OpportunityLanguageAdmin(OpportunityChildAdmin):
    list_display = ["language", "min_level", "opportunity"]
    list_filter = ["min_level", "language"]
    search_fields = ["language", "opportunity__title"]


@admin.register(Offer)
class OfferAdmin(AuditedAdmin):
    list_display = ["pk", "opportunity", "profile", "status", "expires_at", "created_at", "decided_at"]
    list_filter = ["status", "opportunity__organisation", "salary_period"]
    search_fields = ["opportunity__title", "opportunity__organisation__name", "profile__external_id"]
    readonly_fields = ["status", "made_by", "created_at", "decided_at"]
    raw_id_fields = ["opportunity", "profile", "salary_currency"]

    def audit_chain(self, obj: Any) -> str:
        user_id = obj.profile.user_id
        return audit.chain_for_person(user_id) if user_id else f"profile:{obj.profile_id}"
