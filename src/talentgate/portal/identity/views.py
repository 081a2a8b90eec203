"""Pages of the duplicates queue. They call only ``identity`` services and selectors; a refused dismissal or
merge is shown on the suspicion's page with every rule it broke, and nothing else is decided here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentgate.common.access import require_role
from talentgate.common.errors import DomainError, FieldError
from talentgate.identity import selectors, services
from talentgate.identity.models import SuspicionStatus, SuspicionStrength
from talentgate.portal.refusals import signed_in

QUEUE_LIMIT = 200


@signed_in
def queue(request: HttpRequest) -> HttpResponse:
    """Officers and supervisors: suspected duplicates by status (open first) and strength, strongest first."""
    status = request.GET.get("status", SuspicionStatus.OPEN)
    strength = request.GET.get("strength", "")
    try:
        rows = list(selectors.suspicions_matching(request.user, status=status, strength=strength)[:QUEUE_LIMIT])
        errors: list[FieldError] = []
    except DomainError as error:
        if error.status == 403:
            raise
        rows, errors = [], error.errors
    context = {
        "rows": rows,
        "errors": errors,
        "status": status,
        "strength": strength,
        "statuses": SuspicionStatus.choices,
        "strengths": SuspicionStrength.choices,
        "limit": QUEUE_LIMIT,
    }
    return render(request, "portal/identity/queue.html", context, status=400 if errors else 200)


def _suspicion_page(request: HttpRequest, suspicion_id: int, errors: list[FieldError] | None = None) -> HttpResponse:
    require_role(request.user, *services.DUPLICATE_WORKERS)
    suspicion = selectors.get_suspicion_for(request.user, suspicion_id)
    people = [suspicion.profile_low, suspicion.profile_high]
    context = {
        "suspicion": suspicion,
        "people": people,
        # Either may be chosen to stay: what prevents either merge is shown, once per rule and message.
        "blockers": list(
            {
                (b.rule, b.message): b
                for pair in ((people[0], people[1]), (people[1], people[0]))
                for b in services.merge_blockers(*pair)
            }.values()
        )
        if suspicion.status == SuspicionStatus.OPEN
        else [],
        "errors": errors or [],
    }
    return render(request, "portal/identity/suspicion.html", context, status=409 if errors else 200)


@signed_in
def suspicion(request: HttpRequest, suspicion_id: int) -> HttpResponse:
    """Officers and supervisors: both people side by side, why they are suspected, and the two decisions."""
    return _suspicion_page(request, suspicion_id)


@require_POST
@signed_in
def dismiss(request: HttpRequest, suspicion_id: int) -> HttpResponse:
    """Dismiss the suspicion with a reason."""
    try:
        services.dismiss_suspicion(request.user, suspicion_id, request.POST.get("reason", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        return _suspicion_page(request, suspicion_id, error.errors)
    messages.success(request, _("Dismissed: these two will not be suspected again."))
    return redirect("portal:identity:queue")


@require_POST
@signed_in
def merge(request: HttpRequest, suspicion_id: int) -> HttpResponse:
    """Merge the other person into the chosen survivor."""
    raw = request.POST.get("survivor_id", "")
    if not raw.isdigit():
        require_role(request.user, *services.DUPLICATE_WORKERS)
        return _suspicion_page(
            request, suspicion_id, [FieldError("survivor_id", "required", _("Choose the person who stays."))]
        )
    try:
        result = services.merge_profiles(request.user, suspicion_id, int(raw))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        return _suspicion_page(request, suspicion_id, error.errors)
    messages.success(
        request,
        _("Profile %(merged)s is merged into profile %(survivor)s.")
        % {"merged": result.merged_id, "survivor": result.survivor_id},
    )
    return redirect("portal:identity:queue")
