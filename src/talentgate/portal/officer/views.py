"""Officers' pages: application queues with bulk actions, the application page, and organisation verification.

Open to programme staff (officers, supervisors, administrators); anyone else signed in
gets 403 and anonymous visitors are sent to sign in. Every read goes through
``programmes.selectors`` and every write through a domain service, so the pages refuse
exactly what the API refuses: a refusal is shown with the rule the service named, with
its status code (403, 409...), never as a server error.

Actions posted by htmx (``HX-Request``) answer with the fragment to swap in; htmx does not
swap error responses, so a refused htmx action answers 200 with the refusal shown inside
the fragment. Posted without htmx, a success redirects back (post/redirect/get) and a
refusal renders the whole page with the error and the refusal's status code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentgate.candidates import services as candidate_services
from talentgate.candidates.models import Document
from talentgate.common.access import is_programme_staff
from talentgate.common.crypto import mask
from talentgate.common.errors import DomainError, NotFound
from talentgate.hosts import services as host_services
from talentgate.hosts.models import Verification
from talentgate.identity import selectors as identity_selectors
from talentgate.portal.live import is_valid_scope
from talentgate.portal.officer import forms
from talentgate.programmes import selectors, services
from talentgate.programmes.models import Application, ApplicationStatus

PAGE_SIZE = 25

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """Signed-in programme staff only: others get 403, anonymous visitors the sign-in page."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_programme_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _query_string(params: QueryDict, **changes: str) -> str:
    """``params`` with ``changes`` applied and the page number dropped (a new filter starts at page 1)."""
    copy = params.copy()
    copy.pop("page", None)
    for name, value in changes.items():
        copy[name] = value
    return copy.urlencode()


# --- queues --------------------------------------------------------------------------------------------------------


def _queue_context(request: HttpRequest, bulk_form: forms.BulkActionForm | None = None) -> tuple[dict[str, Any], int]:
    """The queue page's context for the filters in the query string, and the status to answer with."""
    actor = request.user
    filter_form = forms.QueueFilterForm(request.GET, actor=actor)
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "bulk_form": bulk_form or forms.BulkActionForm(),
        "stage": filter_form.data.get("stage") or forms.DEFAULT_STAGE,
        "page": None,
        "stage_tabs": [],
        "query_string": _query_string(request.GET),
        # Ticked rows stay ticked when a refused bulk action shows the page again.
        "selected": set(bulk_form.cleaned_data.get("application") or []) if bulk_form and bulk_form.is_bound else set(),
    }
    if not filter_form.is_valid():
        return context, 400
    query = filter_form.query()
    try:
        applications = selectors.applications_matching(actor, query)
        counts = selectors.application_stage_counts(actor, query)
    except DomainError as refusal:
        filter_form.add_domain_errors(refusal)
        return context, refusal.status
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    country_names = filter_form.country_names
    context.update(
        page=page,
        rows=[(application, country_names.get(application.profile.residence_country, "")) for application in page],
        stage=query.stages[0],
        stage_tabs=[
            {
                "stage": stage,
                "label": label,
                "count": counts.get(stage, 0),
                "query": _query_string(request.GET, stage=stage),
                "archive": stage in selectors.ARCHIVE_STAGES,
            }
            for stage, label in forms.STAGE_CHOICES
        ],
    )
    return context, 200 if bulk_form is None or not bulk_form.errors else 400


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    """Applications in one stage, filtered, sorted and paged, with the count of every stage and bulk actions."""
    context, status = _queue_context(request)
    return render(request, "portal/officer/queue.html", context, status=status)


@require_POST
@staff_only
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Run one action on the ticked applications, each on its own, and report what happened to each one."""
    form = forms.BulkActionForm(request.POST)
    if form.is_valid():
        try:
            outcomes = services.bulk_move_applications(
                request.user,
                form.cleaned_data["application"],
                form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as refusal:
            form.add_domain_errors(refusal)
        else:
            found = selectors.applications_visible_to(request.user).in_bulk([o.application_id for o in outcomes])
            context = {
                "action_label": forms.TRANSITION_LABELS[form.cleaned_data["action"]],
                "results": [(outcome, found.get(outcome.application_id)) for outcome in outcomes],
                "moved": sum(1 for o in outcomes if o.moved),
                "refused": sum(1 for o in outcomes if not o.moved),
                "back_query": _query_string(request.GET),
            }
            return render(request, "portal/officer/bulk_result.html", context)
    context, status = _queue_context(request, bulk_form=form)
    return render(request, "portal/officer/queue.html", context, status=max(status, 400))


# --- the application page --------------------------------------------------------------------------------------------


def _application_or_404(request: HttpRequest, application_id: int) -> Application:
    try:
        return selectors.get_application_detail_for(request.user, application_id)
    except NotFound:
        raise Http404 from None


def _document_items(
    documents: list[Document], bound: dict[int, forms.DocumentRejectForm], errors: dict[int, str]
) -> list[dict[str, Any]]:
    """Each document with its reject form (the one just posted, if any) and the refusal to show beside it."""
    return [
        {
            "document": document,
            "reject_form": bound.get(document.pk) or forms.DocumentRejectForm(scope=f"document-{document.pk}"),
            "error": errors.get(document.pk, ""),
        }
        for document in documents
    ]


def _application_context(
    request: HttpRequest,
    application: Application,
    *,
    transition_forms: dict[str, forms.TransitionForm] | None = None,
    refusal: DomainError | None = None,
    document_forms: dict[int, forms.DocumentRejectForm] | None = None,
    document_errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    profile = application.profile
    options = selectors.transition_options_for(request.user, application)
    transition_forms = transition_forms or {}
    return {
        "application": application,
        "profile": profile,
        "identity_documents": [
            {
                "kind": d.get_kind_display(),
                "number": mask(d.number),
                "country": d.issuing_country,
                "expires_on": d.expires_on,
            }
            for d in profile.identity_documents.all()
        ],
        "documents": _document_items(list(profile.documents.all()), document_forms or {}, document_errors or {}),
        "history": list(application.history.all()),
        "transitions": [
            {
                "option": option,
                "label": forms.TRANSITION_LABELS[option.name],
                "target_label": ApplicationStatus(option.target).label,
                "form": transition_forms.get(option.name)
                or forms.TransitionForm(
                    initial={"expected_status": application.status},
                    transition=option.name,
                    scope=f"transition-{option.name.replace('_', '-')}",
                ),
            }
            for option in options
        ],
        "refusal": refusal,
        "suspicions": identity_selectors.open_suspicions_about(request.user, profile.pk),
    }


@require_GET
@staff_only
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's profile (identity numbers masked), documents to decide, history, and the transitions open now."""
    application = _application_or_404(request, application_id)
    return render(request, "portal/officer/application.html", _application_context(request, application))


@require_POST
@staff_only
def run_transition(request: HttpRequest, application_id: int, name: str) -> HttpResponse:
    """Move the application by one staff transition; a refusal is shown on the page with the condition that failed."""
    if name not in selectors.OFFICER_TRANSITIONS:
        raise Http404
    form = forms.TransitionForm(request.POST, transition=name, scope=f"transition-{name.replace('_', '-')}")
    refusal: DomainError | None = None
    status = 400
    if form.is_valid():
        try:
            services.move_application(
                request.user,
                application_id,
                name,
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["expected_status"],
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            refusal, status = error, error.status
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Done: %(transition)s.") % {"transition": forms.TRANSITION_LABELS[name]})
            return redirect("portal:officer:application", application_id=application_id)
    application = _application_or_404(request, application_id)
    # After a refusal the page shows the application as it is now; the refused form keeps what was typed
    # but carries the current status, so sending it again acts on what the officer now sees.
    refreshed = request.POST.copy()
    refreshed["expected_status"] = application.status
    form.data = refreshed
    context = _application_context(request, application, transition_forms={name: form}, refusal=refusal)
    return render(request, "portal/officer/application.html", context, status=status)


def _document_response(
    request: HttpRequest,
    application_id: int,
    document_id: int,
    *,
    form: forms.DocumentRejectForm | None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    if status < 400 and not _is_htmx(request):
        messages.success(request, _("The document decision is saved."))
        return redirect("portal:officer:application", application_id=application_id)
    try:
        document = selectors.get_application_document_for(request.user, application_id, document_id)
    except NotFound:
        raise Http404 from None
    if _is_htmx(request):
        context = {
            "application_id": application_id,
            "document": document,
            "reject_form": form
            if form is not None and form.errors
            else forms.DocumentRejectForm(scope=f"document-{document_id}"),
            "error": error,
            "saved": status < 400,
        }
        return render(request, "portal/officer/_document.html", context)
    application = _application_or_404(request, application_id)
    context = _application_context(
        request,
        application,
        document_forms={document_id: form} if form is not None else {},
        document_errors={document_id: error} if error else {},
    )
    return render(request, "portal/officer/application.html", context, status=status)


@require_POST
@staff_only
def verify_document(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    """Confirm one pending document of the applicant."""
    try:
        document = selectors.get_application_document_for(request.user, application_id, document_id)
        candidate_services.verify_document(request.user, document)
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        message = " ".join(e.message for e in refusal.errors)
        return _document_response(request, application_id, document_id, form=None, error=message, status=refusal.status)
    return _document_response(request, application_id, document_id, form=None)


@require_POST
@staff_only
def reject_document(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    """Reject one pending document of the applicant, with the reason the candidate will read."""
    form = forms.DocumentRejectForm(request.POST, scope=f"document-{document_id}")
    try:
        document = selectors.get_application_document_for(request.user, application_id, document_id)
    except NotFound:
        raise Http404 from None
    if not form.is_valid():
        return _document_response(request, application_id, document_id, form=form, status=400)
    try:
        candidate_services.reject_document(request.user, document, form.cleaned_data["rejection_reason"])
    except DomainError as refusal:
        form.add_domain_errors(refusal)
        general = " ".join(e.message for e in refusal.errors if e.field not in form.fields)
        return _document_response(request, application_id, document_id, form=form, error=general, status=refusal.status)
    return _document_response(request, application_id, document_id, form=None)


# --- organisation verification ---------------------------------------------------------------------------------------

ORGANISATION_STATES = [(state.value, state.label) for state in Verification]


def _organisation_item(organisation: Any, **forms_and_error: Any) -> dict[str, Any]:
    scope = f"organisation-{organisation.pk}"
    return {
        "organisation": organisation,
        "verify_form": forms_and_error.get("verify_form") or forms.OrganisationVerifyForm(scope=f"{scope}-verify"),
        "reject_form": forms_and_error.get("reject_form") or forms.OrganisationRejectForm(scope=f"{scope}-reject"),
        "error": forms_and_error.get("error", ""),
        "saved": forms_and_error.get("saved", False),
    }


@require_GET
@staff_only
def organisations(request: HttpRequest) -> HttpResponse:
    """Host organisations in one verification state (pending by default), oldest registration first."""
    state = request.GET.get("state") or Verification.PENDING.value
    context: dict[str, Any] = {"state": state, "states": ORGANISATION_STATES, "page": None, "error": ""}
    try:
        queryset = selectors.organisations_for_verification(request.user, state)
    except DomainError as refusal:
        context["error"] = " ".join(e.message for e in refusal.errors)
        return render(request, "portal/officer/organisations.html", context, status=refusal.status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(page=page, items=[_organisation_item(o) for o in page], state_query=_query_string(request.GET))
    return render(request, "portal/officer/organisations.html", context)


def _decide_organisation(
    request: HttpRequest,
    organisation_id: int,
    form: forms.OfficerForm,
    form_key: str,
    decide: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    """Run ``decide`` with the form's cleaned data; answer as the htmx fragment, a redirect, or the page with the error."""
    error, status = "", 400
    if form.is_valid():
        try:
            decide(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            form.add_domain_errors(refusal)
            error = " ".join(e.message for e in refusal.errors if e.field not in form.fields)
            status = refusal.status
        else:
            status = 200
    if status == 200 and not _is_htmx(request):
        messages.success(request, _("The organisation's verification is saved."))
        return redirect(f"{reverse('portal:officer:organisations')}?{_query_string(request.GET)}")
    try:
        organisation = selectors.get_organisation_for_verification(request.user, organisation_id)
    except NotFound:
        raise Http404 from None
    refused_form = {form_key: form} if status != 200 else {}
    item = _organisation_item(organisation, error=error, saved=status == 200, **refused_form)
    if _is_htmx(request):
        return render(request, "portal/officer/_organisation.html", {"item": item})
    context = {
        "state": organisation.verification,
        "states": ORGANISATION_STATES,
        "items": [item],
        "page": None,
        "error": "",
    }
    return render(request, "portal/officer/organisations.html", context, status=status)


@require_POST
@staff_only
def verify_organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Verify a host organisation so that it may publish opportunities."""
    form = forms.OrganisationVerifyForm(request.POST, scope=f"organisation-{organisation_id}-verify")
    return _decide_organisation(
        request,
        organisation_id,
        form,
        "verify_form",
        lambda data: host_services.verify_organisation(request.user, organisation_id, note=data["note"]),
    )


@require_POST
@staff_only
def reject_organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Reject a host organisation (or withdraw its verification), with the reason."""
    form = forms.OrganisationRejectForm(request.POST, scope=f"organisation-{organisation_id}-reject")
    return _decide_organisation(
        request,
        organisation_id,
        form,
        "reject_form",
        lambda data: host_services.reject_organisation(request.user, organisation_id, reason=data["reason"]),
    )


# --- live validation -------------------------------------------------------------------------------------------------


@require_POST
@staff_only
def validate_field(request: HttpRequest, form_key: str, field_name: str) -> HttpResponse:
    """Re-validate one field of an officer form as it is filled in; answers the field's fragment with its errors."""
    factory = forms.FORMS.get(form_key)
    scope = request.GET.get("scope", "")
    if factory is None or (scope and not is_valid_scope(scope)):
        raise Http404
    form = factory(request.POST, request.user, scope)
    if field_name not in form.live_fields:
        raise Http404
    form.is_valid()
    return render(request, "portal/officer/_field.html", {"form": form, "field": form[field_name]})
