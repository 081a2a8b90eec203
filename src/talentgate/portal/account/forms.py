"""Forms of the account pages. They only collect input: the rules live in ``accounts.services``,
whose errors are shown next to the field they name (:func:`show_domain_error`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentgate.accounts import services
from talentgate.common.errors import DomainError


def show_domain_error(form: forms.Form, error: DomainError, rename: Mapping[str, str] | None = None) -> None:
    """Put each of a service's errors next to the form field it names (``rename`` maps service names to
    form names); errors about anything else go to the top of the form."""
    for item in error.errors:
        name = (rename or {}).get(item.field, item.field)
        form.add_error(name if name in form.fields else None, item.message)


class SignUpForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("You sign in with it; we send a link to it to verify it is yours."),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ; type the same password twice."))
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ServicePasswordResetForm(PasswordResetForm):
    """Django's reset form, sending the e-mail through ``accounts.services.request_password_reset``
    (the same e-mail the API sends)."""

    def save(self, request: HttpRequest | None = None, **kwargs: Any) -> None:  # type: ignore[override]
        from talentgate.api.accounts import reset_link_for

        assert request is not None  # PasswordResetView always passes it
        services.request_password_reset(self.cleaned_data["email"], reset_link_for(request))


class ServiceSetPasswordForm(SetPasswordForm):
    """Django's set-password form, saving (and auditing) through ``accounts.services.set_new_password``."""

    def save(self, commit: bool = True) -> Any:
        return services.set_new_password(self.user, self.cleaned_data["new_password1"])
