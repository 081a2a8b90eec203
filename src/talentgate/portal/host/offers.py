"""The organisation's offers: make one on a published opportunity, see them by status, withdraw one.

Candidates are picked from ``hosts.selectors.candidates_visible_to`` (only those who applied to
the programme or gave the 'matched_hosts' consent), by name or external id, with an htmx
``<datalist>`` of matches.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.hosts import selectors, services
from talentgate.hosts.models import Membership, OfferStatus, OpportunityStatus
from talentgate.portal.host.access import member_required
from talentgate.portal.host.forms import OfferForm, ReasonForm, show_domain_error
from talentgate.portal.host.opportunities import own_opportunity
from talentgate.portal.live import enable_live_validation


def _offer_form(data: QueryDict | None = None) -> OfferForm:
    form = OfferForm(data)
    enable_live_validation(form, reverse("portal:host:validate", kwargs={"form_name": "offer"}))
    # The candidate field looks names up as one types instead of validating on change.
    attrs = form.fields["candidate"].widget.attrs
    for name in ("hx-post", "hx-vals", "hx-include"):
        attrs.pop(name, None)
    attrs.update(
        {
            "hx-get": reverse("portal:host:candidate_suggestions"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#candidate-suggestions",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
    )
    return form


@member_required
def offer_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's offers by status (offered, accepted, declined, lapsed, withdrawn)."""
    status = request.GET.get("status", "")
    offers = selectors.offers_visible_to(request.user).select_related("profile")
    if status in OfferStatus.values:
        offers = offers.filter(status=status)
    return render(
        request,
        "portal/host/offer_list.html",
        {
            "organisation": membership.organisation,
            "offers": offers.order_by("-created_at"),
            "statuses": OfferStatus.choices,
            "status": status,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def offer_new(request: HttpRequest, membership: Membership, opportunity_id: int) -> HttpResponse:
    """Make an offer on one of the organisation's published opportunities."""
    opportunity = own_opportunity(request, membership, opportunity_id)
    form = _offer_form(request.POST if request.method == "POST" else None)
    if request.method != "POST" and request.GET.get("candidate"):
        # Prefilled from a matching run's placement ("make offer"); the candidate is checked again on POST.
        form.initial["candidate"] = request.GET["candidate"][:64]
    context = {"form": form, "opportunity": opportunity, "published": opportunity.status == OpportunityStatus.PUBLISHED}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = selectors.get_candidate_for(request.user, data["candidate"])
            offer = services.make_offer(
                request.user,
                opportunity_id=opportunity.pk,
                profile_id=profile.pk,
                terms=data["terms"],
                expires_at=data["expires_at"],
                salary_amount=data["salary_amount"],
                salary_currency=data["salary_currency"],
                salary_period=data["salary_period"],
                start_date=data["start_date"],
            )
        except NotFound:
            form.add_error(
                "candidate",
                _(
                    "No candidate with this id has applied to the programme or agreed to be shown to host organisations."
                ),
            )
        except (ValidationFailed, Conflict, PermissionRefused) as error:
            show_domain_error(form, error, {"profile": "candidate", "opportunity": "candidate"})
        else:
            messages.success(request, _("The offer is made; the candidate sees it in their portal."))
            return redirect("portal:host:offer_detail", offer_id=offer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/host/offer_form.html", context, status=status)


@member_required
def offer_detail(request: HttpRequest, membership: Membership, offer_id: int) -> HttpResponse:
    """One offer of the organisation, with the form to withdraw it while it is open."""
    offer = selectors.get_offer_for(request.user, offer_id)
    return render(
        request,
        "portal/host/offer_detail.html",
        {"offer": offer, "form": ReasonForm(), "organisation": membership.organisation},
    )


@require_POST
@member_required
def offer_withdraw(request: HttpRequest, membership: Membership, offer_id: int) -> HttpResponse:
    """Withdraw an open offer, giving the reason the candidate will see."""
    offer = selectors.get_offer_for(request.user, offer_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_offer(request.user, offer.pk, reason=form.cleaned_data["reason"])
        except (TransitionRefused, Conflict) as error:
            messages.error(request, error.errors[0].message)
        else:
            messages.success(request, _("The offer is withdrawn."))
        return redirect("portal:host:offer_detail", offer_id=offer.pk)
    context = {"offer": offer, "form": form, "organisation": membership.organisation}
    return render(request, "portal/host/offer_detail.html", context, status=400)


@require_GET
@member_required
def candidate_suggestions(request: HttpRequest, membership: Membership) -> HttpResponse:
    """``<option>`` elements of the candidates the organisation may make offers to, matching what was typed."""
    query = request.GET.get("q") or request.GET.get("candidate", "")
    profiles = selectors.search_candidates_for(request.user, query)
    return render(request, "portal/host/_candidate_suggestions.html", {"profiles": profiles})
