"""Matching pages. Officers create runs, start them and follow their progress and results; hosts see, per own
opportunity, the ranked candidates with reasons, submit their ranked list and make offers for placements;
candidates submit their ranked list of opportunities and see their placement and why.

Reads go through ``matching.selectors`` and writes through ``matching.services``: a permission refusal is
403, an object the person may not see 404, a rule broken by a form shows next to its field (400), and a
refused action (409) comes back to the page with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentgate.common.access import is_programme_staff
from talentgate.common.errors import DomainError, NotFound, PermissionRefused
from talentgate.hosts.selectors import membership_of
from talentgate.matching import selectors, services
from talentgate.matching.models import RunStatus
from talentgate.portal.matching import forms
from talentgate.portal.refusals import signed_in

View = Callable[..., HttpResponse]


@require_http_methods(["GET", "POST"])
@signed_in
def run_list(request: HttpRequest) -> HttpResponse:
    """The runs the person takes part in (hosts and applicants: to rank and see results); programme staff see
    every run and the form that opens a new one (the service decides who may open one)."""
    from talentgate.programmes.selectors import programmes_visible_to

    staff = is_programme_staff(request.user)
    if request.method == "POST" and not staff:
        raise PermissionDenied
    programmes = [(p.pk, str(p)) for p in programmes_visible_to(request.user)] if staff else []
    form = forms.RunForm(request.POST or None, programmes=programmes)
    forms.enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "run"}))
    if request.method == "POST" and form.is_valid():
        try:
            run = services.create_matching_run(request.user, **form.cleaned_data)
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The run is open for ranked lists until its deadline."))
            return redirect("portal:matching:run", run_id=run.pk)
    context = {"form": form if staff else None, "runs": selectors.runs_visible_to(request.user)[:100]}
    return render(request, "portal/matching/run_list.html", context, status=400 if form.errors else 200)


@require_GET
@signed_in
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run as the person may see it: staff its progress and results, hosts their own opportunities' part,
    candidates their own ranked list and placement. htmx polls the progress fragment while it runs."""
    user = request.user
    run = selectors.get_run_for(user, run_id)
    context: dict[str, Any] = {
        "run": run,
        "accepts_preferences": selectors.accepts_preferences(run),
        "percent": round(run.job.progress * 100) if run.job is not None else 0,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "portal/matching/_progress.html", context)
    if is_programme_staff(user):
        context["staff"] = True
        if run.status == RunStatus.DONE:
            context["results"] = selectors.results_of_run(user, run.pk)[:500]
    elif membership_of(user) is not None:
        context["host"] = True
        context["opportunities"] = selectors.own_opportunities(user)
        if run.status == RunStatus.DONE:
            context["placements"] = selectors.host_placements(user, run.pk)
    else:
        context["candidate"] = True
        context["placement"] = selectors.own_results(user).filter(run=run).first()
        context["preference"] = selectors.own_candidate_preference(user, run)
    return render(request, "portal/matching/run_detail.html", context)


@require_POST
@signed_in
def run_start(request: HttpRequest, run_id: int) -> HttpResponse:
    """Start the run (officers and supervisors); the page then follows its progress."""
    try:
        services.start_matching_run(request.user, run_id)
    except (NotFound, PermissionRefused):
        raise
    except DomainError as error:
        for item in error.errors:
            messages.error(request, item.message)
    return redirect("portal:matching:run", run_id=run_id)


@require_http_methods(["GET", "POST"])
@signed_in
def my_ranking(request: HttpRequest, run_id: int) -> HttpResponse:
    """The applicant's ranked list of open opportunities for a run, before its deadline."""
    run = selectors.get_run_for(request.user, run_id)
    selectors.own_application_in(request.user, run)  # only an applicant in the run's pool ranks
    preference = selectors.own_candidate_preference(request.user, run)
    initial = {"ids": ", ".join(str(i) for i in preference.ranking)} if preference else {}
    form = forms.RankingForm(request.POST or None, initial=initial, field_name="opportunity_ids")
    forms.enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "ranking"}))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_candidate_preference(request.user, run.pk, form.ranked_ids())
        except (NotFound, PermissionRefused):
            raise
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Your ranked list is saved; you may change it until the deadline."))
            return redirect("portal:matching:run", run_id=run.pk)
    context = {
        "run": run,
        "form": form,
        "choices": selectors.open_opportunities().select_related("organisation"),
        "accepts_preferences": selectors.accepts_preferences(run),
    }
    return render(request, "portal/matching/my_ranking.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@signed_in
def opportunity_ranking(request: HttpRequest, run_id: int, opportunity_id: int) -> HttpResponse:
    """An own opportunity in a run: the host's ranked list (before the deadline) and, once the run is done,
    the ranked candidates with reasons, the placed ones with a prefilled "make offer" link."""
    run = selectors.get_run_for(request.user, run_id)
    shortlist = selectors.shortlist_for_host(request.user, run.pk, opportunity_id)
    if membership_of(request.user) is None:
        raise PermissionDenied  # programme staff read shortlists through the run's results and the API
    preference = selectors.host_preference_for(request.user, run, opportunity_id)
    initial = {"ids": ", ".join(str(i) for i in preference.ranking)} if preference else {}
    form = forms.RankingForm(request.POST or None, initial=initial, field_name="application_ids")
    forms.enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "ranking"}))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_host_preference(request.user, run.pk, opportunity_id, form.ranked_ids())
        except (NotFound, PermissionRefused):
            raise
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Your ranked list is saved; you may change it until the deadline."))
            return redirect("portal:matching:opportunity", run_id=run.pk, opportunity_id=opportunity_id)
    context = {
        "run": run,
        "opportunity": selectors.own_opportunities(request.user).filter(pk=opportunity_id).first(),
        "opportunity_id": opportunity_id,
        "form": form,
        "shortlist": shortlist,
        "pool": selectors.pool_visible_to_host(request.user, run.pk),
        "accepts_preferences": selectors.accepts_preferences(run),
    }
    return render(request, "portal/matching/opportunity.html", context, status=400 if form.errors else 200)


@require_POST
@signed_in
def validate(request: HttpRequest, form_name: str) -> HttpResponse:
    """Re-renders one field of a matching form with its errors (shape only; the service checks the rest)."""
    form: forms.RunForm | forms.RankingForm
    if form_name == "run":
        if not is_programme_staff(request.user):
            raise PermissionDenied
        from talentgate.programmes.selectors import programmes_visible_to

        choices = [(p.pk, str(p)) for p in programmes_visible_to(request.user)]
        form = forms.RunForm(request.POST, programmes=choices)
    elif form_name == "ranking":
        form = forms.RankingForm(request.POST, field_name="")
    else:
        raise Http404
    forms.enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": form_name}))
    name = request.POST.get("_field", "")
    if name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()
    return render(request, "portal/matching/_field.html", {"field": form[name]})


@require_GET
@signed_in
def my_placements(request: HttpRequest) -> HttpResponse:
    """The candidate's placements in finished runs, with the reasons."""
    context = {"placements": selectors.own_results(request.user), "now": timezone.now()}
    return render(request, "portal/matching/my_placements.html", context)
