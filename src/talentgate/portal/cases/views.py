"""Relocation-case pages: the staff queue with bulk actions, the case page, and every action a person takes on it.

One case page serves everyone who may see the case, showing what their role may read and do: programme staff
the whole file (history with time in stage, checklist and document verification, family, permits masked with
an audited reveal, decisions, requests for information and the thread) and the transitions open now as
buttons, each with the reason it is blocked; the candidate their stage, what is needed from them, their
requests to answer, uploads, withdrawal, reconsideration and letters; host staff the course of their hire's
case and the requests addressed to the host; the authority the cases handed to it, with the grant and refusal.

Every read goes through ``cases.selectors`` (and the requests and reconsideration modules), every write
through a service, so the pages refuse exactly what the API refuses. Each transition form carries the case
version the person saw: if someone else changed the case meanwhile, the page says so (409) and shows the case
as it is now. A success redirects back to the case (post/redirect/get); a refusal renders the page with the
error next to its field and the refusal's status code.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.cases import letters, reconsideration, requests, selectors, services, sla
from talentgate.cases.models import (
    PERMIT_HELD_STAGES,
    DocumentStatus,
    PermitStatus,
    PermitType,
    RelocationCase,
    Stage,
)
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import DomainError, NotFound
from talentgate.portal.cases import forms
from talentgate.portal.live import is_valid_scope
from talentgate.portal.refusals import signed_in

PAGE_SIZE = 25
#: Roles that run the officers' queue and see the whole case file.
QUEUE_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _query_string(params: QueryDict, **changes: str) -> str:
    """``params`` with ``changes`` applied and the page number dropped (a new filter starts at page 1)."""
    copy = params.copy()
    copy.pop("page", None)
    for name, value in changes.items():
        copy[name] = value
    return copy.urlencode()


def _viewer(actor: Any) -> str:
    """Which version of the pages ``actor`` gets: staff, candidate, host or authority."""
    role = role_of(actor)
    if is_programme_staff(actor):
        return "staff"
    if role == Role.CANDIDATE:
        return "candidate"
    if role in HOST_ROLES:
        return "host"
    if role == Role.AUTHORITY:
        return "authority"
    raise PermissionDenied


def _scope(prefix: str, name: str | int) -> str:
    return f"{prefix}-{str(name).replace('_', '-')}"


# --- the list and the staff queue ------------------------------------------------------------------------------------


def _queue_context(request: HttpRequest, bulk_form: forms.BulkActionForm | None = None) -> tuple[dict[str, Any], int]:
    """The staff queue's context for the filters in the query string, and the status to answer with."""
    from talentgate.hosts.models import Organisation
    from talentgate.programmes.selectors import sectors_visible_to

    actor = request.user
    filter_form = forms.QueueFilterForm(
        request.GET,
        sectors=sectors_visible_to(actor),
        organisations=Organisation.objects.filter(relocation_cases__isnull=False).distinct().order_by("name"),
    )
    context: dict[str, Any] = {
        "filter_form": filter_form,
        "bulk_form": bulk_form or forms.BulkActionForm(),
        "page": None,
        "stage_tabs": [],
        "query_string": _query_string(request.GET),
        "selected": set(bulk_form.cleaned_data.get("case") or []) if bulk_form and bulk_form.is_bound else set(),
        "viewer": "staff",
    }
    if not filter_form.is_valid():
        return context, 400
    data = filter_form.cleaned_data
    query = selectors.CaseQuery(
        stages=(data["stage"],) if data.get("stage") else (),
        kinds=(data["kind"],) if data.get("kind") else (),
        sector_id=data.get("sector"),
        organisation_id=data.get("organisation"),
        country=data.get("country") or "",
        sort=data.get("sort") or "waiting",
    )
    try:
        cases = selectors.cases_matching(actor, query)
        if data.get("deadline"):
            cases = sla.filter_by_deadline(cases, data["deadline"])
        counts = selectors.case_stage_counts(actor, query)
    except DomainError as refusal:
        filter_form.add_domain_errors(refusal)
        return context, refusal.status
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = sla.deadlines_for(list(page.object_list))
    context.update(
        page=page,
        rows=[(case, deadlines.get(case.pk)) for case in page],
        stage=data.get("stage") or "",
        stage_tabs=[
            {
                "stage": stage,
                "label": label,
                "count": counts.get(stage, 0),
                "query": _query_string(request.GET, stage=stage),
            }
            for stage, label in Stage.choices
        ],
    )
    return context, 200 if bulk_form is None or not bulk_form.errors else 400


@require_GET
@signed_in
def case_list(request: HttpRequest) -> HttpResponse:
    """Programme staff: the queue (filters, deadlines, pages, bulk actions). Everyone else: the cases they see."""
    viewer = _viewer(request.user)
    if viewer == "staff":
        context, status = _queue_context(request)
        return render(request, "portal/cases/queue.html", context, status=status)
    cases = selectors.cases_matching(request.user, selectors.CaseQuery(sort="-opened"))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/cases/list.html", {"page": page, "viewer": viewer})


@require_POST
@signed_in
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Run one transition on the ticked cases, each on its own, and report what happened to each one."""
    if _viewer(request.user) != "staff":
        raise PermissionDenied
    form = forms.BulkActionForm(request.POST)
    if form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            outcomes = services.bulk_transition(
                request.user, form.cleaned_data["case"], action, **bulk_arguments(action, reason)
            )
        except DomainError as refusal:
            form.add_domain_errors(refusal)
        else:
            found = selectors.cases_visible_to(request.user).in_bulk([o.case_id for o in outcomes])
            context = {
                "action_label": forms.TRANSITION_LABELS[action],
                "results": [(outcome, found.get(outcome.case_id)) for outcome in outcomes],
                "moved": sum(1 for o in outcomes if o.ok),
                "refused": sum(1 for o in outcomes if not o.ok),
                "back_query": _query_string(request.GET),
            }
            return render(request, "portal/cases/bulk_result.html", context)
    context, status = _queue_context(request, bulk_form=form)
    return render(request, "portal/cases/queue.html", context, status=max(status, 400))


def bulk_arguments(transition: str, reason: str) -> dict[str, str]:
    """What a bulk action passes to each case's transition: the reason where required, else a note if given."""
    if transition in forms.REASON_REQUIRED:
        return {"reason": reason}
    if not reason.strip():
        return {}
    if transition == "approve":
        return {"reasons": reason}
    if transition in ("prepare", "record_follow_up_6m", "record_follow_up_12m", "close"):
        return {"note": reason}
    return {}


# --- the case page ---------------------------------------------------------------------------------------------------


class Bound:
    """Forms bound to a refused POST and the refusal to show, keyed by what they belong to."""

    def __init__(self, **kwargs: Any) -> None:
        self.transitions: dict[str, forms.TransitionForm] = kwargs.get("transitions", {})
        self.rejects: dict[int, forms.DocumentRejectForm] = kwargs.get("rejects", {})
        self.answers: dict[int, forms.AnswerForm] = kwargs.get("answers", {})
        self.reconsiderations: dict[int, forms.ReconsiderationForm] = kwargs.get("reconsiderations", {})
        self.reviews: dict[int, forms.ReconsiderationReviewForm] = kwargs.get("reviews", {})
        self.family_permit: forms.FamilyPermitForm | None = kwargs.get("family_permit")
        self.renewals: dict[int, forms.PermitRenewalForm] = kwargs.get("renewals", {})
        self.host_change: forms.HostChangeForm | None = kwargs.get("host_change")
        self.identities: dict[int, forms.IdentityNumberForm] = kwargs.get("identities", {})
        self.upload: forms.DocumentUploadForm | None = kwargs.get("upload")
        self.request: forms.RequestForm | None = kwargs.get("request")
        self.message: forms.MessageForm | None = kwargs.get("message")
        self.family: forms.FamilyMemberForm | None = kwargs.get("family")
        self.withdrawals: dict[int, forms.WithdrawRequestForm] = kwargs.get("withdrawals", {})
        self.refusal: DomainError | None = kwargs.get("refusal")
        self.section: str = kwargs.get("section", "")
        self.revealed: dict[str, Any] | None = kwargs.get("revealed")


def _transition_form(case: RelocationCase, name: str, bound: Bound) -> forms.TransitionForm:
    form = bound.transitions.get(name)
    if form is not None:
        # The refused form keeps what was typed but carries the current version: sending it again acts on
        # the case as the page now shows it.
        data = QueryDict(mutable=True)
        data.update(form.data)
        data["expected_version"] = str(case.version)
        form.data = data
        return form
    return forms.TransitionForm(
        initial={"expected_version": case.version}, transition=name, scope=_scope("transition", name)
    )


def _case_context(request: HttpRequest, case: RelocationCase, bound: Bound | None = None) -> dict[str, Any]:
    actor = request.user
    bound = bound or Bound()
    viewer = _viewer(actor)
    file_visible = selectors.may_see_case_file(actor, case)
    active, paused = selectors.time_in_current_stage(case)
    context: dict[str, Any] = {
        "case": case,
        "viewer": viewer,
        "file_visible": file_visible,
        "active_days": active // 86400,
        "paused_days": paused // 86400,
        "deadline": sla.deadline_for(case) if viewer == "staff" else None,
        "history": list(selectors.history_for(actor, case.pk)),
        "refusal": bound.refusal,
        "section": bound.section,
        "revealed": bound.revealed,
        "transitions": [
            {
                "option": option,
                "label": forms.TRANSITION_LABELS.get(option.name, option.name),
                "target_label": Stage(option.target).label if option.target in Stage.values else "",
                "form": _transition_form(case, option.name, bound),
            }
            for option in selectors.transition_options_for(actor, case)
            if viewer != "host"
        ],
    }
    audiences = requests.audiences_for(actor, case)
    if audiences:
        context["thread"] = list(requests.messages_visible_to(actor, case.pk))
        context["message_form"] = bound.message or forms.MessageForm(scope="message", staff=viewer == "staff")
    context["information_requests"] = [
        {
            "request": item,
            "may_answer": item.status == "open"
            and (
                (item.addressee == "candidate" and viewer == "candidate")
                or (item.addressee == "host" and viewer == "host")
            ),
            "form": bound.answers.get(item.pk) or forms.AnswerForm(scope=_scope("answer", item.pk)),
            "withdraw_form": bound.withdrawals.get(item.pk)
            or forms.WithdrawRequestForm(scope=_scope("withdraw-request", item.pk)),
        }
        for item in requests.information_requests_visible_to(actor, case.pk)
    ]
    if viewer == "staff" and role_of(actor) in (Role.OFFICER, Role.SUPERVISOR):
        context["request_form"] = bound.request or forms.RequestForm(scope="request")
    if not file_visible:
        return context
    family = list(case.family.order_by("pk"))
    documents = list(case.documents.select_related("family_member").order_by("pk"))
    context.update(
        checklist=list(case.checklist.select_related("family_member").order_by("family_member_id", "pk")),
        documents=[
            {
                "document": document,
                "reject_form": bound.rejects.get(document.pk)
                or forms.DocumentRejectForm(scope=_scope("reject", document.pk)),
            }
            for document in documents
        ],
        family=selectors.masked_family(case),
        permits=_labelled_permits(selectors.masked_permits(case)),
        decisions=_decisions(request, case, viewer, bound),
        pending_documents=sum(1 for d in documents if d.status == DocumentStatus.PENDING),
    )
    if viewer in ("staff", "authority"):
        _permit_forms(context, case, family, bound, staff=viewer == "staff")
    if case.is_open and viewer in ("staff", "candidate"):
        context["upload_form"] = bound.upload or forms.DocumentUploadForm(scope="upload", family=family)
        context["family_form"] = bound.family or forms.FamilyMemberForm(scope="family")
    return context


def _labelled_permits(permits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The masked permits with their type and status in the reader's words (the stored codes are for the API)."""
    return [
        {
            **permit,
            "permit_type_label": PermitType(permit["permit_type"]).label,
            "status_label": PermitStatus(permit["status"]).label,
        }
        for permit in permits
    ]


def _permit_forms(
    context: dict[str, Any], case: RelocationCase, family: list[Any], bound: Bound, *, staff: bool
) -> None:
    """Forms of the permit work after the grant: family permits and renewals (staff and the authority), a change
    of host and the family's identity numbers (staff). Every number stays masked on the page; the reveal is a
    separate audited act."""
    if staff and case.is_open:
        for member in context["family"]:
            member["identity_form"] = bound.identities.get(member["id"]) or forms.IdentityNumberForm(
                scope=_scope("identity", member["id"])
            )
    if case.stage not in PERMIT_HELD_STAGES:
        return
    if family:
        context["family_permit_form"] = bound.family_permit or forms.FamilyPermitForm(
            scope="family-permit", family=family
        )
    for permit in context["permits"]:
        if permit["status"] == PermitStatus.ACTIVE:
            permit["renewal_form"] = bound.renewals.get(permit["id"]) or forms.PermitRenewalForm(
                scope=_scope("renewal", permit["id"])
            )
    if not staff:
        return
    context["host_change_form"] = bound.host_change or forms.HostChangeForm(
        initial={"expected_version": case.version}, scope="host-change"
    )


def _decisions(request: HttpRequest, case: RelocationCase, viewer: str, bound: Bound) -> list[dict[str, Any]]:
    rows = []
    asked = {r.decision_id: r for r in reconsideration.reconsiderations_visible_to(request.user).filter(case=case)}
    reviewer = viewer == "staff" and role_of(request.user) in (Role.OFFICER, Role.SUPERVISOR)
    for decision in case.decisions.select_related("officer").order_by("decided_at", "pk"):
        item: dict[str, Any] = {"decision": decision, "reconsideration": asked.get(decision.pk)}
        if viewer == "candidate" and decision.pk not in asked and reconsideration.may_be_reconsidered(decision):
            item["until"] = reconsideration.reconsideration_deadline(decision)
            item["form"] = bound.reconsiderations.get(decision.pk) or forms.ReconsiderationForm(
                scope=_scope("reconsider", decision.pk)
            )
        asked_for = item["reconsideration"]
        # The officer who decided sees the request but not the form: a different officer reviews it.
        if (
            reviewer
            and asked_for is not None
            and asked_for.status == "pending"
            and decision.officer_id != request.user.pk
        ):
            item["review_form"] = bound.reviews.get(asked_for.pk) or forms.ReconsiderationReviewForm(
                initial={"expected_version": case.version}, scope=_scope("review", asked_for.pk)
            )
        rows.append(item)
    return rows


def _case_or_404(request: HttpRequest, case_id: int) -> RelocationCase:
    try:
        return selectors.get_case_for(request.user, case_id)
    except NotFound:
        raise Http404 from None


def _page(request: HttpRequest, case_id: int, bound: Bound, status: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    return render(request, "portal/cases/case.html", _case_context(request, case, bound), status=status)


def _done(request: HttpRequest, case_id: int, message: str, section: str = "") -> HttpResponse:
    messages.success(request, message)
    url = reverse("portal:cases:case", kwargs={"case_id": case_id})
    return redirect(f"{url}#{section}" if section else url)


@require_GET
@signed_in
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case as the signed-in person may see it, with what they may do now."""
    _viewer(request.user)
    case = _case_or_404(request, case_id)
    return render(request, "portal/cases/case.html", _case_context(request, case))


@require_POST
@signed_in
def run_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    """Move the case by one transition; a refusal is shown on the page with the condition that failed."""
    if name not in forms.TRANSITION_LABELS:
        raise Http404
    _case_or_404(request, case_id)
    form = forms.TransitionForm(request.POST, transition=name, scope=_scope("transition", name))
    status = 400
    refusal: DomainError | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            _call_transition(request.user, case_id, name, data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            refusal, status = error, error.status
            form.add_domain_errors(error)
        else:
            label = forms.TRANSITION_LABELS[name]
            return _done(request, case_id, _("Done: %(transition)s.") % {"transition": label})
    return _page(request, case_id, Bound(transitions={name: form}, refusal=refusal, section="workflow"), status)


def _call_transition(actor: Any, case_id: int, name: str, data: dict[str, Any]) -> RelocationCase:
    """Call transition ``name``'s service with what its form collected."""
    version = data["expected_version"]
    reason = (data.get("reason") or "").strip()
    ground = (data.get("legal_ground") or "").strip()
    if name == "approve":
        return services.approve(actor, case_id, expected_version=version, reasons=reason, legal_ground=ground)
    if name == "reject":
        return services.reject(actor, case_id, expected_version=version, reason=reason, legal_ground=ground)
    if name == "grant_permit":
        permit = services.PermitIn(
            data["permit_type"], data["number"], data["issued_on"], data["valid_from"], data["valid_until"]
        )
        return services.grant_permit(
            actor, case_id, expected_version=version, permit=permit, legal_ground=ground, reasons=reason
        )
    if name == "refuse_permit":
        return services.refuse_permit(actor, case_id, expected_version=version, legal_ground=ground, reasons=reason)
    if name == "record_arrival":
        return services.record_arrival(actor, case_id, expected_version=version, arrived_on=data.get("arrived_on"))
    if name == "record_departure":
        return services.record_departure(
            actor, case_id, expected_version=version, departed_on=data["departed_on"], reason=reason
        )
    if name in ("withdraw", "reopen"):
        return services.TRANSITIONS[name](actor, case_id, expected_version=version, reason=reason)
    if name in ("prepare", "record_follow_up_6m", "record_follow_up_12m", "close"):
        return services.TRANSITIONS[name](actor, case_id, expected_version=version, note=reason)
    return services.TRANSITIONS[name](actor, case_id, expected_version=version)


@require_POST
@signed_in
def complete_item(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    """Tick a checklist item that is not a document (the candidate or programme staff)."""
    _case_or_404(request, case_id)
    try:
        services.complete_item(request.user, case_id, item_id)
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _page(request, case_id, Bound(refusal=refusal, section="checklist"), refusal.status)
    return _done(request, case_id, _("The checklist item is done."), "checklist")


@require_POST
@signed_in
def upload_document(request: HttpRequest, case_id: int) -> HttpResponse:
    """Provide a document for the case; it ticks its checklist item and waits for an officer's verification."""
    case = _case_or_404(request, case_id)
    selectors.get_case_file_for(request.user, case_id)
    form = forms.DocumentUploadForm(request.POST, request.FILES, scope="upload", family=case.family.order_by("pk"))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(
                request.user,
                case_id,
                kind=data["kind"],
                family_member_id=data.get("family_member"),
                file=data["file"],
                file_name=data["file"].name,
                issued_on=data.get("issued_on"),
                expires_on=data.get("expires_on"),
            )
        except DomainError as refusal:
            form.add_domain_errors(refusal)
            status = refusal.status
        else:
            return _done(request, case_id, _("The document is uploaded; an officer will verify it."), "documents")
    return _page(request, case_id, Bound(upload=form, section="documents"), status)


@require_GET
@signed_in
def document_file(request: HttpRequest, case_id: int, document_id: int) -> Any:
    """The file of one document of the case (programme staff, the candidate, the authority)."""
    document = selectors.get_case_document_for(request.user, case_id, document_id)
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "document")


@require_POST
@signed_in
def verify_document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """Mark one document of the case verified (programme staff)."""
    document = selectors.get_case_document_for(request.user, case_id, document_id)
    try:
        services.verify_document(request.user, document.pk)
    except DomainError as refusal:
        return _page(request, case_id, Bound(refusal=refusal, section="documents"), refusal.status)
    return _done(request, case_id, _("The document is verified."), "documents")


@require_POST
@signed_in
def reject_document(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """Reject one document of the case with the reason the candidate reads (programme staff)."""
    document = selectors.get_case_document_for(request.user, case_id, document_id)
    form = forms.DocumentRejectForm(request.POST, scope=_scope("reject", document_id))
    status = 400
    if form.is_valid():
        try:
            services.reject_document(request.user, document.pk, reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            form.add_domain_errors(refusal)
            status = refusal.status
        else:
            return _done(request, case_id, _("The document is rejected; the candidate sees why."), "documents")
    return _page(request, case_id, Bound(rejects={document_id: form}, section="documents"), status)


@require_POST
@signed_in
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show one protected number in clear to programme staff; the reveal is written to the case's audit chain.

    With htmx only the revealed value is swapped in; without, the case page shows it once (never stored in
    the session or a redirect)."""
    _case_or_404(request, case_id)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return _page(request, case_id, Bound(refusal=_form_refusal(form), section="permits"), 400)
    field, object_id = form.cleaned_data["field"], form.cleaned_data.get("object_id")
    try:
        value = services.reveal_field(request.user, case_id, field, object_id=object_id)
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        if refusal.status == 403:
            raise PermissionDenied(str(refusal)) from None
        return _page(request, case_id, Bound(refusal=refusal, section="permits"), refusal.status)
    revealed = {"field": field, "object_id": object_id, "value": value}
    if _is_htmx(request):
        return render(request, "portal/cases/_revealed.html", {"revealed": revealed})
    return _page(request, case_id, Bound(revealed=revealed, section="permits"), 200)


def _form_refusal(form: forms.CaseForm) -> DomainError:
    from talentgate.common.errors import FieldError

    return DomainError(
        [FieldError(name, "invalid", " ".join(str(e) for e in errors)) for name, errors in form.errors.items()]
    )


@require_POST
@signed_in
def ask(request: HttpRequest, case_id: int) -> HttpResponse:
    """An officer asks the candidate or the host for something by a date; the stage clock pauses until answered."""
    _case_or_404(request, case_id)
    form = forms.RequestForm(request.POST, scope="request")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            requests.request_information(
                request.user, case_id, addressee=data["addressee"], question=data["question"], due_on=data["due_on"]
            )
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(
                request, case_id, _("The request is sent; the stage clock stops until it is answered."), "requests"
            )
    return _page(request, case_id, Bound(request=form, section="requests"), status)


@require_POST
@signed_in
def answer(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """The candidate or the host answers a request addressed to them; the stage clock runs again."""
    _case_or_404(request, case_id)
    found = requests.get_information_request_for(request.user, request_id)
    if found.case_id != case_id:
        raise Http404
    form = forms.AnswerForm(request.POST, request.FILES, scope=_scope("answer", request_id))
    status = 400
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            requests.answer_information_request(
                request.user,
                request_id,
                body=form.cleaned_data["body"],
                file=upload,
                content_type=getattr(upload, "content_type", None),
            )
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("Your answer is sent."), "requests")
    return _page(request, case_id, Bound(answers={request_id: form}, section="requests"), status)


@require_POST
@signed_in
def post_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """Write in the case's thread (the candidate, the host's staff on their side, staff on the side they choose)."""
    case = _case_or_404(request, case_id)
    if not requests.audiences_for(request.user, case):
        raise PermissionDenied
    form = forms.MessageForm(request.POST, scope="message", staff=_viewer(request.user) == "staff")
    status = 400
    if form.is_valid():
        try:
            requests.post_message(
                request.user, case_id, body=form.cleaned_data["body"], audience=form.cleaned_data.get("audience")
            )
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("Your message is sent."), "thread")
    return _page(request, case_id, Bound(message=form, section="thread"), status)


@require_POST
@signed_in
def add_family_member(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a family member relocating with the candidate (the candidate or programme staff)."""
    _case_or_404(request, case_id)
    selectors.get_case_file_for(request.user, case_id)
    form = forms.FamilyMemberForm(request.POST, scope="family")
    status = 400
    if form.is_valid():
        try:
            services.add_family_member(request.user, case_id, **form.cleaned_data)
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The family member is added, with their own checklist."), "family")
    return _page(request, case_id, Bound(family=form, section="family"), status)


def _refused_or_shown(form: forms.CaseForm, refusal: DomainError) -> int:
    """A 403 becomes the refusal page; anything else is shown next to its field. Returns the status."""
    if refusal.status == 403:
        raise PermissionDenied(str(refusal)) from None
    form.add_domain_errors(refusal)
    return refusal.status


@require_POST
@signed_in
def set_identity_number(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    """Record a family member's passport or identity number (programme staff); it is shown masked."""
    _case_or_404(request, case_id)
    form = forms.IdentityNumberForm(request.POST, scope=_scope("identity", member_id))
    status = 400
    if form.is_valid():
        try:
            services.set_family_identity_number(
                request.user, case_id, member_id, identity_number=form.cleaned_data["identity_number"]
            )
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The identity number is recorded."), "family")
    return _page(request, case_id, Bound(identities={member_id: form}, section="family"), status)


@require_POST
@signed_in
def record_family_permit(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a family member's permit once the candidate's is granted (programme staff, the authority)."""
    case = _case_or_404(request, case_id)
    form = forms.FamilyPermitForm(request.POST, scope="family-permit", family=case.family.order_by("pk"))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        permit = services.PermitIn(
            data["permit_type"],
            data["number"],
            data["issued_on"],
            data["valid_from"],
            data["valid_until"],
            data["family_member"],
        )
        try:
            services.record_family_permit(request.user, case_id, permit=permit)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The family member's permit is recorded."), "permits")
    return _page(request, case_id, Bound(family_permit=form, section="permits"), status)


@require_POST
@signed_in
def renew_permit(request: HttpRequest, case_id: int, permit_id: int) -> HttpResponse:
    """Record the renewal of an active permit of the case; the old one is superseded (programme staff, the
    authority)."""
    case = _case_or_404(request, case_id)
    if not case.permits.filter(pk=permit_id).exists():
        raise Http404
    form = forms.PermitRenewalForm(request.POST, scope=_scope("renewal", permit_id))
    status = 400
    if form.is_valid():
        try:
            services.renew_permit(request.user, permit_id, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The renewal is recorded; the old permit is superseded."), "permits")
    return _page(request, case_id, Bound(renewals={permit_id: form}, section="permits"), status)


@require_POST
@signed_in
def change_host(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a permit holder's move to a new host, on an offer they accepted from another verified host."""
    _case_or_404(request, case_id)
    form = forms.HostChangeForm(request.POST, scope="host-change")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_host(
                request.user,
                case_id,
                new_offer_id=data["new_offer"],
                effective_on=data["effective_on"],
                reason=data.get("reason") or "",
                expected_version=data.get("expected_version"),
            )
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The change of host is recorded."), "permits")
    return _page(request, case_id, Bound(host_change=form, section="permits"), status)


@require_POST
@signed_in
def withdraw_request(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    """Programme staff withdraw an open request for information that is no longer needed; the clock runs again."""
    _case_or_404(request, case_id)
    found = requests.get_information_request_for(request.user, request_id)
    if found.case_id != case_id:
        raise Http404
    form = forms.WithdrawRequestForm(request.POST, scope=_scope("withdraw-request", request_id))
    status = 400
    if form.is_valid():
        try:
            requests.withdraw_information_request(request.user, request_id, reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("The request is withdrawn; the stage clock runs again."), "requests")
    return _page(request, case_id, Bound(withdrawals={request_id: form}, section="requests"), status)


@require_POST
@signed_in
def reconsider(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    """The candidate asks for a rejection or refusal of their case to be reconsidered, within the window."""
    case = _case_or_404(request, case_id)
    if not case.decisions.filter(pk=decision_id).exists():
        raise Http404
    form = forms.ReconsiderationForm(request.POST, scope=_scope("reconsider", decision_id))
    status = 400
    if form.is_valid():
        try:
            reconsideration.request_reconsideration(request.user, decision_id, grounds=form.cleaned_data["grounds"])
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            return _done(request, case_id, _("Your request for reconsideration is sent."), "decisions")
    return _page(request, case_id, Bound(reconsiderations={decision_id: form}, section="decisions"), status)


@require_POST
@signed_in
def review_reconsideration(request: HttpRequest, case_id: int, reconsideration_id: int) -> HttpResponse:
    """An officer or supervisor other than the one who decided upholds or overturns the decision under
    reconsideration, giving reasons; overturning reopens the case."""
    _case_or_404(request, case_id)
    try:
        found = reconsideration.get_reconsideration_for(request.user, reconsideration_id)
    except NotFound:
        raise Http404 from None
    if found.case_id != case_id:
        raise Http404
    form = forms.ReconsiderationReviewForm(request.POST, scope=_scope("review", reconsideration_id))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            reconsideration.review_reconsideration(
                request.user,
                reconsideration_id,
                outcome=data["outcome"],
                reasons=data["reasons"],
                legal_ground=data.get("legal_ground") or "",
                expected_version=data.get("expected_version"),
            )
        except DomainError as refusal:
            status = _refused_or_shown(form, refusal)
        else:
            done = (
                _("The decision is overturned and the case reopened.")
                if data["outcome"] == "overturned"
                else _("The decision is upheld.")
            )
            return _done(request, case_id, done, "decisions")
    return _page(request, case_id, Bound(reviews={reconsideration_id: form}, section="decisions"), status)


@require_GET
@signed_in
def letter(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    """The letter of one decision on the case as PDF, in the candidate's language or the one asked for
    (``?language=ru``): the candidate of the case and programme staff."""
    decision = letters.get_decision_for(request.user, decision_id)
    if decision.case_id != case_id:
        raise Http404
    language = request.GET.get("language") or None
    try:
        pdf = letters.letter_pdf(request.user, decision.pk, language=language)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(decision)}"'
    return response


# --- live validation -------------------------------------------------------------------------------------------------


@require_POST
@signed_in
def validate_field(request: HttpRequest, form_key: str, field_name: str) -> HttpResponse:
    """Re-validate one field of a case form as it is filled in; answers the field's fragment with its errors."""
    _viewer(request.user)
    scope = request.GET.get("scope", "")
    if scope and not is_valid_scope(scope):
        raise Http404
    if form_key == "transition":
        name = scope.removeprefix("transition-").replace("-", "_")
        if name not in forms.TRANSITION_LABELS:
            raise Http404
        factory = forms.transition_form_factory(name)
    else:
        found = forms.FORMS.get(form_key)
        if found is None:
            raise Http404
        factory = found
    form = factory(request.POST, scope)
    if field_name not in form.live_fields or field_name not in form.fields:
        raise Http404
    form.is_valid()
    return render(request, "portal/cases/_field.html", {"form": form, "field": form[field_name]})
