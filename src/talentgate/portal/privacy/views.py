"""Personal-data pages. They call only ``privacy`` services and selectors (export, erasure, holds); every
refusal a service makes is shown (a blocked erasure names its reason), and nothing else is decided here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.common.access import is_programme_staff, require_role
from talentgate.common.errors import DomainError
from talentgate.portal.refusals import signed_in
from talentgate.privacy import export, selectors, services


def _download(document: dict[str, Any], fmt: str) -> HttpResponse:
    name = f"personal-data-{document['person']['profile_id']}"
    if fmt == "pdf":
        response = HttpResponse(export.export_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(export.export_json(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@signed_in
def my_data(request: HttpRequest) -> HttpResponse:
    """The candidate's page: download everything held (JSON, PDF) and ask to be erased."""
    require_role(request.user, Role.CANDIDATE)
    context = {"requests": selectors.erasure_requests_visible_to(request.user)[:10]}
    return render(request, "portal/privacy/my_data.html", context)


@signed_in
def my_export_json(request: HttpRequest) -> HttpResponse:
    """The candidate's own export as JSON."""
    return _download(export.export_for(request.user), "json")


@signed_in
def my_export_pdf(request: HttpRequest) -> HttpResponse:
    """The candidate's own export as PDF."""
    return _download(export.export_for(request.user), "pdf")


@require_POST
@signed_in
def request_erasure(request: HttpRequest) -> HttpResponse:
    """The candidate asks to be erased; an officer decides."""
    services.request_erasure(request.user)
    messages.success(request, _("Your request is recorded; an officer will execute it or tell you why not."))
    return redirect("portal:privacy:my_data")


def _staff(request: HttpRequest) -> None:
    require_role(request.user, *services.ERASERS)


@signed_in
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Staff: the open erasure requests and the legal holds in force."""
    _staff(request)
    context = {
        "requests": selectors.erasure_requests_visible_to(request.user).filter(status="requested"),
        "holds": selectors.legal_holds_visible_to(request.user).filter(released_at__isnull=True),
    }
    return render(request, "portal/privacy/requests.html", context)


def _profile(profile_id: int) -> Profile:
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    return profile


def _person_page(request: HttpRequest, profile: Profile, errors: dict[str, str] | None = None) -> HttpResponse:
    context = {
        "profile": profile,
        "blockers": services.erasure_blockers(profile),
        "holds": selectors.legal_holds_visible_to(request.user).filter(profile=profile),
        "requests": selectors.erasure_requests_visible_to(request.user).filter(profile=profile, status="requested"),
        "errors": errors or {},
    }
    return render(request, "portal/privacy/person.html", context, status=400 if errors else 200)


@signed_in
def person(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Staff: one person's export links, what keeps their records, holds, and the erase button."""
    _staff(request)
    return _person_page(request, _profile(profile_id))


@signed_in
def person_export_json(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Staff: a person's export as JSON (audited)."""
    if not is_programme_staff(request.user):
        raise Http404
    return _download(export.export_for(request.user, profile_id), "json")


@signed_in
def person_export_pdf(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Staff: a person's export as PDF (audited)."""
    if not is_programme_staff(request.user):
        raise Http404
    return _download(export.export_for(request.user, profile_id), "pdf")


def _field_errors(error: DomainError) -> dict[str, str]:
    return {problem.field: problem.message for problem in error.errors}


@require_POST
@signed_in
def erase(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Staff: erase the person (refused, with the reason shown, while something keeps the records)."""
    _staff(request)
    profile = _profile(profile_id)
    request_id = request.POST.get("request_id") or None
    try:
        services.erase_person(request.user, profile.pk, request_id=int(request_id) if request_id else None)
    except (DomainError, ValueError) as error:
        errors = _field_errors(error) if isinstance(error, DomainError) else {"request_id": _("Not a number.")}
        return _person_page(request, profile, errors)
    messages.success(request, _("The person is erased; the receipt is recorded."))
    return redirect("portal:privacy:requests")


@require_POST
@signed_in
def place_hold(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Staff: place a legal hold (the reason is required)."""
    _staff(request)
    profile = _profile(profile_id)
    try:
        services.place_legal_hold(request.user, profile.pk, request.POST.get("reason", ""))
    except DomainError as error:
        return _person_page(request, profile, _field_errors(error))
    return redirect("portal:privacy:person", profile_id=profile.pk)


@require_POST
@signed_in
def release_hold(request: HttpRequest, hold_id: int) -> HttpResponse:
    """Staff: release a legal hold."""
    _staff(request)
    hold = services.release_legal_hold(request.user, hold_id)
    return redirect("portal:privacy:person", profile_id=hold.profile_id)


@require_POST
@signed_in
def refuse_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """Staff: refuse an erasure request with a reason."""
    _staff(request)
    erasure = selectors.erasure_requests_visible_to(request.user).filter(pk=request_id).first()
    if erasure is None:
        raise Http404
    try:
        services.refuse_erasure_request(request.user, request_id, request.POST.get("reason", ""))
    except DomainError as error:
        return _person_page(request, erasure.profile, _field_errors(error))
    return redirect("portal:privacy:requests")
