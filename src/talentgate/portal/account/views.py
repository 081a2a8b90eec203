"""Account pages for people who are not signed in: sign up, verify the e-mail address, reset a password.

Sign-up and verification call ``accounts.services``; password reset is Django's views with our
templates and forms that send and save through the same services as the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from talentgate.accounts import services
from talentgate.api.accounts import verification_link_for
from talentgate.common.errors import Conflict, DomainError
from talentgate.portal.account.forms import (
    ResendVerificationForm,
    ServicePasswordResetForm,
    ServiceSetPasswordForm,
    SignUpForm,
    show_domain_error,
)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A new candidate signs up; the account waits for the e-mailed link."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_candidate(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                verification_link=verification_link_for(request),
            )
        except DomainError as error:
            show_domain_error(form, error, {"password": "password1"})
        else:
            return redirect("portal:account:sign_up_done")
    return render(request, "portal/account/sign_up.html", {"form": form})


def sign_up_done(request: HttpRequest) -> HttpResponse:
    """Tells the person to open the link in the e-mail just sent."""
    return render(request, "portal/account/sign_up_done.html")


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (so a mail scanner following the link activates nothing); POST activates."""
    if request.method == "POST":
        try:
            services.verify_email(token)
        except Conflict:
            messages.info(request, _("Your e-mail address is already verified; sign in."))
            return redirect("portal:login")
        except DomainError as error:
            return render(request, "portal/account/verify_email.html", {"error": error.errors[0].message}, status=400)
        messages.success(request, _("Your e-mail address is verified. Sign in to build your profile."))
        return redirect("portal:login")
    return render(request, "portal/account/verify_email.html", {"error": None})


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Sends a new verification link; the answer is the same whether or not the address has an account."""
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_verification_email(form.cleaned_data["email"], verification_link_for(request))
        messages.info(request, _("If this address has an account waiting for verification, a new link is on its way."))
        return redirect("portal:login")
    return render(request, "portal/account/resend_verification.html", {"form": form})


password_reset = auth_views.PasswordResetView.as_view(
    form_class=ServicePasswordResetForm,
    template_name="portal/account/password_reset.html",
    success_url=reverse_lazy("portal:account:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="portal/account/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=ServiceSetPasswordForm,
    template_name="portal/account/password_reset_confirm.html",
    success_url=reverse_lazy("portal:account:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/account/password_reset_complete.html"
)
