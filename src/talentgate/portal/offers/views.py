"""A candidate's offers: the list by status, one offer with its terms, and accepting or declining it.

Reads through ``hosts.selectors.offers_visible_to`` (a candidate sees only offers made to their
own profile) and writes through ``hosts.services.accept_offer``/``decline_offer``, whose guards
say why a decision is refused (the offer expired, its places are taken...); the page shows that reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentgate.accounts.roles import Role
from talentgate.common.access import role_of
from talentgate.common.errors import DomainError
from talentgate.hosts import selectors, services
from talentgate.hosts.models import Offer, OfferStatus
from talentgate.portal.host.forms import ReasonForm
from talentgate.portal.refusals import refusals_as_http


def _require_candidate(request: HttpRequest) -> None:
    if role_of(request.user) != Role.CANDIDATE:
        raise PermissionDenied("These pages are for candidates.")


def _detail(
    request: HttpRequest, offer: Offer, *, form: ReasonForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "offer": offer,
        "form": form or ReasonForm(required=False),
        "error": error,
        "open": offer.status == OfferStatus.OFFERED,
        "expired": offer.expires_at <= timezone.now(),
    }
    return render(request, "portal/offers/detail.html", context, status=status)


@login_required
@refusals_as_http
def my_offers(request: HttpRequest) -> HttpResponse:
    """The candidate's offers, the open ones first, filtered by status."""
    _require_candidate(request)
    status = request.GET.get("status", "")
    offers = selectors.offers_visible_to(request.user).select_related("opportunity__organisation")
    if status in OfferStatus.values:
        offers = offers.filter(status=status)
    return render(
        request,
        "portal/offers/list.html",
        {
            "offers": offers.order_by("-created_at"),
            "statuses": OfferStatus.choices,
            "status": status,
            "now": timezone.now(),
        },
    )


@login_required
@refusals_as_http
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    """One offer made to the candidate, with accept and decline while it is open."""
    _require_candidate(request)
    return _detail(request, selectors.get_offer_for(request.user, offer_id))


@require_POST
@login_required
@refusals_as_http
def accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Accept the offer; a refusal (expired, no place left) is shown with its reason."""
    _require_candidate(request)
    offer = selectors.get_offer_for(request.user, offer_id)
    try:
        services.accept_offer(request.user, offer.pk)
    except DomainError as error:
        offer.refresh_from_db()
        return _detail(request, offer, error=error.errors[0].message, status=error.status)
    messages.success(request, _("You accepted the offer. The programme will contact you about the next steps."))
    return redirect("portal:offers:detail", offer_id=offer.pk)


@require_POST
@login_required
@refusals_as_http
def decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Decline the offer, optionally saying why; a refusal (e.g. it expired) is shown with its reason."""
    _require_candidate(request)
    offer = selectors.get_offer_for(request.user, offer_id)
    form = ReasonForm(request.POST, required=False)
    if not form.is_valid():
        return _detail(request, offer, form=form, status=400)
    try:
        services.decline_offer(request.user, offer.pk, reason=form.cleaned_data["reason"])
    except DomainError as error:
        offer.refresh_from_db()
        return _detail(request, offer, form=form, error=error.errors[0].message, status=error.status)
    messages.success(request, _("You declined the offer."))
    return redirect("portal:offers:detail", offer_id=offer.pk)
