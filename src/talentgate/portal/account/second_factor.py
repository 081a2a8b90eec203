"""The second step of a staff sign-in: set up an authenticator (secret, otpauth URI, QR code), enter a code,
renew backup codes. The work is in ``accounts.second_factor``; these views only ask and show."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from talentgate.accounts import second_factor
from talentgate.common.errors import DomainError
from talentgate.portal.account.forms import show_domain_error


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    """Where to go after the second step: ``next`` if it stays on this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return resolve_url("portal:home")


def _staff_only(user: Any) -> None:
    if not second_factor.applies_to(user):
        raise PermissionDenied(_("A second factor is for programme staff."))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Asks for a code after the password; a right one marks the session verified and goes on to ``next``."""
    user: Any = request.user
    _staff_only(user)
    if not second_factor.has_authenticator(user):
        return redirect(
            f"{resolve_url('portal:account:second_factor_enrol')}?{urlencode({'next': _next_url(request)})}"
        )
    if second_factor.is_verified(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device = second_factor.verify_code(user, form.cleaned_data["otp_token"])
            except DomainError as error:
                show_domain_error(form, error, {})
            else:
                otp_login(request, device)
                return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "portal/account/second_factor_verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Sets up an authenticator app, or (once set up) shows that it is and offers new backup codes."""
    user: Any = request.user
    _staff_only(user)
    if second_factor.has_authenticator(user):
        context: dict[str, Any] = {
            "remaining": second_factor.remaining_backup_codes(user),
            "verified": second_factor.is_verified(user),
        }
        return render(request, "portal/account/second_factor_status.html", context)
    device = second_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device, codes = second_factor.confirm_authenticator(user, form.cleaned_data["otp_token"])
            except DomainError as error:
                show_domain_error(form, error, {})
            else:
                otp_login(request, device)
                context = {"codes": codes, "next": _next_url(request)}
                return render(request, "portal/account/second_factor_backup_codes.html", context)
    uri = second_factor.provisioning_uri(device)
    context = {
        "form": form,
        "secret": second_factor.secret_of(device),
        "uri": uri,
        "qr_code": second_factor.qr_code_data_uri(uri),
        "next": _next_url(request),
    }
    return render(request, "portal/account/second_factor_enrol.html", context, status=status)


@login_required
@require_POST
def renew_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old stop working); only in a session that passed the second step."""
    user: Any = request.user
    _staff_only(user)
    if not second_factor.is_verified(user):
        return redirect(resolve_url("portal:account:second_factor_enrol"))
    try:
        codes = second_factor.regenerate_backup_codes(user)
    except DomainError as error:
        raise PermissionDenied(error.errors[0].message) from error
    context = {"codes": codes, "next": resolve_url("portal:home")}
    return render(request, "portal/account/second_factor_backup_codes.html", context)
