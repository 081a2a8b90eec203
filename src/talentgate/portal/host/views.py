"""Host organisation pages: sign-up, registration, the organisation's dashboard, staff and invitations, live validation.

Every write goes through ``hosts.services``; every read through ``hosts.selectors``.
Opportunity pages are in ``opportunities.py``, the organisation's offers in ``offers.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from talentgate.api.accounts import verification_link_for
from talentgate.common.errors import Conflict, DomainError, NotFound, PermissionRefused, ValidationFailed
from talentgate.hosts import selectors, services
from talentgate.hosts.models import MemberRole, Membership, OfferStatus, OpportunityStatus
from talentgate.portal.host.access import member_required, membership_or_refuse
from talentgate.portal.host.forms import (
    InviteForm,
    JoinForm,
    OfferForm,
    OpportunityForm,
    OrganisationForm,
    OrganisationSignUpForm,
    show_domain_error,
)
from talentgate.portal.live import enable_live_validation
from talentgate.portal.refusals import refusals_as_http
from talentgate.programmes.selectors import sectors_visible_to

# The names services give fields that the forms call otherwise.
SIGN_UP_RENAMES = {"password": "password1", "country_id": "country"}


def invitation_link_for(request: HttpRequest) -> Callable[[str], str]:
    """Builds absolute links to the invitation page for the e-mails sent during ``request``."""
    return lambda token: request.build_absolute_uri(reverse("portal:host:join", kwargs={"token": token}))


def sector_choices(actor: Any) -> list[tuple[int, str]]:
    """The priority sectors as picker options, by code (each with its name in the page's language)."""
    return [(s.pk, f"{s.code} · {s}") for s in sectors_visible_to(actor).order_by("code")]


# --- sign-up and registration ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A person signs up as the admin of a new host organisation; the account waits for the e-mailed link."""
    if request.user.is_authenticated:
        return redirect("portal:host:dashboard")
    form = OrganisationSignUpForm(request.POST or None)
    enable_live_validation(form, reverse("portal:host:validate_public", kwargs={"form_name": "sign_up"}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up_organisation(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                name=data["name"],
                kind=data["kind"],
                country=data["country"],
                region=data["region"],
                website=data["website"],
                verification_link=verification_link_for(request),
            )
        except DomainError as error:
            show_domain_error(form, error, SIGN_UP_RENAMES)
        else:
            return redirect("portal:host:sign_up_done")
    context = {
        "form": form,
        "person_fields": [form[name] for name in ("email", "first_name", "last_name", "password1", "password2")],
        "organisation_fields": [form[name] for name in ("name", "kind", "country", "region", "website")],
    }
    return render(request, "portal/host/sign_up.html", context)


def sign_up_done(request: HttpRequest) -> HttpResponse:
    """Tells the new admin to open the link in the e-mail, and what happens after (an officer verifies)."""
    return render(request, "portal/host/sign_up_done.html")


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_http
def register(request: HttpRequest) -> HttpResponse:
    """A signed-in host admin who belongs to no organisation registers one (pending verification)."""
    if membership_or_refuse(request) is not None:
        return redirect("portal:host:dashboard")
    form = OrganisationForm(request.POST or None)
    form.fields["sector"] = forms.TypedChoiceField(
        label=_("Priority sector"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("None")), *sector_choices(request.user)],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_organisation(
                request.user,
                name=data["name"],
                kind=data["kind"],
                country=data["country"],
                region=data["region"],
                website=data["website"],
                sector_id=data["sector"],
            )
        except DomainError as error:
            show_domain_error(form, error, {"sector_id": "sector", "country_id": "country"})
        else:
            messages.success(request, _("Your organisation is registered. A programme officer will verify it."))
            return redirect("portal:host:dashboard")
    return render(request, "portal/host/register.html", {"form": form})


@member_required
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation at a glance: its verification (and why it cannot publish yet), opportunities and offers."""
    organisation = membership.organisation
    opportunity_counts = dict(
        selectors.opportunities_visible_to(request.user)
        .filter(organisation=organisation)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    offer_counts = dict(
        selectors.offers_visible_to(request.user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "portal/host/dashboard.html",
        {
            "membership": membership,
            "organisation": organisation,
            "opportunity_counts": [(s, opportunity_counts.get(s.value, 0)) for s in OpportunityStatus],
            "offer_counts": [(s, offer_counts.get(s.value, 0)) for s in OfferStatus],
        },
    )


# --- staff and invitations ---------------------------------------------------------------------------------------


def _staff_context(request: HttpRequest, membership: Membership, invite_form: InviteForm) -> dict[str, Any]:
    members = selectors.memberships_visible_to(request.user).filter(organisation=membership.organisation, active=True)
    invitations = (
        selectors.invitations_visible_to(request.user)
        .filter(organisation=membership.organisation)
        .filter(selectors.open_invitations_q())
        .order_by("-created_at")
    )
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "is_admin": membership.role == MemberRole.ADMIN,
        "members": members.order_by("role", "user__email"),
        "invitations": invitations,
        "invite_form": invite_form,
    }


@member_required
def staff(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's members; for its admins also the open invitations and the invitation form."""
    form = InviteForm()
    enable_live_validation(form, reverse("portal:host:validate", kwargs={"form_name": "invite"}))
    return render(request, "portal/host/staff.html", _staff_context(request, membership, form))


@require_POST
@member_required(admin=True)
def invite(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The admin invites a person by e-mail; the link goes to them by e-mail only."""
    form = InviteForm(request.POST)
    enable_live_validation(form, reverse("portal:host:validate", kwargs={"form_name": "invite"}))
    if form.is_valid():
        try:
            invitation = services.invite_staff_by_email(
                request.user,
                membership.organisation_id,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invitation_link=invitation_link_for(request),
            )
        except (Conflict, ValidationFailed) as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("portal:host:staff")
    return render(request, "portal/host/staff.html", _staff_context(request, membership, form), status=400)


@require_POST
@member_required(admin=True)
def revoke_invitation(request: HttpRequest, membership: Membership, invitation_id: int) -> HttpResponse:
    """The admin revokes an open invitation; its link stops working."""
    try:
        invitation = services.revoke_invitation(request.user, invitation_id)
    except Conflict as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    return redirect("portal:host:staff")


@require_POST
@member_required(admin=True)
def remove_member(request: HttpRequest, membership: Membership, membership_id: int) -> HttpResponse:
    """The admin removes a member (never the last admin)."""
    try:
        removed = services.remove_staff(request.user, membership_id)
    except Conflict as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("%(email)s no longer belongs to the organisation.") % {"email": removed.user.email})
    return redirect("portal:host:staff")


# --- joining with an invitation ------------------------------------------------------------------------------------

INVITATION_PROBLEMS = {
    "accepted": _("This invitation has already been used."),
    "revoked": _("This invitation was revoked; ask the organisation for a new one."),
    "expired": _("This invitation has expired; ask the organisation for a new one."),
}


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: shows who invites; a signed-in invitee joins, anyone else creates their account here."""
    try:
        invitation = selectors.invitation_for_token(token)
    except NotFound:
        raise Http404 from None
    state = selectors.invitation_state(invitation)
    signed_in = request.user.is_authenticated
    form = JoinForm(request.POST if request.method == "POST" and not signed_in else None)
    enable_live_validation(form, reverse("portal:host:validate_public", kwargs={"form_name": "join"}))
    context: dict[str, Any] = {
        "invitation": invitation,
        "token": token,
        "problem": INVITATION_PROBLEMS.get(state),
        "form": form,
        "error": None,
    }
    if request.method == "POST" and state == "open":
        try:
            if signed_in:
                services.accept_invitation(token, request.user)
            elif form.is_valid():
                membership = services.join_with_new_account(
                    token,
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                # Following the e-mailed link proved the address: the new account is signed in at once.
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name}
                )
                return redirect("portal:host:dashboard")
            else:
                return render(request, "portal/host/join.html", context, status=400)
        except PermissionRefused as error:
            context["error"] = error.errors[0].message
            return render(request, "portal/host/join.html", context, status=403)
        except DomainError as error:
            if signed_in:
                context["error"] = error.errors[0].message
            else:
                show_domain_error(form, error, {"password": "password1"})
            return render(request, "portal/host/join.html", context, status=error.status)
        messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name})
        return redirect("portal:host:dashboard")
    if request.method == "POST":
        return render(request, "portal/host/join.html", context, status=409)
    return render(request, "portal/host/join.html", context)


# --- live validation -------------------------------------------------------------------------------------------------


def _field_fragment(request: HttpRequest, form: forms.BaseForm, url: str) -> HttpResponse:
    enable_live_validation(form, url)
    name = request.POST.get("_field", "")
    if name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()  # bound: runs every check, including cross-field ones
    return render(request, "portal/host/_field.html", {"field": form[name]})


@require_POST
def validate_public(request: HttpRequest, form_name: str) -> HttpResponse:
    """Re-renders one field of the sign-up or joining form with its errors (shape only: no account look-ups)."""
    forms_by_name: dict[str, type[forms.Form]] = {"sign_up": OrganisationSignUpForm, "join": JoinForm}
    if form_name not in forms_by_name:
        raise Http404
    url = reverse("portal:host:validate_public", kwargs={"form_name": form_name})
    return _field_fragment(request, forms_by_name[form_name](request.POST), url)


@require_POST
@member_required
def validate(request: HttpRequest, membership: Membership, form_name: str) -> HttpResponse:
    """Re-renders one field of a member's form (invitation, opportunity, offer) with its errors."""
    url = reverse("portal:host:validate", kwargs={"form_name": form_name})
    if form_name == "invite":
        if membership.role != MemberRole.ADMIN:
            raise PermissionDenied
        return _field_fragment(request, InviteForm(request.POST), url)
    if form_name == "opportunity":
        return _field_fragment(request, OpportunityForm(request.POST, sectors=sector_choices(request.user)), url)
    if form_name == "offer":
        return _field_fragment(request, OfferForm(request.POST), url)
    raise Http404
