"""Reads of relocation cases and their parts, each filtered to what the actor may see.

``cases_visible_to(actor)`` returns a queryset; ``get_case_for(actor, id)`` raises ``NotFound``
both for a missing case and for one the actor may not see. Who sees what: programme staff
(officers, supervisors, administrators) every case; the candidate their own; host staff the
cases of their organisation; the authority the cases handed to it; the system (``None``,
e.g. the authority integration) every case; everyone else none.

Encrypted numbers leave this module masked (``masked_*``); the clear value is only given by
``services.reveal_field``, which is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.cases.clock import stage_clock
from talentgate.cases.models import (
    OPEN_STAGES,
    PERMIT_HELD_STAGES,
    CaseDocument,
    CaseKind,
    CaseTransition,
    DocumentStatus,
    Permit,
    PermitStatus,
    RelocationCase,
    Stage,
)
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.crypto import mask
from talentgate.common.errors import FieldError, NotFound, PermissionRefused, ValidationFailed

# Declared for makemessages: NotFound looks the noun up under the context "object".
OBJECT_NAMES = (pgettext_lazy("object", "case"), pgettext_lazy("object", "case document"))

#: The stages the immigration authority sees: from the hand-off on.
AUTHORITY_STAGES: tuple[str, ...] = (
    Stage.SUBMITTED,
    Stage.PERMIT_GRANTED,
    Stage.PERMIT_REFUSED,
    Stage.RELOCATING,
    Stage.ARRIVED,
    Stage.FOLLOW_UP_6M,
    Stage.FOLLOW_UP_12M,
)

#: The transitions programme staff run from a queue, in lifecycle order (the authority's and the
#: candidate's are ``grant_permit``/``refuse_permit`` and ``withdraw``).
OFFICER_TRANSITIONS: tuple[str, ...] = (
    "prepare",
    "approve",
    "submit_to_authority",
    "start_relocation",
    "record_arrival",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
    "reject",
    "withdraw",
)


def cases_visible_to(actor: Any) -> QuerySet[RelocationCase]:
    """The cases ``actor`` may see (see the module docstring)."""
    base = RelocationCase.objects.select_related("profile", "programme", "organisation", "sector", "offer")
    if actor is None:
        return base
    role = role_of(actor)
    if is_programme_staff(actor):
        return base
    if role == Role.CANDIDATE:
        return base.filter(profile__user_id=actor.pk)
    if role in HOST_ROLES:
        return base.filter(organisation__memberships__user_id=actor.pk, organisation__memberships__active=True)
    if role == Role.AUTHORITY:
        return base.filter(stage__in=AUTHORITY_STAGES)
    return base.none()


def get_case_for(actor: Any, case_id: int) -> RelocationCase:
    """The case, if ``actor`` may see it; ``NotFound`` otherwise."""
    try:
        return cases_visible_to(actor).get(pk=case_id)
    except (RelocationCase.DoesNotExist, ValueError, TypeError):
        raise NotFound("case") from None


def history_for(actor: Any, case_id: int) -> QuerySet[CaseTransition]:
    """The case's stage history, oldest first."""
    case = get_case_for(actor, case_id)
    return case.history.select_related("actor").order_by("version")


def history_gaps(case: RelocationCase) -> list[str]:
    """Where the case's history is not one unbroken line (empty when it is): versions must run 1, 2, 3...
    without gaps, each move must leave the stage the previous one entered, when it was entered,
    and the last move must end at the case's current stage and version."""
    problems: list[str] = []
    previous: CaseTransition | None = None
    for row in case.history.order_by("version"):
        expected = previous.version + 1 if previous else 1
        if row.version != expected:
            problems.append(f"version {expected} missing (found {row.version})")
        if previous is None:
            if row.from_stage:
                problems.append(f"v{row.version}: first move starts from '{row.from_stage}', not from nothing")
        else:
            if row.from_stage != previous.to_stage:
                problems.append(
                    f"v{row.version}: leaves '{row.from_stage}' but v{previous.version} entered '{previous.to_stage}'"
                )
            if row.entered_at != previous.left_at:
                problems.append(f"v{row.version}: entered its stage at {row.entered_at}, not at {previous.left_at}")
        previous = row
    if previous is None:
        problems.append("no history")
    elif previous.to_stage != case.stage:
        problems.append(f"last move entered '{previous.to_stage}' but the case is at '{case.stage}'")
    return problems


def time_in_current_stage(case: RelocationCase, now: Any = None) -> tuple[int, int]:
    """``(active_seconds, paused_seconds)`` the case has spent in its current stage so far."""
    return stage_clock(case, case.stage_entered_at, now)


# --- officers' queues ---------------------------------------------------------------------------------------------

CASE_SORTS: dict[str, tuple[Any, ...]] = {
    "waiting": ("stage_entered_at", "pk"),
    "-waiting": ("-stage_entered_at", "-pk"),
    "opened": ("opened_at", "pk"),
    "-opened": ("-opened_at", "-pk"),
    "name": ("profile__family_name_latin", "profile__given_names_latin", "pk"),
}
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class CaseQuery:
    """What a queue or the API list asks for; empty values mean "any". ``country`` is the candidate's
    country of residence when the case opened; ``destination_country`` where the host is."""

    stages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    programme_id: int | None = None
    sector_id: int | None = None
    organisation_id: int | None = None
    country: str = ""
    destination_country: str = ""
    open_only: bool = False
    sort: str = "waiting"


def _may_list(actor: Any) -> None:
    # Analysts and reviewers never read personal case rows: refuse outright rather than answer
    # with an empty list that looks like "no cases".
    if actor is not None and role_of(actor) not in (
        Role.OFFICER,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
        Role.CANDIDATE,
        Role.AUTHORITY,
        *HOST_ROLES,
    ):
        raise PermissionRefused(gettext("Your role does not list relocation cases."), rule="role")


def _choice_errors(field: str, values: tuple[str, ...], allowed: list[str], what: str) -> list[FieldError]:
    return [
        FieldError(
            field,
            "choice",
            gettext("'%(value)s' is not a %(what)s; use one of: %(choices)s.")
            % {"value": value, "what": what, "choices": ", ".join(allowed)},
        )
        for value in values
        if value not in allowed
    ]


def _query_errors(query: CaseQuery) -> list[FieldError]:
    errors = _choice_errors("stage", query.stages, list(Stage.values), gettext("case stage"))
    errors += _choice_errors("kind", query.kinds, list(CaseKind.values), gettext("case kind"))
    errors += _choice_errors("sort", (query.sort,), list(CASE_SORTS), gettext("sort order"))
    for field in ("country", "destination_country"):
        value = getattr(query, field)
        if value and not _COUNTRY_CODE.match(value):
            errors.append(
                FieldError(field, "country_code", gettext("Give the country as two capital letters (ISO 3166-1)."))
            )
    return errors


def cases_matching(actor: Any, query: CaseQuery) -> QuerySet[RelocationCase]:
    """The cases ``actor`` may see that match ``query``, in its sort order.

    A query that breaks a rule is refused with every broken rule named (400); a priority sector
    matches its sub-sectors too. Deadlines (due soon, overdue) are filtered by ``cases.sla``.
    """
    _may_list(actor)
    errors = _query_errors(query)
    if errors:
        raise ValidationFailed(errors)
    cases = cases_visible_to(actor)
    if query.stages:
        cases = cases.filter(stage__in=query.stages)
    if query.open_only:
        cases = cases.filter(stage__in=OPEN_STAGES)
    if query.kinds:
        cases = cases.filter(kind__in=query.kinds)
    if query.programme_id is not None:
        cases = cases.filter(programme_id=query.programme_id)
    if query.sector_id is not None:
        from talentgate.programmes.selectors import sector_with_descendants

        cases = cases.filter(sector_id__in=sector_with_descendants(query.sector_id))
    if query.organisation_id is not None:
        cases = cases.filter(organisation_id=query.organisation_id)
    if query.country:
        cases = cases.filter(origin_country=query.country)
    if query.destination_country:
        cases = cases.filter(destination_country_id=query.destination_country)
    return cases.order_by(*CASE_SORTS[query.sort])


def case_stage_counts(actor: Any, query: CaseQuery) -> dict[str, int]:
    """How many cases match ``query`` at each stage (the query's own stages ignored), every stage present."""
    rows = (
        cases_matching(actor, replace(query, stages=(), open_only=False))
        .order_by()
        .values("stage")
        .annotate(count=Count("pk"))
    )
    counts = dict.fromkeys(Stage.values, 0)
    counts.update({row["stage"]: row["count"] for row in rows})
    return counts


# --- documents, permits and retention ----------------------------------------------------------------------------


def documents_expiring_soon(actor: Any, *, within_days: int = 30, on: date | None = None) -> QuerySet[CaseDocument]:
    """Documents of open cases the actor sees that expire within ``within_days`` of ``on`` (or already have),
    soonest first: the warnings officers and candidates get before a document lapses."""
    today = on or timezone.localdate()
    return (
        CaseDocument.objects.filter(
            case__in=cases_visible_to(actor).filter(stage__in=OPEN_STAGES),
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=within_days),
        )
        .exclude(status=DocumentStatus.REJECTED)
        .select_related("case", "family_member")
        .order_by("expires_on", "pk")
    )


def permits_due_for_renewal(actor: Any, *, within_days: int = 90, on: date | None = None) -> QuerySet[Permit]:
    """Active permits (the candidate's and the family's) of cases still under way whose validity ends within
    ``within_days`` of ``on``, soonest first: the renewal reminders."""
    today = on or timezone.localdate()
    return (
        Permit.objects.filter(
            case__in=cases_visible_to(actor).filter(stage__in=PERMIT_HELD_STAGES),
            status=PermitStatus.ACTIVE,
            valid_until__lte=today + timedelta(days=within_days),
        )
        .select_related("case", "family_member")
        .order_by("valid_until", "pk")
    )


def retention_summary(actor: Any, *, programme_id: int | None = None) -> dict[str, int]:
    """How many people arrived, how many are still there at 6 and 12 months, and how many left early.

    Counts cases the actor sees (programme staff: all). "Still there at 6 months" counts cases
    that reached the 6-month follow-up, whatever happened after.
    """
    cases = cases_visible_to(actor)
    if programme_id is not None:
        cases = cases.filter(programme_id=programme_id)
    reached = CaseTransition.objects.filter(case__in=cases)
    return {
        "arrived": reached.filter(to_stage=Stage.ARRIVED).values("case").distinct().count(),
        "stayed_6m": reached.filter(to_stage=Stage.FOLLOW_UP_6M).values("case").distinct().count(),
        "stayed_12m": reached.filter(to_stage=Stage.FOLLOW_UP_12M).values("case").distinct().count(),
        "departed_early": cases.filter(departed_on__isnull=False).count(),
        "changed_host": cases.filter(host_changes__isnull=False).distinct().count(),
    }


def stage_durations(*, to_stage: str | None = None) -> QuerySet[CaseTransition]:
    """History rows with time in stage (pauses excluded), for analytics: ``from_stage``, ``active_seconds``."""
    rows = CaseTransition.objects.exclude(from_stage="")
    if to_stage:
        rows = rows.filter(to_stage=to_stage)
    return rows.annotate(wall_seconds=F("active_seconds") + F("paused_seconds")).order_by("left_at", "pk")


# --- masked values -------------------------------------------------------------------------------------------------


def masked_permits(case: RelocationCase) -> list[dict[str, Any]]:
    """The case's permits as lists and forms show them: numbers masked."""
    return [
        {
            "id": permit.pk,
            "family_member_id": permit.family_member_id,
            "permit_type": permit.permit_type,
            "number": mask(permit.number),
            "issued_on": permit.issued_on,
            "valid_from": permit.valid_from,
            "valid_until": permit.valid_until,
            "status": permit.status,
        }
        for permit in case.permits.order_by("pk")
    ]


def masked_family(case: RelocationCase) -> list[dict[str, Any]]:
    """The case's accompanying family as lists and forms show them: identity numbers masked."""
    return [
        {
            "id": member.pk,
            "relation": member.relation,
            "given_names_latin": member.given_names_latin,
            "family_name_latin": member.family_name_latin,
            "date_of_birth": member.date_of_birth,
            "identity_number": mask(member.identity_number),
        }
        for member in case.family.order_by("pk")
    ]


def open_cases_of_profile(profile_id: int) -> QuerySet[RelocationCase]:
    """The profile's cases still under way (for the candidate's own pages and retention)."""
    return RelocationCase.objects.filter(profile_id=profile_id, stage__in=OPEN_STAGES)


def cases_with_open_items(actor: Any, due_before: str = "prepare") -> QuerySet[RelocationCase]:
    """Open cases whose required checklist items due before ``due_before`` are not all done."""
    return (
        cases_visible_to(actor)
        .filter(stage__in=OPEN_STAGES)
        .filter(Q(checklist__due_before=due_before, checklist__required=True, checklist__completed_at__isnull=True))
        .distinct()
    )


# --- the case file and the transitions open now (portal pages and the API) -----------------------------------------


def may_see_case_file(actor: Any, case: RelocationCase) -> bool:
    """Whether ``actor`` may read the personal parts of ``case`` (checklist, documents, family, permits,
    decisions): programme staff, its candidate, and the authority once the case is handed to it.
    Host staff see the case itself (stage, dates) but not these."""
    role = role_of(actor)
    if actor is None or is_programme_staff(actor):
        return True
    if role == Role.CANDIDATE:
        return case.profile.user_id == actor.pk
    return role == Role.AUTHORITY and case.stage in AUTHORITY_STAGES


def get_case_file_for(actor: Any, case_id: int) -> RelocationCase:
    """The case, for whoever may read its personal parts (see :func:`may_see_case_file`).

    A case the actor cannot see at all is ``NotFound``; one they see without its file (host staff)
    is refused (403)."""
    case = get_case_for(actor, case_id)
    if not may_see_case_file(actor, case):
        raise PermissionRefused(
            gettext("Only programme staff, the case's candidate and the authority read this part of a case."),
            rule="case_file",
        )
    return case


def get_case_document_for(actor: Any, case_id: int, document_id: int) -> CaseDocument:
    """One document of the case; a document of another case (or an unknown one) is ``NotFound``."""
    case = get_case_file_for(actor, case_id)
    document = case.documents.select_related("family_member", "checklist_item").filter(pk=document_id).first()
    if document is None:
        raise NotFound("case document")
    return document


@dataclass(frozen=True)
class CaseTransitionOption:
    """A transition leaving the case's current stage; ``refusal`` says why ``actor`` may not run it now."""

    name: str
    target: str
    rule: str = ""
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusal


#: The transitions offered as buttons, in lifecycle order (``record_departure`` and ``reopen`` included:
#: they leave several stages).
OFFERED_TRANSITIONS: tuple[str, ...] = (
    "prepare",
    "approve",
    "submit_to_authority",
    "grant_permit",
    "refuse_permit",
    "start_relocation",
    "record_arrival",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
    "record_departure",
    "reopen",
    "reject",
    "withdraw",
)


def transition_options_for(actor: Any, case: RelocationCase) -> list[CaseTransitionOption]:
    """The transitions leaving the case's stage, each checked with its guards as ``actor`` would meet them.

    Transitions the actor's role can never run are left out only for candidates and host staff
    (who would otherwise see every officer's button); staff see why a button is blocked, the
    failed condition's specifics included (which checklist items are open).
    """
    from talentgate.cases.guards import details_for
    from talentgate.common.errors import DomainError
    from talentgate.common.workflow import check_transition

    options: list[CaseTransitionOption] = []
    staff = actor is None or is_programme_staff(actor)
    for name in OFFERED_TRANSITIONS:
        meta = getattr(case, name)._django_fsm
        fsm_transition = meta.get_transition(case.stage) if meta.has_transition(case.stage) else None
        if fsm_transition is None:
            continue
        target = str(fsm_transition.target) if isinstance(fsm_transition.target, str) else ""
        try:
            check_transition(case, name, actor)
        except PermissionRefused as refusal:
            if staff:
                first = refusal.errors[0]
                options.append(CaseTransitionOption(name, target, first.rule, first.message))
        except DomainError as refusal:
            first = refusal.errors[0]
            if name == "grant_permit" and first.rule == "permit_recorded":
                # The grant records the permit itself (services.grant_permit), so this condition is met by acting.
                options.append(CaseTransitionOption(name, target))
                continue
            detail = details_for(case, first.rule)
            message = f"{first.message} ({detail})" if detail else first.message
            options.append(CaseTransitionOption(name, target, first.rule, message))
        else:
            options.append(CaseTransitionOption(name, target))
    return options
