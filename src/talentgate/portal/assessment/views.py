"""Assessment pages: a candidate's scores with reasons in their language and "where would I qualify?"; the
officers' breakdown and side-by-side comparison; policy versions with review, impact preview and publication;
pool reassessment with job progress; selection rounds with their what-if chart, approval, run and fairness.

Every read goes through ``assessment.selectors`` (or the service that computes it) and every write through
``assessment.services`` / ``assessment.rounds``, so the pages refuse exactly what the API refuses: a
permission refusal is 403, an object the person may not see 404, and a rule broken by a form shows next
to its field; a refused action (409) comes back to the page with the reason, with its status code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentgate.accounts.roles import Role
from talentgate.assessment import policies, rounds, selectors, services
from talentgate.assessment.models import PolicyStatus
from talentgate.common.access import has_role, is_programme_staff, role_of
from talentgate.common.errors import DomainError, NotFound, PermissionRefused
from talentgate.portal.assessment import charts, forms
from talentgate.portal.refusals import signed_in

View = Callable[..., HttpResponse]


def _lang() -> str:
    return "ru" if (get_language() or "").startswith("ru") else "en"


def staff_only(view: View) -> View:
    @signed_in
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_programme_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _refused(request: HttpRequest, error: DomainError, target: str, **kwargs: Any) -> HttpResponse:
    """A refused action (not a permission matter, e.g. a round that has run): back to the page, the reason shown."""
    for item in error.errors:
        messages.error(request, item.message)
    return redirect(target, **kwargs)


# --- the candidate's scores ----------------------------------------------------------------------


@require_GET
@signed_in
def my_scores(request: HttpRequest) -> HttpResponse:
    """The candidate's applications, each with its newest assessment explained in their language."""
    if role_of(request.user) is not Role.CANDIDATE:
        raise PermissionDenied
    lang = _lang()
    found = selectors.assessments_visible_to(request.user).select_related("application__programme")
    latest: dict[int, Any] = {}
    for assessment in found.order_by("-created_at", "-pk"):
        latest.setdefault(assessment.application_id, assessment)
    rows = [
        {"programme": a.application.programme, "assessment": selectors.named(selectors.explained(a, lang), lang)}
        for a in latest.values()
    ]
    return render(request, "portal/assessment/my_scores.html", {"rows": rows})


@require_GET
@signed_in
def where_qualify(request: HttpRequest) -> HttpResponse:
    """ "Where would I qualify?": the candidate's own profile under every published policy in force today."""
    if role_of(request.user) is not Role.CANDIDATE:
        raise PermissionDenied
    lang = _lang()
    rows = [_comparison(row, lang) for row in services.compare_policies(request.user)]
    return render(request, "portal/assessment/qualify.html", {"rows": rows})


def _comparison(row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        **row,
        "title": row["title"][lang],
        "category_labels": [label[lang] for label in row["category_labels"]],
        "gates": [{**g, "reason": g["reason"][lang]} for g in row["gates"]],
        "factors": [{**f, "reason": f["reason"][lang]} for f in row["factors"]],
    }


# --- breakdown and side-by-side ------------------------------------------------------------------


@require_GET
@signed_in
def application_assessment(request: HttpRequest, application_id: int) -> HttpResponse:
    """An application's assessments, the newest explained factor by factor (the candidate's own, or staff)."""
    history = list(selectors.assessments_of_application(request.user, application_id))
    lang = _lang()
    context = {
        "application_id": application_id,
        "latest": selectors.named(selectors.explained(history[0], lang), lang) if history else None,
        "history": history,
        "can_assess": is_programme_staff(request.user),
    }
    return render(request, "portal/assessment/application.html", context)


@require_POST
@staff_only
def assess_now(request: HttpRequest, application_id: int) -> HttpResponse:
    """Staff assess an application now (the stored result when nothing changed)."""
    try:
        services.assess_application(request.user, application_id)
    except (NotFound, PermissionRefused):
        raise
    except DomainError as error:
        return _refused(request, error, "portal:assessment:application", application_id=application_id)
    messages.success(request, _("The application is assessed."))
    return redirect("portal:assessment:application", application_id=application_id)


@require_GET
@signed_in
def compare_profile(request: HttpRequest, external_id: str) -> HttpResponse:
    """One candidate under every published policy side by side (staff, or the candidate for their own profile)."""
    lang = _lang()
    rows = [_comparison(row, lang) for row in services.compare_policies(request.user, external_id)]
    factor_rows = [
        {"policy": row["policy"], "title": row["title"], "factors": row["factors"], "groups": row["groups"]}
        for row in rows
    ]
    return render(
        request,
        "portal/assessment/compare.html",
        {"rows": rows, "factor_rows": factor_rows, "external_id": external_id},
    )


# --- policy versions -----------------------------------------------------------------------------


@require_GET
@signed_in
def policy_list(request: HttpRequest) -> HttpResponse:
    """Policy versions: published ones for everyone signed in, every version for programme staff."""
    versions = selectors.policy_versions_visible_to(request.user).order_by("policy_id", "-effective_from", "pk")
    status = request.GET.get("status") or ""
    if status in PolicyStatus.values:
        versions = versions.filter(status=status)
    return render(
        request,
        "portal/assessment/policy_list.html",
        {
            "versions": versions,
            "status": status,
            "statuses": PolicyStatus.choices,
            "can_draft": is_programme_staff(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def policy_create(request: HttpRequest) -> HttpResponse:
    """Write a draft version (its YAML validated by the engine; problems shown next to the field)."""
    form = forms.PolicyDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.create_policy_draft(request.user, form.cleaned_data["yaml_text"])
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The draft is saved; someone else must review it."))
            return redirect("portal:assessment:policy", version_id=version.pk)
    status = 400 if form.errors else 200
    return render(request, "portal/assessment/policy_form.html", {"form": form}, status=status)


@require_POST
@staff_only
def policy_validate(request: HttpRequest) -> HttpResponse:
    """Live validation (htmx, on change): the YAML field alone, with the engine's problems next to it."""
    form = forms.PolicyDraftForm(request.POST)
    text = request.POST.get("yaml_text", "")
    if form.is_valid():
        from talentgate.engines.rules.loader import PolicyInvalid

        try:
            policies.parse_policy_text(text.strip() + "\n", "uploaded policy")
        except PolicyInvalid as error:
            for problem in error.problems:
                form.add_error("yaml_text", f"line {problem.line}: {problem.path or '(policy)'}: {problem.rule}")
    return render(request, "portal/assessment/_yaml_field.html", {"field": form["yaml_text"]})


@require_GET
@signed_in
def policy_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version: its dates, source, status, YAML and (staff) its last impact preview and the next action."""
    version = selectors.get_policy_version_for(request.user, version_id)
    impact = version.impact or None
    return render(
        request,
        "portal/assessment/policy_detail.html",
        {
            "version": version,
            "title": version.title_ru if _lang() == "ru" else version.title_en,
            "impact": impact,
            "is_staff": is_programme_staff(request.user),
            "shift_chart": _shift_chart(impact) if impact else None,
        },
    )


def _shift_chart(impact: dict[str, Any]) -> Any:
    bins = [
        {"from": b["from"], "to": b["to"], "pool": b["count"], "invited": 0} for b in impact["score_shift"]["histogram"]
    ]
    return charts.score_histogram(
        bins,
        None,
        _("Score shift against the published version"),
        _("How many candidates gain or lose how many points."),
    )


def _object_action(action: Callable[[Any, int], Any], success: Any, page: str, id_name: str) -> View:
    """A POST view that runs ``action(actor, id)`` and returns to the object's page (``page``, keyed by ``id_name``).

    Refusals that say "not yours" stay 404/403; any other refusal is shown on the object's page.
    """

    @require_POST
    @staff_only
    def view(request: HttpRequest, **ids: int) -> HttpResponse:
        object_id = ids[id_name]
        try:
            action(request.user, object_id)
        except (NotFound, PermissionRefused):
            raise
        except DomainError as error:
            return _refused(request, error, page, **{id_name: object_id})
        messages.success(request, success)
        return redirect(reverse(page, kwargs={id_name: object_id}))

    view.__name__ = action.__name__
    view.__doc__ = action.__doc__
    return view


def _policy_action(action: Callable[[Any, int], Any], success: Any) -> View:
    return _object_action(action, success, "portal:assessment:policy", "version_id")


policy_review = _policy_action(services.review_policy_version, gettext_lazy("The version is reviewed."))
policy_impact = _policy_action(services.impact_preview, gettext_lazy("The impact on the current pool is computed."))
policy_publish = _policy_action(services.publish_policy_version, gettext_lazy("The version is published."))
policy_retire = _policy_action(services.retire_policy_version, gettext_lazy("The version is retired."))


# --- pool reassessment ---------------------------------------------------------------------------


def _published_ids() -> list[str]:
    return sorted({v.policy_id for v in policies.published_in_force(services.today())})


@require_http_methods(["GET", "POST"])
@staff_only
def reassess(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Reassess a programme's pool as a background job, then follow its progress."""
    from talentgate.programmes.selectors import get_programme_for

    programme = get_programme_for(request.user, programme_id)
    form = forms.ReassessForm(request.POST or None, policy_ids=_published_ids())
    if request.method == "POST" and form.is_valid():
        try:
            job = services.reassess_pool(request.user, programme.pk, form.cleaned_data["policy_id"] or None)
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return redirect("portal:assessment:job", job_id=job.pk)
    context = {"form": form, "programme": programme, "pool": services.pool_applications(programme.pk).count()}
    return render(request, "portal/assessment/reassess.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_only
def programme_policy(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The policy a programme assesses with; administrators and supervisors change it (the service decides)."""
    from talentgate.programmes.selectors import get_programme_for

    programme = get_programme_for(request.user, programme_id)
    current = policies.policy_id_for_programme(programme.pk)
    form = forms.ProgrammePolicyForm(request.POST or None, policy_ids=_published_ids(), initial={"policy_id": current})
    if request.method == "POST" and form.is_valid():
        try:
            link = services.set_programme_policy(request.user, programme.pk, form.cleaned_data["policy_id"])
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The programme now assesses with %(policy)s.") % {"policy": link.policy_id})
            return redirect("portal:assessment:programme_policy", programme_id=programme.pk)
    may_change = has_role(request.user, Role.ADMINISTRATOR, Role.SUPERVISOR)
    context = {"form": form, "programme": programme, "current": current, "may_change": may_change}
    return render(request, "portal/assessment/programme_policy.html", context, status=400 if form.errors else 200)


@require_GET
@staff_only
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """A reassessment job's progress; htmx polls the fragment until the job has finished."""
    job = services.get_reassessment_job(request.user, job_id)
    template = (
        "portal/assessment/_job.html" if request.headers.get("HX-Request") == "true" else "portal/assessment/job.html"
    )
    return render(request, template, {"job": job, "percent": round(job.progress * 100)})


# --- selection rounds ----------------------------------------------------------------------------


@require_GET
@staff_only
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/assessment/round_list.html", {"rounds": selectors.rounds_listed_for(request.user)})


@require_http_methods(["GET", "POST"])
@staff_only
def round_define(request: HttpRequest) -> HttpResponse:
    """An officer defines a round: policy, category, invitations or cutoff (ties by submission time)."""
    from talentgate.programmes.selectors import programmes_visible_to

    programmes = [(p.pk, str(p)) for p in programmes_visible_to(request.user)]
    form = forms.RoundForm(request.POST or None, programmes=programmes, policy_ids=_published_ids())
    if request.method == "POST" and form.is_valid():
        try:
            selection_round = rounds.define_round(request.user, **form.cleaned_data)
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            return redirect("portal:assessment:round", round_id=selection_round.pk)
    return render(request, "portal/assessment/round_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@staff_only
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round, its what-if (with the score chart), and the action its status allows."""
    selection_round = selectors.get_round_for(request.user, round_id)
    preview = selection_round.preview or None
    chart = None
    if preview:
        chart = charts.score_histogram(
            preview["histogram"],
            preview["cutoff"],
            _("Scores of the ranked pool"),
            _("Candidates per score band; the darker part of each bar is invited; the dashed line is the cutoff."),
        )
    return render(
        request,
        "portal/assessment/round_detail.html",
        {"round": selection_round, "preview": preview, "chart": chart, "result": selection_round.result or None},
    )


def _round_action(action: Callable[[Any, int], Any], success: Any) -> View:
    return _object_action(action, success, "portal:assessment:round", "round_id")


round_preview = _round_action(rounds.preview_round, gettext_lazy("The what-if is computed."))
round_approve = _round_action(rounds.approve_round, gettext_lazy("The round is approved."))
round_run = _round_action(rounds.run_round, gettext_lazy("The round has run."))


@require_GET
@staff_only
def round_fairness(request: HttpRequest, round_id: int) -> HttpResponse:
    """Score distributions of the ranked pool and the invited by world region and by sex."""
    selection_round = selectors.get_round_for(request.user, round_id)
    try:
        report = rounds.round_fairness(request.user, round_id)
    except (NotFound, PermissionRefused):
        raise
    except DomainError as error:
        return _refused(request, error, "portal:assessment:round", round_id=round_id)
    return render(request, "portal/assessment/fairness.html", {"round": selection_round, "report": report})
