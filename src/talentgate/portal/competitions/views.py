"""Competition pages: the calls, a call (submit as a candidate; conflicts, assignment, ranking and awards as
staff; declarations as a panel reviewer), a reviewer's assignments, and a submission with the review form.

Reads go through ``competitions.selectors`` and writes through ``competitions.services``, so a reviewer gets 404 for
a submission not assigned to them exactly as in the API. A refusal re-renders the page with the error next to its
field and the refusal's status; a success redirects (post/redirect/get).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentgate.accounts.roles import Role
from talentgate.common.access import STAFF_ROLES, has_role, is_programme_staff, require_role
from talentgate.common.errors import DomainError, NotFound, PermissionRefused
from talentgate.competitions import selectors, services, wording
from talentgate.competitions.models import AssignmentRun, Call, PanelMember, Submission
from talentgate.portal.competitions import forms
from talentgate.portal.refusals import signed_in


@require_GET
@signed_in
def call_list(request: HttpRequest) -> HttpResponse:
    """Every call, newest first."""
    return render(request, "portal/competitions/calls.html", {"calls": selectors.calls_visible_to(request.user)})


def _run_wording(run: AssignmentRun, call: Call) -> dict[str, Any]:
    """The run's summary, uncovered submissions and each assignment's why, in the reader's language."""
    assignments = list(run.assignments.select_related("submission", "reviewer"))
    loads = Counter(a.reviewer_id for a in assignments)
    return {
        "run_summary": wording.run_summary(
            feasible=run.feasible,
            assigned=len(assignments),
            max_load=run.max_load,
            lower_bound=run.lower_bound,
            uncovered=len(run.uncovered),
        ),
        "run_uncovered": [(u["submission_id"], wording.uncovered_reason(u)) for u in run.uncovered],
        "run_assignments": [
            (
                a,
                wording.pair_reason(
                    a.reason,
                    load=loads[a.reviewer_id],
                    max_load=run.max_load,
                    reviews_per_submission=call.reviews_per_submission,
                ),
            )
            for a in assignments
        ],
    }


def _call_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    actor = request.user
    context: dict[str, Any] = {
        "call": call,
        "criteria": call.criteria.order_by("position"),
        "is_staff": is_programme_staff(actor),
    }
    if has_role(actor, Role.CANDIDATE):
        context["own_submission"] = Submission.objects.filter(call=call, candidate_id=actor.pk).first()
        if context["own_submission"] is None and "submission_form" not in extra:
            context["submission_form"] = forms.SubmissionForm(
                policy=services.eligibility_policy(call.policy_id, call.policy_version)
            )
    if has_role(actor, Role.REVIEWER) and PanelMember.objects.filter(call=call, reviewer_id=actor.pk).exists():
        context["declaration_form"] = extra.get("declaration_form") or forms.DeclarationForm()
    if context["is_staff"]:
        context["run"] = run = selectors.latest_run(actor, call.pk)
        if run is not None:
            context.update(_run_wording(run, call))
        context["conflicts"] = [
            (c, wording.conflict_reasons(c.reasons)) for c in selectors.conflicts_of_call(actor, call.pk)
        ]
        context["ranking"] = selectors.panel_ranking(actor, call.pk) if call.criteria.exists() else []
        context["awards"] = selectors.awards_of_call(actor, call.pk)
        context["award_form"] = extra.get("award_form") or forms.AwardForm()
    context.update(extra)
    return context


@require_GET
@signed_in
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call with what the viewer's role may do on it."""
    call = selectors.get_call_for(request.user, call_id)
    return render(request, "portal/competitions/call.html", _call_context(request, call))


@require_POST
@signed_in
def submit(request: HttpRequest, call_id: int) -> HttpResponse:
    """A candidate's submission; eligibility is decided by the call's policy and shown with its explanation."""
    call = selectors.get_call_for(request.user, call_id)
    form = forms.SubmissionForm(
        request.POST, request.FILES, policy=services.eligibility_policy(call.policy_id, call.policy_version)
    )
    if form.is_valid():
        try:
            submission = services.submit_entry(
                request.user,
                call.pk,
                title=form.cleaned_data["title"],
                abstract=form.cleaned_data["abstract"],
                institution=form.cleaned_data["institution"],
                country=form.cleaned_data["country"],
                eligibility_inputs=form.eligibility_inputs(),
                attachment=form.cleaned_data.get("attachment"),
            )
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_errors(form, error)
            return render(
                request,
                "portal/competitions/call.html",
                _call_context(request, call, submission_form=form),
                status=error.status,
            )
        messages.success(request, _("Your submission is recorded."))
        return redirect("portal:competitions:submission", submission.pk)
    return render(
        request, "portal/competitions/call.html", _call_context(request, call, submission_form=form), status=400
    )


@require_POST
@signed_in
def declare(request: HttpRequest, call_id: int) -> HttpResponse:
    """A panel reviewer declares a conflict or a co-authorship."""
    call = selectors.get_call_for(request.user, call_id)
    # Refuse outsiders before judging the form, as the service would.
    require_role(request.user, Role.REVIEWER)
    if not PanelMember.objects.filter(call=call, reviewer_id=request.user.pk).exists():
        raise NotFound("call")
    form = forms.DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.declare(request.user, call.pk, **form.cleaned_data)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            forms.show_errors(form, error)
        else:
            messages.success(request, _("Your declaration is recorded."))
            return redirect("portal:competitions:call", call.pk)
    return render(
        request, "portal/competitions/call.html", _call_context(request, call, declaration_form=form), status=400
    )


@require_POST
@signed_in
def assign(request: HttpRequest, call_id: int) -> HttpResponse:
    """Staff run the reviewer assignment; the run and its explanation show on the call page."""
    call = selectors.get_call_for(request.user, call_id)
    try:
        run = services.run_assignment(request.user, call.pk)
    except PermissionRefused:
        raise
    except DomainError as error:
        return render(
            request,
            "portal/competitions/call.html",
            _call_context(request, call, action_errors=error.errors),
            status=error.status,
        )
    messages.success(request, _run_wording(run, call)["run_summary"])
    return redirect("portal:competitions:call", call.pk)


@require_POST
@signed_in
def award(request: HttpRequest, call_id: int) -> HttpResponse:
    """Staff award a ranked submission (a relocation case is opened, or a mobility slot recorded)."""
    call = selectors.get_call_for(request.user, call_id)
    require_role(request.user, *STAFF_ROLES)
    form = forms.AwardForm(request.POST)
    if form.is_valid():
        try:
            services.make_award(
                request.user,
                call.pk,
                form.cleaned_data["submission_id"],
                mobility_slot=form.cleaned_data["mobility_slot"],
            )
        except PermissionRefused:
            raise
        except DomainError as error:
            forms.show_errors(form, error)
            return render(
                request,
                "portal/competitions/call.html",
                _call_context(request, call, award_form=form),
                status=error.status,
            )
        messages.success(request, _("The award is made."))
        return redirect("portal:competitions:call", call.pk)
    return render(request, "portal/competitions/call.html", _call_context(request, call, award_form=form), status=400)


@require_GET
@signed_in
def assignment_list(request: HttpRequest) -> HttpResponse:
    """The reviewer's assignments, with whether each is reviewed."""
    return render(
        request, "portal/competitions/assignments.html", {"assignments": selectors.assignments_of(request.user)}
    )


def _review_context(
    request: HttpRequest, submission: Submission, form: forms.ReviewForm | None = None
) -> dict[str, Any]:
    assigned = has_role(request.user, Role.REVIEWER)
    review = selectors.review_of(request.user, submission.pk) if assigned else None
    if assigned and form is None:
        initial = {f"score_{code}": value for code, value in (review.scores if review else {}).items()}
        initial["comment"] = review.comment if review else ""
        form = forms.ReviewForm(initial=initial, call=submission.call, submission_id=submission.pk)
    language = "ru" if (request.LANGUAGE_CODE or "en").startswith("ru") else "en"
    return {
        "submission": submission,
        "review_form": form,
        "review": review,
        "sentences": submission.eligibility_explanation.get("sentences", {}).get(language, []),
    }


@signed_in
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A submission its candidate, programme staff or an assigned reviewer may read; the reviewer scores it here."""
    submission = selectors.get_submission_for(request.user, submission_id)
    if request.method != "POST":
        return render(request, "portal/competitions/submission.html", _review_context(request, submission))
    form = forms.ReviewForm(request.POST, call=submission.call, submission_id=submission.pk)
    try:
        services.submit_review(
            request.user, submission.pk, scores=form.scores(), comment=request.POST.get("comment", "")
        )
    except PermissionRefused:
        raise
    except DomainError as error:
        form.is_valid()
        for name in list(form.errors):
            del form.errors[name]  # the service is the one judge of the scores; show only its errors
        forms.show_errors(form, error)
        return render(
            request,
            "portal/competitions/submission.html",
            _review_context(request, submission, form),
            status=error.status,
        )
    messages.success(request, _("Your review is saved."))
    return redirect("portal:competitions:submission", submission.pk)


@require_POST
@signed_in
def validate_score(request: HttpRequest, submission_id: int, field: str) -> HttpResponse:
    """Live validation of one score field (htmx): the field re-rendered with its error, if any."""
    submission = selectors.get_submission_for(request.user, submission_id)
    if not has_role(request.user, Role.REVIEWER):
        raise PermissionRefused()
    form = forms.ReviewForm(request.POST, call=submission.call, submission_id=submission.pk)
    if field not in form.fields:
        return HttpResponse(status=404)
    form.is_valid()
    for name in list(form.errors):
        del form.errors[name]
    code = field[len("score_") :]
    _, errors = services.validate_scores(submission.call, {code: request.POST.get(field, "")})
    for item in errors:
        if item.field == f"scores.{code}":
            form.add_error(field, item.message)
    return render(request, "portal/competitions/_score_field.html", {"field": form[field], "submission": submission})
