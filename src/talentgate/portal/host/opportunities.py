"""Opportunity pages of a host organisation: list, create, edit (with requirement rows), publish, close,
and the htmx helpers they use (a new requirement row, taxonomy suggestions).

Requirements are rows named ``<kind>-<index>-<field>`` (kind: occupations, skills, languages);
a blank row is ignored, so the page always offers one empty row of each kind, and "Add" fetches
another (htmx) or, without JavaScript, re-renders the form with one more. Occupations picked
from the vocabulary get their ISCO-08 code filled in; anything else is kept as typed (free text).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentgate.common.errors import Conflict, DomainError, FieldError, TransitionRefused, ValidationFailed
from talentgate.hosts import selectors, services, vocabulary
from talentgate.hosts.models import Membership, Opportunity, OpportunityStatus
from talentgate.portal.host.access import member_required
from talentgate.portal.host.forms import (
    OPPORTUNITY_RENAMES,
    ROW_FORMS,
    ROW_PATH,
    OpportunityForm,
    show_domain_error,
)
from talentgate.portal.host.views import sector_choices
from talentgate.portal.live import enable_live_validation

KINDS = tuple(ROW_FORMS)
ROW_KEY = re.compile(r"^(occupations|skills|languages)-(\d+)-")
SUGGESTERS = {
    "occupations": vocabulary.suggest_occupations,
    "skills": vocabulary.suggest_skills,
    "languages": vocabulary.suggest_languages,
}
# The row field that carries the taxonomy suggestions of each kind.
SUGGESTED_FIELD = {"occupations": "label", "skills": "label", "languages": "language"}


def own_opportunity(request: HttpRequest, membership: Membership, opportunity_id: int) -> Opportunity:
    """One of the member's organisation's opportunities; 404 for anyone else's (even a published one)."""
    opportunity = selectors.get_opportunity_for(request.user, opportunity_id)
    if opportunity.organisation_id != membership.organisation_id:
        raise Http404
    return opportunity


# --- requirement rows ----------------------------------------------------------------------------------------------


def row_form(kind: str, index: int, data: QueryDict | None = None, initial: dict[str, Any] | None = None) -> forms.Form:
    """A requirement row of ``kind`` at ``index``, its suggested field wired to the htmx autocomplete."""
    form = ROW_FORMS[kind](data, prefix=f"{kind}-{index}", initial=initial)
    suggested = form.fields[SUGGESTED_FIELD[kind]]
    suggested.widget.attrs.update(
        {
            "hx-get": reverse("portal:host:suggest", kwargs={"kind": kind}),
            "hx-trigger": "input changed delay:250ms, focus",
            "hx-target": f"#{kind}-suggestions",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            "list": f"{kind}-suggestions",
        }
    )
    return form


def _posted_rows(data: QueryDict) -> dict[str, list[forms.Form]]:
    indices: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for key in data:
        match = ROW_KEY.match(key)
        if match:
            indices[match.group(1)].add(int(match.group(2)))
    return {kind: [row_form(kind, i, data) for i in sorted(indices[kind])] for kind in KINDS}


def _stored_rows(opportunity: Opportunity | None) -> dict[str, list[forms.Form]]:
    if opportunity is None:
        return {kind: [] for kind in KINDS}
    values: dict[str, list[dict[str, Any]]] = {
        "occupations": [{"label": o.label, "isco08_code": o.isco08_code} for o in opportunity.occupations.all()],
        "skills": [{"label": s.label, "essential": s.essential} for s in opportunity.skills.all()],
        "languages": [{"language": la.language, "min_level": la.min_level} for la in opportunity.languages.all()],
    }
    return {kind: [row_form(kind, i, initial=v) for i, v in enumerate(values[kind])] for kind in KINDS}


def _with_blank_rows(rows: dict[str, list[forms.Form]], extra: str | None = None) -> dict[str, list[forms.Form]]:
    """Every kind ends with one empty row (two for the kind whose "Add" was pressed without htmx)."""
    for kind in KINDS:
        wanted = 2 if kind == extra else 1
        for _extra in range(wanted):
            rows[kind].append(row_form(kind, max((_index_of(r) for r in rows[kind]), default=-1) + 1))
    return rows


def _is_blank(row: forms.Form) -> bool:
    return not any(
        (v or "").strip()
        for k, v in row.data.items()
        if k.startswith(f"{row.prefix}-") and not k.endswith("-essential")
    )


def _requirements(
    rows: dict[str, list[forms.Form]],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[forms.Form]], bool]:
    """The non-blank rows as service dicts (occupations from the vocabulary get their code), the rows they came
    from (so service errors ``skills[1].label`` find their row) and whether every row is well formed."""
    values: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, list[forms.Form]] = {}
    valid = True
    for kind, forms_ in rows.items():
        values[kind], kept[kind] = [], []
        for row in forms_:
            if _is_blank(row):
                continue
            if not row.is_valid():
                valid = False
                kept[kind].append(row)
                continue
            value = row.to_service()  # type: ignore[attr-defined]
            if kind == "occupations" and not value["isco08_code"]:
                known = vocabulary.occupation_for_label(value["label"])
                if known is not None:
                    value["label"], value["isco08_code"] = known.label, known.code
            if kind == "languages":
                value["language"] = _language_code(value["language"])
            values[kind].append(value)
            kept[kind].append(row)
    return values, kept, valid


def _language_code(typed: str) -> str:
    """A language typed as its code or its English name ("Russian") -> its ISO 639-1 code; anything else as typed."""
    typed = typed.strip()
    if len(typed) == 2:
        return typed.lower()
    match = [t for t in vocabulary.languages() if t.label.casefold() == typed.casefold()]
    return match[0].code if match else typed


def _show_row_errors(error: DomainError, kept: dict[str, list[forms.Form]], form: forms.Form) -> list[FieldError]:
    """Put each service error about a requirement row next to that row's field; return the other errors."""
    left: list[FieldError] = []
    for item in error.errors:
        match = ROW_PATH.match(item.field)
        if not match:
            left.append(item)
            continue
        kind, index, name = match.group(1), int(match.group(2)), match.group(3)
        if index >= len(kept[kind]):
            form.add_error(None, item.message)
            continue
        row = kept[kind][index]
        if name is None and kind == "occupations":
            name = "isco08_code"  # "give an ESCO URI or an ISCO-08 code": the code is the field to fix
        row.add_error(name if name in row.fields else None, item.message)
    return left


def _render_form(
    request: HttpRequest,
    form: OpportunityForm,
    rows: dict[str, list[forms.Form]],
    opportunity: Opportunity | None,
    status: int = 200,
) -> HttpResponse:
    requirement_sets = [(kind, rows[kind], max((_index_of(r) for r in rows[kind]), default=-1) + 1) for kind in KINDS]
    return render(
        request,
        "portal/host/opportunity_form.html",
        {"form": form, "requirement_sets": requirement_sets, "opportunity": opportunity},
        status=status,
    )


def _index_of(row: forms.Form) -> int:
    return int(str(row.prefix).rsplit("-", 1)[1])


def _opportunity_form(
    request: HttpRequest, data: QueryDict | None = None, initial: dict[str, Any] | None = None
) -> OpportunityForm:
    form = OpportunityForm(data, initial=initial, sectors=sector_choices(request.user))
    enable_live_validation(form, reverse("portal:host:validate", kwargs={"form_name": "opportunity"}))
    return form


def _save(request: HttpRequest, membership: Membership, opportunity: Opportunity | None) -> HttpResponse:
    form = _opportunity_form(request, request.POST)
    rows = _posted_rows(request.POST)
    add = request.POST.get("add_row")
    if add in KINDS:
        # "Add" without htmx: show the form again with one more empty row; nothing is saved.
        form.is_valid()
        return _render_form(request, form, _with_blank_rows(rows, add), opportunity)
    requirements, kept, rows_valid = _requirements(rows)
    if form.is_valid() and rows_valid:
        try:
            if opportunity is None:
                values = form.service_values()
                saved = services.create_opportunity(
                    request.user,
                    title=values.pop("title"),
                    kind=values.pop("kind"),
                    country=values.pop("country"),
                    **requirements,
                    **values,
                )
                messages.success(request, _("The opportunity is saved as a draft."))
            else:
                saved = services.update_opportunity(
                    request.user, opportunity.pk, **requirements, **form.service_values()
                )
                messages.success(request, _("Your changes are saved."))
        except (ValidationFailed, Conflict) as error:
            left = _show_row_errors(error, kept, form)
            show_domain_error(
                form, type(error)(left) if isinstance(error, ValidationFailed) else error, OPPORTUNITY_RENAMES
            )
        else:
            return redirect("portal:host:opportunity_detail", opportunity_id=saved.pk)
    return _render_form(request, form, _with_blank_rows(rows), opportunity, status=400)


# --- pages ---------------------------------------------------------------------------------------------------------


@member_required
def opportunity_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's opportunities, filtered by status."""
    status = request.GET.get("status", "")
    opportunities = selectors.opportunities_visible_to(request.user).filter(organisation=membership.organisation)
    if status in OpportunityStatus.values:
        opportunities = opportunities.filter(status=status)
    return render(
        request,
        "portal/host/opportunity_list.html",
        {
            "organisation": membership.organisation,
            "opportunities": opportunities.order_by("-created_at"),
            "statuses": OpportunityStatus.choices,
            "status": status,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def opportunity_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new opportunity, saved as a draft."""
    if request.method == "POST":
        return _save(request, membership, None)
    form = _opportunity_form(request, initial={"country": membership.organisation.country_id})
    return _render_form(request, form, _with_blank_rows({kind: [] for kind in KINDS}), None)


@member_required
def opportunity_detail(request: HttpRequest, membership: Membership, opportunity_id: int) -> HttpResponse:
    """One opportunity: its fields and requirements, publish and close, and the offers made on it."""
    opportunity = own_opportunity(request, membership, opportunity_id)
    offers = selectors.offers_visible_to(request.user).filter(opportunity=opportunity).order_by("-created_at")
    return render(
        request,
        "portal/host/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "organisation": membership.organisation,
            "occupations": opportunity.occupations.all(),
            "skills": opportunity.skills.all(),
            "languages": [(la, vocabulary.language_name(la.language)) for la in opportunity.languages.all()],
            "offers": offers,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def opportunity_edit(request: HttpRequest, membership: Membership, opportunity_id: int) -> HttpResponse:
    """Change a draft or published opportunity (a closed one is frozen)."""
    opportunity = own_opportunity(request, membership, opportunity_id)
    if opportunity.status == OpportunityStatus.CLOSED:
        messages.error(request, _("A closed opportunity cannot be changed."))
        return redirect("portal:host:opportunity_detail", opportunity_id=opportunity.pk)
    if request.method == "POST":
        return _save(request, membership, opportunity)
    initial = {name: getattr(opportunity, name) for name in OpportunityForm.base_fields if hasattr(opportunity, name)}
    initial.update(
        sector=opportunity.sector_id,
        country=opportunity.country_id,
        salary_currency=opportunity.salary_currency_id or "",
    )
    form = _opportunity_form(request, initial=initial)
    return _render_form(request, form, _with_blank_rows(_stored_rows(opportunity)), opportunity)


def _move(request: HttpRequest, membership: Membership, opportunity_id: int, name: str) -> HttpResponse:
    opportunity = own_opportunity(request, membership, opportunity_id)
    try:
        getattr(services, f"{name}_opportunity")(request.user, opportunity.pk)
    except (TransitionRefused, Conflict) as error:
        messages.error(request, error.errors[0].message)
    else:
        done = {"publish": _("The opportunity is published."), "close": _("The opportunity is closed.")}
        messages.success(request, done[name])
    return redirect("portal:host:opportunity_detail", opportunity_id=opportunity.pk)


@require_POST
@member_required
def opportunity_publish(request: HttpRequest, membership: Membership, opportunity_id: int) -> HttpResponse:
    """Publish a draft; refused (with the reason) until the organisation is verified or after the deadline."""
    return _move(request, membership, opportunity_id, "publish")


@require_POST
@member_required
def opportunity_close(request: HttpRequest, membership: Membership, opportunity_id: int) -> HttpResponse:
    """Close a draft or published opportunity; offers already made stay as they are."""
    return _move(request, membership, opportunity_id, "close")


# --- htmx helpers -------------------------------------------------------------------------------------------------------


@require_GET
@member_required
def requirement_row(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    """One more empty requirement row of ``kind`` followed by the "Add" button for the next one."""
    if kind not in KINDS:
        raise Http404
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 999))
    except ValueError:
        index = 0
    return render(
        request,
        "portal/host/_requirement_row_added.html",
        {"row": row_form(kind, index), "kind": kind, "next_index": index + 1},
    )


@require_GET
@member_required
def suggest(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    """``<option>`` elements for the ``<datalist>`` of ``kind``: the vocabulary's best matches for what was typed.

    The query is the value of the one field the request carries (htmx sends the typing field by its
    name) or ``q``.
    """
    if kind not in SUGGESTERS:
        raise Http404
    query = request.GET.get("q") or next((str(v) for _key, v in request.GET.items() if v), "")
    return render(request, "portal/host/_suggestions.html", {"terms": SUGGESTERS[kind](query), "kind": kind})
