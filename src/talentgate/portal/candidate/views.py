"""The candidate's pages: dashboard, profile wizard (with live validation), documents, consents,
programmes and applications, and "my data". Every read and write goes through the domain's
selectors and services; each page acts on the signed-in candidate's own records only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from talentgate import canonical
from talentgate.accounts.roles import Role
from talentgate.candidates import selectors as candidate_selectors
from talentgate.candidates import services as candidate_services
from talentgate.candidates.consent_texts import CONSENT_TEXTS
from talentgate.candidates.models import Document
from talentgate.common.access import role_of
from talentgate.common.crypto import mask
from talentgate.common.errors import DomainError, NotFound
from talentgate.hosts.selectors import offers_visible_to
from talentgate.portal.account.forms import show_domain_error
from talentgate.portal.candidate import labels, wizard
from talentgate.portal.candidate.forms import DocumentUploadForm, WithdrawApplicationForm
from talentgate.programmes import selectors as programme_selectors
from talentgate.programmes import services as programme_services
from talentgate.programmes.models import OPEN_STATES, Application, ApplicationStatus

View = Callable[..., Any]


def candidate_required(view: View) -> View:
    """Anonymous visitors go to sign in; anyone signed in who is not a candidate is refused (403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if role_of(request.user) is not Role.CANDIDATE:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@candidate_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where a candidate starts: how far the profile is, and links to every part of the self-service."""
    actor: Any = request.user
    profile = candidate_selectors.own_profile(actor)
    context = {
        "profile": profile,
        "steps": wizard.STEPS,
        "documents": candidate_selectors.own_documents(actor).count(),
        "active_consents": candidate_selectors.own_consents(actor).filter(withdrawn_at__isnull=True).count(),
        "applications": programme_selectors.applications_visible_to(actor).filter(profile__user_id=actor.pk),
    }
    return render(request, "portal/candidate/dashboard.html", context)


# ---------------------------------------------------------------------------- profile wizard


@dataclass
class RowView:
    prefix: str
    number: int
    form: forms.Form
    nested: list[PartView] = field(default_factory=list)
    removed: bool = False


@dataclass
class PartView:
    part: wizard.ListPart
    prefix: str
    rows: list[RowView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class StepError:
    text: str
    url: str = ""


@dataclass
class StepPage:
    """One wizard step as shown: its forms and rows, and the errors not tied to one of its fields."""

    step: wizard.Step
    objects: list[forms.Form] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    errors: list[StepError] = field(default_factory=list)
    forms_by_prefix: dict[str, forms.Form] = field(default_factory=dict)
    parts_by_prefix: dict[str, PartView] = field(default_factory=dict)

    def add_form(self, form: forms.Form) -> forms.Form:
        self.forms_by_prefix[form.prefix or ""] = form
        return form

    def bound_field(self, html_name: str) -> forms.BoundField | None:
        """The bound field whose input is named ``html_name`` (``education-0-institution``)."""
        prefix, _sep, name = html_name.rpartition("-")
        form = self.forms_by_prefix.get(prefix)
        return form[name] if form is not None and name in form.fields else None

    def show(self, error: DomainError, index: wizard.LocIndex) -> None:
        """Put each error next to its field, on its row or list, or at the top with a link to the step fixing it."""
        for item in error.errors:
            loc = wizard.parse_path(item.field)
            message = wizard.message_for(item)
            kind, target = index.place(loc)
            if kind == "field":
                prefix, _sep, name = target.rpartition("-")
                self.forms_by_prefix[prefix].add_error(name, message)
            elif kind == "row":
                self.forms_by_prefix[target].add_error(None, message)
            elif kind == "part":
                self.parts_by_prefix[target].errors.append(message)
            else:
                fixing = wizard.STEP_FOR_SECTION.get(str(loc[0])) if loc else None
                url = reverse("portal:candidate:profile_step", args=[fixing.slug]) if fixing else ""
                text = f"{wizard.describe_loc(loc)}: {message}" if loc else message
                self.errors.append(StepError(text, url if fixing is not self.step else ""))


def _build_part(
    page: StepPage,
    part: wizard.ListPart,
    prefix: str,
    *,
    post: QueryDict | None,
    items: list[dict[str, Any]],
    add: str | None,
    validate_url: str,
    blank_row: bool,
) -> PartView:
    view = PartView(part, prefix)
    page.parts_by_prefix[prefix] = view
    numbers = wizard.row_numbers(post, prefix) if post is not None else list(range(len(items)))
    if add == prefix or (post is None and not numbers and blank_row):
        numbers.append(max(numbers, default=-1) + 1)
    for position, number in enumerate(numbers, start=1):
        row_prefix = f"{prefix}-{number}"
        item = items[number] if post is None and number < len(items) else {}
        form = page.add_form(
            wizard.form_for(
                part.model,
                part.key,
                part.fields,
                prefix=row_prefix,
                data=post if post is not None and number in wizard.row_numbers(post, prefix) else None,
                initial=wizard.initial_values(part.key, part.model, part.fields, item),
                validate_url=validate_url,
            )
        )
        if add == prefix and position == len(numbers):
            # The row just added: take the person straight to its first input.
            next(iter(form)).field.widget.attrs["autofocus"] = True
        row = RowView(row_prefix, position, form, removed=post is not None and f"{row_prefix}-DELETE" in post)
        for inner in part.nested:
            row.nested.append(
                _build_part(
                    page,
                    inner,
                    f"{row_prefix}-{inner.key}",
                    post=post,
                    items=item.get(inner.key, []),
                    add=add,
                    validate_url=validate_url,
                    blank_row=False,
                )
            )
        view.rows.append(row)
    return view


def build_step_page(
    step: wizard.Step, *, post: QueryDict | None, current: dict[str, Any], add: str | None = None
) -> StepPage:
    """The step's forms: bound to ``post`` when given, else filled from the stored profile ``current``."""
    page = StepPage(step)
    validate_url = reverse("portal:candidate:profile_validate", args=[step.slug])
    for part in step.objects:
        source = current.get(part.key, {}) if part.key else current
        page.objects.append(
            page.add_form(
                wizard.form_for(
                    part.model,
                    part.section,
                    part.fields,
                    prefix=part.prefix,
                    data=post,
                    initial=wizard.initial_values(part.section, part.model, part.fields, source or {}),
                    validate_url=validate_url,
                )
            )
        )
    for listed in step.lists:
        page.parts.append(
            _build_part(
                page,
                listed,
                listed.key,
                post=post,
                items=current.get(listed.key, []),
                add=add,
                validate_url=validate_url,
                blank_row=True,
            )
        )
    return page


def _stored_profile(actor: Any) -> dict[str, Any] | None:
    profile = candidate_selectors.own_profile(actor)
    return candidate_selectors.to_canonical(profile).model_dump(mode="json") if profile is not None else None


def _step_or_404(slug: str) -> wizard.Step:
    step = wizard.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404
    return step


@candidate_required
@require_http_methods(["GET", "POST"])
def profile_step(request: HttpRequest, slug: str) -> HttpResponse:
    """One step of the profile wizard: GET shows the stored values, POST saves (or adds a row and shows again)."""
    step = _step_or_404(slug)
    actor: Any = request.user
    stored = _stored_profile(actor)
    if stored is None and step.slug != "identity":
        messages.info(request, _("Start with your identity: your profile is created with it."))
        return redirect("portal:candidate:profile_step", "identity")
    current = stored or {
        "identity": {
            "given_names_latin": getattr(actor, "first_name", ""),
            "family_name_latin": getattr(actor, "last_name", ""),
            "email": getattr(actor, "email", ""),
        }
    }
    position = wizard.STEPS.index(step)
    next_step = wizard.STEPS[position + 1] if position + 1 < len(wizard.STEPS) else None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        adding = action.removeprefix("add:") if action.startswith("add:") else None
        page = build_step_page(step, post=request.POST, current=current, add=adding)
        if adding is None:
            data, index = wizard.parse_step(step, request.POST)
            try:
                candidate_services.save_own_profile(actor, data, sections=step.sections)
            except DomainError as error:
                page.show(error, index)
            else:
                messages.success(request, _("Saved: %(step)s.") % {"step": step.title})
                target = next_step if action == "save_next" and next_step else step
                return redirect("portal:candidate:profile_step", target.slug)
    else:
        page = build_step_page(step, post=None, current=current)
    context = {
        "step": step,
        "steps": wizard.STEPS,
        "page": page,
        "next_step": next_step,
        "has_profile": stored is not None,
    }
    return render(request, "portal/candidate/profile_step.html", context)


@candidate_required
@require_POST
def profile_validate(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: check the step as filled in so far with the canonical rules and return the changed field's
    fragment with its errors (nothing is saved)."""
    step = _step_or_404(slug)
    actor: Any = request.user
    current = _stored_profile(actor) or {}
    page = build_step_page(step, post=request.POST, current=current)
    data, index = wizard.parse_step(step, request.POST)
    try:
        candidate_services.check_own_profile(actor, data, sections=step.sections)
    except DomainError as error:
        page.show(error, index)
    bound = page.bound_field(request.headers.get("HX-Trigger-Name", ""))
    if bound is None:
        return HttpResponse(status=204)
    return render(request, "portal/candidate/_field.html", {"field": bound})


# ---------------------------------------------------------------------------- documents


def document_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """Each document with its kind and status named in the visitor's language."""
    return [
        {
            "document": document,
            "kind": labels.enum_label(canonical.DocumentKind(document.kind)),
            "status": labels.enum_label(canonical.VerificationStatus(document.status)),
        }
        for document in documents
    ]


def _max_megabytes() -> float:
    return round(settings.DOCUMENT_MAX_UPLOAD_BYTES / 1e6, 1)


@candidate_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """The candidate's documents with their verification state, and the upload form."""
    actor: Any = request.user
    form = DocumentUploadForm(request.POST or None, request.FILES or None, max_megabytes=_max_megabytes())
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            candidate_services.upload_own_document(
                actor,
                kind=form.cleaned_data["kind"],
                file=upload,
                content_type=getattr(upload, "content_type", None),
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Document uploaded; an officer will verify it."))
            return redirect("portal:candidate:documents")
    context = {
        "form": form,
        "documents": document_rows(candidate_selectors.own_documents(actor)),
        "has_profile": candidate_selectors.own_profile(actor) is not None,
    }
    return render(request, "portal/candidate/documents.html", context)


@candidate_required
@require_POST
def delete_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """Delete one of the candidate's own pending documents."""
    try:
        candidate_services.delete_own_document(request.user, document_id)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("Document deleted."))
    return redirect("portal:candidate:documents")


@candidate_required
def document_file(request: HttpRequest, document_id: int) -> FileResponse:
    """Download one of the candidate's own uploaded files."""
    try:
        document = candidate_selectors.get_own_document(request.user, document_id)
    except NotFound:
        raise Http404 from None
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "document")


# ---------------------------------------------------------------------------- consents


def consent_rows(actor: Any) -> list[dict[str, Any]]:
    """Each purpose with its current text and version, and the candidate's active consent to it (if any)."""
    history = list(candidate_selectors.own_consents(actor))
    rows = []
    for purpose, text in CONSENT_TEXTS.items():
        active = next((c for c in history if c.purpose == purpose.value and c.withdrawn_at is None), None)
        rows.append(
            {
                "purpose": purpose.value,
                "text": text,
                "active": active,
                "outdated": active is not None and active.version != text.version,
            }
        )
    return rows


@candidate_required
def consents(request: HttpRequest) -> HttpResponse:
    """Consent per purpose: the text and its version, give or withdraw, and the whole history."""
    actor: Any = request.user
    context = {
        "rows": consent_rows(actor),
        "history": candidate_selectors.own_consents(actor).order_by("-given_at", "-pk"),
        "titles": {p.value: t.title for p, t in CONSENT_TEXTS.items()},
        "has_profile": candidate_selectors.own_profile(actor) is not None,
    }
    return render(request, "portal/candidate/consents.html", context)


@candidate_required
@require_POST
def give_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    """Consent to the current text of ``purpose`` (the version shown on the page is sent back and checked)."""
    from talentgate.candidates.consent_texts import check_current_version

    actor: Any = request.user
    try:
        text = check_current_version(purpose, request.POST.get("version", ""))
        profile = candidate_selectors.get_own_profile(actor)
        candidate_services.give_consent(actor, profile, text.purpose.value, text.version)
    except NotFound:
        messages.error(request, _("Fill in your identity first: consents belong to a profile."))
    except DomainError as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("Consent given: %(title)s.") % {"title": text.title})
    return redirect("portal:candidate:consents")


@candidate_required
@require_POST
def withdraw_consent(request: HttpRequest, purpose: str) -> HttpResponse:
    """Withdraw the active consent for ``purpose``; the record stays in the history."""
    actor: Any = request.user
    try:
        profile = candidate_selectors.get_own_profile(actor)
        candidate_services.withdraw_consent(actor, profile, purpose)
    except DomainError as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("portal:candidate:consents")


# ---------------------------------------------------------------------------- programmes and applications

# Where a candidate fixes each refused condition of applying (programmes.guards and services).
REFUSAL_FIXES: dict[str, str] = {
    "profile_identity": "identity",
    "profile_education": "education",
    "profile_language_test": "language-tests",
    "consent_authority_handoff": "consents",
    "unique": "applications",
    "missing": "identity",
}


def _translated_refusals() -> dict[str, str]:
    # gettext at request time, so each sentence is in the visitor's language.
    return {
        "profile_identity": _("Fill in your identity: your names in Latin script and your date of birth."),
        "profile_education": _("Add at least one education entry to your profile."),
        "profile_language_test": _("Add at least one language test result to your profile."),
        "consent_authority_handoff": _("Give your consent to hand your file to the immigration authority."),
        "programme_active": _("This programme does not accept applications now."),
        "unique": _("You already have an application to this programme."),
        "missing": _("Create your profile (start with your identity) before applying."),
    }


def refusal_message(error: DomainError) -> tuple[str, str]:
    """The refusal in the candidate's words (the service's own sentence when there is no better one) and a link."""
    item = error.errors[0]
    sentence = _translated_refusals().get(item.rule, item.message)
    target = REFUSAL_FIXES.get(item.rule, "")
    if target == "consents":
        url = reverse("portal:candidate:consents")
    elif target == "applications":
        url = reverse("portal:candidate:applications")
    elif target:
        url = reverse("portal:candidate:profile_step", args=[target])
    else:
        url = ""
    return sentence, url


@candidate_required
def programmes(request: HttpRequest) -> HttpResponse:
    """Active programmes, each with the candidate's open application to it, if any."""
    actor: Any = request.user
    open_applications = {
        a.programme_id: a
        for a in programme_selectors.applications_visible_to(actor).filter(
            profile__user_id=actor.pk, status__in=OPEN_STATES
        )
    }
    rows = [
        {"programme": p, "application": open_applications.get(p.pk)}
        for p in programme_selectors.programmes_visible_to(actor).filter(active=True).order_by("code")
    ]
    return render(request, "portal/candidate/programmes.html", {"rows": rows, "language": request.LANGUAGE_CODE})


@candidate_required
@require_POST
def apply(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Apply: create and submit in one go (a refused submission leaves nothing behind), or submit an open draft."""
    actor: Any = request.user
    draft = (
        programme_selectors.applications_visible_to(actor)
        .filter(profile__user_id=actor.pk, programme_id=programme_id, status=ApplicationStatus.DRAFT)
        .first()
    )
    try:
        with transaction.atomic():
            if draft is None:
                draft = programme_services.create_application(actor, programme_id=programme_id)
            application = programme_services.submit_application(actor, draft.pk)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        sentence, url = refusal_message(error)
        text = _("Your application was not submitted. %(reason)s") % {"reason": sentence}
        messages.error(request, format_html('{} <a href="{}">{}</a>', text, url, _("Fix it")) if url else text)
        return redirect("portal:candidate:programmes")
    messages.success(request, _("Your application has been submitted."))
    return redirect("portal:candidate:application", application.pk)


@candidate_required
def applications(request: HttpRequest) -> HttpResponse:
    """The candidate's applications with their status."""
    actor: Any = request.user
    rows = programme_selectors.applications_visible_to(actor).filter(profile__user_id=actor.pk).order_by("-created_at")
    return render(request, "portal/candidate/applications.html", {"applications": rows})


def _own_application(actor: Any, application_id: int) -> Application:
    try:
        application = programme_selectors.get_application_for(actor, application_id)
    except NotFound:
        raise Http404 from None
    if application.profile.user_id != actor.pk:
        raise Http404
    return application


@candidate_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application: status, history and, while it is open, the withdraw form."""
    actor: Any = request.user
    application = _own_application(actor, application_id)
    context = {
        "application": application,
        "history": programme_selectors.application_history_for(actor, application.pk),
        "form": WithdrawApplicationForm(),
        "can_withdraw": application.status in OPEN_STATES,
        "is_draft": application.status == ApplicationStatus.DRAFT,
    }
    return render(request, "portal/candidate/application_detail.html", context)


@candidate_required
@require_POST
def withdraw_application(request: HttpRequest, application_id: int) -> HttpResponse:
    """Withdraw one of the candidate's open applications, with an optional reason."""
    actor: Any = request.user
    application = _own_application(actor, application_id)
    form = WithdrawApplicationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        programme_services.withdraw_application(actor, application.pk, reason=reason)
    except DomainError as error:
        messages.error(request, error.errors[0].message)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("portal:candidate:application", application.pk)


# ---------------------------------------------------------------------------- my data


@candidate_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the candidate, on one page (identity document numbers masked)."""
    actor: Any = request.user
    data = candidate_selectors.personal_data_for(actor)
    profile = data["profile"]
    if profile is not None:
        for document in profile.get("identity_documents", []):
            document["number"] = mask(document["number"])
    titles = {p.value: t.title for p, t in CONSENT_TEXTS.items()}
    context = {
        "account": data["account"],
        "has_profile": profile is not None,
        "profile_json": json.dumps(
            {k: v for k, v in (profile or {}).items() if k not in ("documents", "consents")},
            indent=2,
            ensure_ascii=False,
        ),
        "documents": document_rows(candidate_selectors.own_documents(actor)),
        "consents": [
            {"consent": c, "title": titles.get(c.purpose, c.purpose)} for c in candidate_selectors.own_consents(actor)
        ],
        "applications": programme_selectors.applications_visible_to(actor)
        .filter(profile__user_id=actor.pk)
        .prefetch_related("history"),
        "offers": offers_visible_to(actor).filter(profile__user_id=actor.pk),
    }
    return render(request, "portal/candidate/my_data.html", context)


@candidate_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same, as one JSON file (numbers unmasked: it is the candidate's own copy of their data)."""
    data = {"exported_at": timezone.now().isoformat(), **candidate_selectors.personal_data_for(request.user)}
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="talentgate-my-data.json"'
    return response
