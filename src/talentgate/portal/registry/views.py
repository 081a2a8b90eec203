"""The cooperation registry's pages, open to everyone signed in: countries with their M49 regions and blocs,
blocs with their memberships as of a day, organisations, agreements, facilities and exchange programmes.

Every read goes through ``cooperation.selectors``; the pages only read. Filters are GET forms (htmx reloads
the page on change; without script the button does); a malformed filter is shown next to its field with
status 400 (200 to htmx, which does not swap error responses). Bloc and region filters here serve the
registry and analytics, never a merit round's selection.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talentgate.cooperation import completeness, selectors
from talentgate.cooperation.models import MembershipKind
from talentgate.portal.refusals import signed_in
from talentgate.portal.registry import forms

PAGE_SIZE = 50


def _status(request: HttpRequest, form: Any) -> int:
    if form.is_valid() or request.headers.get("HX-Request") == "true":
        return 200
    return 400


def _day(form: Any) -> Any:
    return (form.cleaned_data.get("on") if form.is_valid() else None) or selectors.today()


@require_GET
@signed_in
def index(request: HttpRequest) -> HttpResponse:
    """The registry's front page: each bloc with its members and partners on a day, and the other sections."""
    actor = request.user
    form = forms.AsOfForm(request.GET)
    day = _day(form)
    blocs = []
    for bloc in selectors.blocs_visible_to(actor):
        counts = selectors.members_on(bloc, day)
        others = [
            (MembershipKind(kind).label, n) for kind, n in sorted(counts.items()) if kind != MembershipKind.MEMBER
        ]
        blocs.append((bloc, counts.get(MembershipKind.MEMBER, 0), others))
    context = {
        "form": form,
        "day": day,
        "blocs": blocs,
        "organisation_count": selectors.organisations_visible_to(actor).count(),
        "agreement_count": selectors.agreements_visible_to(actor).count(),
        "facility_count": selectors.facilities_visible_to(actor).count(),
        "exchange_count": selectors.exchange_programmes_visible_to(actor).count(),
        "problem_count": len(completeness.registry_problems()),
    }
    return render(request, "portal/registry/index.html", context, status=_status(request, form))


@require_GET
@signed_in
def country_list(request: HttpRequest) -> HttpResponse:
    """Countries filtered by bloc or organisation (on a day), M49 region and sub-region, name or code."""
    form = forms.CountryFilterForm(request.GET, actor=request.user)
    day = _day(form)
    countries = selectors.countries_visible_to(request.user, form.query() if form.is_valid() else None)
    page = Paginator(countries, PAGE_SIZE).get_page(request.GET.get("page"))
    blocs = selectors.blocs_of_countries([c.iso_alpha2 for c in page], day)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "day": day,
        "page": page,
        "rows": [(country, blocs.get(country.iso_alpha2, [])) for country in page],
        "query": query.urlencode(),
    }
    return render(request, "portal/registry/country_list.html", context, status=_status(request, form))


@require_GET
@signed_in
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One country: its M49 place, memberships (those holding on the day marked), agreements, facilities, quotas."""
    form = forms.AsOfForm(request.GET)
    profile = selectors.get_country_for(request.user, code, _day(form))
    context = {"form": form, "profile": profile, "day": profile.on, "country": profile.country}
    return render(request, "portal/registry/country_detail.html", context, status=_status(request, form))


@require_GET
@signed_in
def bloc_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A bloc with its memberships as of a day (and their status that day), then its whole history."""
    actor = request.user
    bloc = selectors.get_bloc_for(actor, code)
    form = forms.MembershipFilterForm(request.GET)
    day = _day(form)
    kind = form.cleaned_data.get("kind") if form.is_valid() else ""
    current = selectors.bloc_memberships_for(actor, code, on=day, kinds=[kind] if kind else [])
    context = {
        "form": form,
        "bloc": bloc,
        "day": day,
        "current": [(membership, membership.status_on(day)) for membership in current],
        "history": selectors.bloc_memberships_for(actor, code),
        "organisations": selectors.organisations_visible_to(actor, bloc=code),
    }
    return render(request, "portal/registry/bloc_detail.html", context, status=_status(request, form))


@require_GET
@signed_in
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationFilterForm(request.GET, actor=request.user)
    bloc = form.cleaned_data.get("bloc", "") if form.is_valid() else ""
    context = {"form": form, "organisations": selectors.organisations_visible_to(request.user, bloc=bloc)}
    return render(request, "portal/registry/organisation_list.html", context, status=_status(request, form))


@require_GET
@signed_in
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation with its memberships as of a day, its history, facilities, programmes and agreements."""
    actor = request.user
    organisation = selectors.get_organisation_for(actor, code)
    form = forms.MembershipFilterForm(request.GET)
    day = _day(form)
    kind = form.cleaned_data.get("kind") if form.is_valid() else ""
    current = selectors.organisation_memberships_for(actor, code, on=day, kinds=[kind] if kind else [])
    context = {
        "form": form,
        "organisation": organisation,
        "day": day,
        "current": [(membership, membership.status_on(day)) for membership in current],
        "history": selectors.organisation_memberships_for(actor, code),
        "facilities": selectors.facilities_visible_to(actor, organisation=code),
        "programmes": selectors.exchange_programmes_visible_to(actor, organisation=code),
        "agreements": selectors.agreements_visible_to(actor, selectors.AgreementFilter(organisation=code)),
    }
    return render(request, "portal/registry/organisation_detail.html", context, status=_status(request, form))


@require_GET
@signed_in
def agreement_list(request: HttpRequest) -> HttpResponse:
    form = forms.AgreementFilterForm(request.GET, actor=request.user)
    agreements = selectors.agreements_visible_to(request.user, form.query() if form.is_valid() else None)
    context = {"form": form, "agreements": agreements}
    return render(request, "portal/registry/agreement_list.html", context, status=_status(request, form))


@require_GET
@signed_in
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.get_agreement_for(request.user, agreement_id)
    return render(request, "portal/registry/agreement_detail.html", {"agreement": agreement})


@require_GET
@signed_in
def facility_list(request: HttpRequest) -> HttpResponse:
    form = forms.FacilityFilterForm(request.GET, actor=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    facilities = selectors.facilities_visible_to(
        request.user, organisation=data.get("organisation", ""), region=data.get("region", "")
    )
    context = {"form": form, "facilities": facilities}
    return render(request, "portal/registry/facility_list.html", context, status=_status(request, form))


@require_GET
@signed_in
def facility_detail(request: HttpRequest, code: str) -> HttpResponse:
    facility = selectors.get_facility_for(request.user, code)
    return render(request, "portal/registry/facility_detail.html", {"facility": facility})


@require_GET
@signed_in
def exchange_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.exchange_programmes_visible_to(request.user)
    return render(request, "portal/registry/exchange_list.html", {"programmes": programmes})


@require_GET
@signed_in
def exchange_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A programme with its quotas per partner country and year: places, and where tracked, used and remaining."""
    programme = selectors.get_exchange_programme_for(request.user, code)
    form = forms.QuotaFilterForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    context = {"form": form, "programme": programme, "quotas": selectors.quotas_for(request.user, code, year=year)}
    return render(request, "portal/registry/exchange_detail.html", context, status=_status(request, form))
