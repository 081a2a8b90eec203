"""Admin for users and their roles, and for API tokens (issued once, revoked, never edited)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talentgate.accounts import second_factor
from talentgate.accounts.models import ApiToken, User
from talentgate.accounts.services import IssuedApiToken, create_api_token, revoke_api_token
from talentgate.common.errors import DomainError


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "first_name", "last_name", "role", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "preferred_language")}),
        ("Access", {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (lost phone): they set it up again at next sign-in"))
    def reset_second_factor(self, request: HttpRequest, queryset: Any) -> None:
        reset = 0
        for user in queryset:
            try:
                second_factor.reset_second_factor(request.user, user)
            except DomainError as error:
                self.message_user(request, error.errors[0].message, messages.ERROR)
                return
            reset += 1
        self.message_user(
            request,
            ngettext("Second factor reset for %(count)d person.", "Second factor reset for %(count)d people.", reset)
            % {"count": reset},
            messages.SUCCESS,
        )


class ApiTokenAddForm(forms.ModelForm):
    """Issues the token during validation, so a refusal (duplicate name, inactive user) shows next to its field.

    The admin wraps the whole add view in one transaction, so a later failure undoes the issue too.
    """

    actor: Any = None  # set per request by ApiTokenAdmin.get_form
    issued: IssuedApiToken | None = None

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user, name = cleaned.get("user"), cleaned.get("name")
        if user is not None and name and not self.errors:
            try:
                self.issued = create_api_token(self.actor, user=user, name=name)
            except DomainError as error:
                for item in error.errors:
                    self.add_error(item.field if item.field in self.fields else None, item.message)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators issue and revoke API tokens; the raw key is shown once, after adding."""

    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    list_filter = [("revoked", admin.EmptyFieldListFilter), "created"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "name", "prefix", "created", "last_used", "revoked"]
    actions = ["revoke_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = type("ApiTokenAddFormForRequest", (ApiTokenAddForm,), {"actor": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        issued = getattr(form, "issued", None)
        if change or issued is None:
            return
        # The service already saved the token; hand its identity to the admin's redirect.
        obj.pk = issued.token.pk
        obj._state.adding = False
        messages.warning(
            request,
            format_html(
                "{} <code>{}</code>",
                _("Copy this key now; it is not stored and will not be shown again:"),
                issued.key,
            ),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked tokens stay as the record of what existed; revoke instead of deleting.
        return False

    @admin.action(description=_("Revoke selected API tokens"))
    def revoke_selected(self, request: HttpRequest, queryset: Any) -> None:
        revoked = 0
        for token in queryset.select_related("user").filter(revoked__isnull=True):
            revoke_api_token(request.user, token)
            revoked += 1
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked}
        self.message_user(request, message)
