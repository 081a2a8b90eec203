"""Matching pages. Officers create runs, start them and follow their progress and results; hosts see, per own
opportunity, the ranked candidates with reasons, submit their ranked list and make offers for placements;
candidates submit their ranked list of opportunities and see their placement and why, and may form a dual-career
couple with another applicant of the run (propose, confirm, withdraw, joint ranked list of pairs).

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
from talentgate.portal.live import enable_live_validation
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
    enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "run"}))
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
    enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "ranking"}))
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
    enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": "ranking"}))
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


COUPLE_ACTIONS = ("propose", "confirm", "withdraw", "rank")


@require_http_methods(["GET", "POST"])
@signed_in
def my_couple(request: HttpRequest, run_id: int) -> HttpResponse:
    """The applicant's dual-career couple in a run: propose one (naming the partner's application id), confirm
    or decline one proposed to them, withdraw, and submit the joint ranked list of pairs once both confirmed."""
    user = request.user
    run = selectors.get_run_for(user, run_id)
    application = selectors.own_application_in(user, run)  # only an applicant in the run's pool has a couple
    couple = selectors.own_couple_in(user, run)
    swap = couple is not None and couple.second_id == application.pk
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in COUPLE_ACTIONS:
        return HttpResponse(status=400)
    partner_form = forms.PartnerForm(request.POST if action == "propose" else None)
    initial = {"lines": forms.CoupleRankingForm.as_lines(couple.ranking, swap)} if couple is not None else {}
    ranking_form = forms.CoupleRankingForm(request.POST if action == "rank" else None, initial=initial, swap=swap)
    done = {
        "propose": _("Your partner now confirms the couple from their own page."),
        "confirm": _("The couple is confirmed: submit your joint ranked list before the deadline."),
        "withdraw": _("The couple is withdrawn; you both rank on your own."),
        "rank": _("Your joint ranked list is saved; either of you may change it until the deadline."),
    }
    try:
        if action == "propose" and partner_form.is_valid():
            services.propose_couple(user, run.pk, partner_form.cleaned_data["partner_application_id"])
        elif action == "rank" and ranking_form.is_valid() and couple is not None:
            services.submit_couple_preference(user, couple.pk, ranking_form.pairs())
        elif action in ("confirm", "withdraw") and couple is not None:
            change = services.confirm_couple if action == "confirm" else services.withdraw_couple
            change(user, couple.pk)
        elif action in ("confirm", "withdraw", "rank") and couple is None:
            raise Http404
    except (NotFound, PermissionRefused):
        raise
    except DomainError as error:
        if action == "rank":
            ranking_form.show(error)
        elif action == "propose":
            forms.show_domain_error(partner_form, error)
        else:
            for item in error.errors:
                messages.error(request, item.message)
            return redirect("portal:matching:couple", run_id=run.pk)
    else:
        if action and not partner_form.errors and not ranking_form.errors:
            messages.success(request, done[action])
            return redirect("portal:matching:couple", run_id=run.pk)
    partner = None if couple is None else (couple.first if swap else couple.second)
    context = {
        "run": run,
        "application": application,
        "couple": couple,
        "partner": partner,
        "i_proposed": couple is not None and not swap,
        "partner_form": partner_form,
        "form": ranking_form,
        "choices": selectors.open_opportunities().select_related("organisation"),
        "accepts_preferences": selectors.accepts_preferences(run),
    }
    invalid = bool(partner_form.errors or ranking_form.errors)
    return render(request, "portal/matching/couple.html", context, status=400 if invalid else 200)


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
    enable_live_validation(form, reverse("portal:matching:validate", kwargs={"form_name": form_name}))
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
