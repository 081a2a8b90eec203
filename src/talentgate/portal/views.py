"""Portal pages of the skeleton: the home page; signing in and out are Django's views (see urls.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from talentgate.accounts import second_factor
from talentgate.accounts.roles import Role

ROLE_INTRODUCTIONS = {
    Role.CANDIDATE: _("Build your profile once; every programme you apply to reads it."),
    Role.HOST_ADMIN: _("Onboard your organisation and invite or remove its staff."),
    Role.HOST_STAFF: _("Publish opportunities, review matched candidates and make offers."),
    Role.OFFICER: _("Work the queues: documents, assessments, selection rounds and matching runs."),
    Role.SUPERVISOR: _("Approve what needs a second person and handle escalations."),
    Role.REVIEWER: _("Score the competition entries assigned to you."),
    Role.AUTHORITY: _("Receive approved cases and record permit decisions."),
    Role.ANALYST: _("Follow the pipeline against the programme's targets."),
    Role.ADMINISTRATOR: _("Manage users, roles, policies and reference data."),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Greets the signed-in person by name and role and says what their role does here."""
    user: Any = request.user
    context = {
        "display_name": user.get_full_name() or user.email,
        "role_introduction": ROLE_INTRODUCTIONS.get(Role(user.role), ""),
    }
    return render(request, "portal/home.html", context)


class SignInView(LoginView):
    """Django's sign-in (password), then, for programme staff, the second step: a code from their authenticator."""

    def get_success_url(self) -> str:
        from talentgate.portal.account.middleware import second_step_url

        url = super().get_success_url()
        user = self.request.user
        if second_factor.is_required_for(user) and not second_factor.is_verified(user):
            return second_step_url(user, url)
        return url


class SignOutView(LogoutView):
    """Django's logout (POST only, so a link or a prefetch cannot sign anyone out), with a confirmation message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response
