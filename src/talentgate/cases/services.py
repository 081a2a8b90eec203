"""Every write on relocation cases: opening, the guarded transitions, checklists, documents, family, permits,
clock pauses, changes of host and the audited reveal of encrypted fields.

Each service is atomic. A transition locks the case row (PostgreSQL; SQLite's write
transactions are exclusive already), checks the caller's ``expected_version``, runs the
django-fsm-2 transition through ``common.workflow`` (so a refusal names the failed condition),
and writes in the same transaction the :class:`CaseTransition` row (time in the stage left,
clock pauses excluded), the :class:`Decision` where it decides something, the entries on the
case's audit chain (``case:<id>``), the candidate's notification, and sends
``signals.case_transitioned`` for other apps' side effects. Any failure leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import ConcurrentTransition

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import upload_problems
from talentgate.cases import checklists, guards, selectors
from talentgate.cases.clock import stage_clock
from talentgate.cases.models import (
    OPEN_STAGES,
    PERMIT_HELD_STAGES,
    CaseDocument,
    CaseKind,
    CaseSource,
    CaseTransition,
    ChecklistItem,
    ClockPause,
    Decision,
    DocumentKind,
    DocumentStatus,
    FamilyMember,
    HostChange,
    Permit,
    PermitStatus,
    PermitType,
    Relation,
    RelocationCase,
    Stage,
)
from talentgate.cases.signals import case_opened, case_transitioned
from talentgate.common import audit
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    PermissionRefused,
    TransitionRefused,
    ValidationFailed,
)
from talentgate.common.workflow import check_transition, run_transition, validation_errors
from talentgate.notifications import kinds as notification_kinds
from talentgate.notifications.services import notify

# An offer's kind says what sort of relocation follows (the case kind decides the checklist).
KIND_FOR_OPPORTUNITY = {
    "position": CaseKind.SPECIALIST,
    "fellowship": CaseKind.RESEARCHER,
    "exchange_slot": CaseKind.ACADEMIC_MOBILITY,
    "facility_collaboration": CaseKind.RESEARCHER,
}
# Profile documents that are also case documents, carried over (with their verification) when a case opens.
CARRIED_DOCUMENT_KINDS = {
    "passport": DocumentKind.PASSPORT,
    "photo": DocumentKind.PHOTO,
    "diploma": DocumentKind.DIPLOMA,
    "medical": DocumentKind.MEDICAL,
    "police_clearance": DocumentKind.POLICE_CLEARANCE,
    "award_evidence": DocumentKind.AWARD_EVIDENCE,
}
# The application a case links to: the matched one first, then any other still alive, newest first.
_APPLICATION_PREFERENCE = ["matched", "invited", "assessed", "screening", "submitted"]
# Fields a staff member may reveal, and where each lives.
REVEALABLE_FIELDS = ("permit_number", "family_identity_number")


def case_chain(case: RelocationCase | int) -> str:
    """The audit chain of one case."""
    return audit.chain_for_case(case if isinstance(case, int) else case.pk)


def _is_system_or_staff(actor: Any) -> bool:
    return actor is None or is_programme_staff(actor)


def _own_case(actor: Any, case: RelocationCase) -> bool:
    return role_of(actor) == Role.CANDIDATE and case.profile.user_id == getattr(actor, "pk", None)


def _require_staff(actor: Any) -> None:
    if not is_programme_staff(actor):
        raise PermissionRefused(gettext("This needs a programme officer, supervisor or administrator."), rule="role")


def _require_staff_or_owner(actor: Any, case: RelocationCase) -> None:
    if not (is_programme_staff(actor) or _own_case(actor, case)):
        raise PermissionRefused(gettext("This needs the case's candidate or programme staff."), rule="role")


def _refuse_invalid(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    errors = validation_errors(instance, exclude=exclude)
    if errors:
        raise ValidationFailed(errors)


def _required_text(name: str, value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed.single(name, "required", what)
    return value


# --- opening -------------------------------------------------------------------------------------------------------


def _pick_application(profile: Profile, programme_id: int | None = None) -> Any:
    applications = list(profile.applications.filter(status__in=_APPLICATION_PREFERENCE).order_by("-created_at", "-pk"))
    if programme_id is not None:
        applications = [a for a in applications if a.programme_id == programme_id]
    applications.sort(key=lambda a: _APPLICATION_PREFERENCE.index(a.status))
    return applications[0] if applications else None


def _build_checklist(case: RelocationCase) -> list[ChecklistItem]:
    items = [
        ChecklistItem(
            case=case,
            code=spec.code,
            category=spec.category,
            document_kind=spec.document_kind,
            due_before=spec.due_before,
            required=spec.required,
        )
        for spec in checklists.checklist_for_case(case.kind)
    ]
    return ChecklistItem.objects.bulk_create(items)


def _build_member_checklist(member: FamilyMember) -> list[ChecklistItem]:
    return ChecklistItem.objects.bulk_create(
        ChecklistItem(
            case_id=member.case_id,
            family_member=member,
            code=spec.code,
            category=spec.category,
            document_kind=spec.document_kind,
            due_before=spec.due_before,
            required=spec.required,
        )
        for spec in checklists.checklist_for_member(member.relation)
    )


def _carry_over_documents(case: RelocationCase, items: list[ChecklistItem]) -> list[CaseDocument]:
    """Copy the profile's documents a case needs (not rejected), keeping their verification, and tick their items."""
    by_kind = {item.document_kind: item for item in items if item.document_kind}
    carried: list[CaseDocument] = []
    for document in case.profile.documents.exclude(status="rejected").order_by("pk"):
        kind = CARRIED_DOCUMENT_KINDS.get(document.kind)
        if kind is None or kind not in by_kind:
            continue
        item = by_kind[kind]
        carried.append(
            CaseDocument(
                case=case,
                checklist_item=item,
                kind=kind,
                source_document=document,
                file=document.file.name if document.file else "",
                file_name=document.file_name,
                issued_on=document.issued_on,
                expires_on=document.expires_on,
                status=DocumentStatus.VERIFIED if document.status == "verified" else DocumentStatus.PENDING,
                verified_by_id=document.verified_by_id,
                verified_at=document.verified_at,
            )
        )
        if item.completed_at is None:
            item.completed_at = timezone.now()
            ChecklistItem.objects.filter(pk=item.pk).update(completed_at=item.completed_at)
    return CaseDocument.objects.bulk_create(carried)


def _create_case(actor: Any, case: RelocationCase) -> RelocationCase:
    # The opening row's times must match exactly, or the history would show a gap.
    case.opened_at = case.stage_entered_at = timezone.now()
    _refuse_invalid(case)
    case.save()
    CaseTransition.objects.create(
        case=case,
        transition="open",
        from_stage="",
        to_stage=Stage.OPENED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        entered_at=case.opened_at,
        left_at=case.opened_at,
        version=case.version,
        reason=case.source,
    )
    items = _build_checklist(case)
    members = FamilyMember.objects.bulk_create(
        FamilyMember(
            case=case,
            source=member,
            relation=member.relation,
            given_names_latin=member.given_names_latin,
            family_name_latin=member.family_name_latin,
            date_of_birth=member.date_of_birth,
        )
        for member in case.profile.family.order_by("pk")
    )
    for member in members:
        _build_member_checklist(member)
    documents = _carry_over_documents(case, items)
    chain = case_chain(case)
    audit.record_many(
        actor,
        [
            audit.AuditEvent(
                "case.opened",
                case,
                chain,
                ["stage", "kind", "source", "profile", "offer", "application", "organisation"],
                case.source,
            ),
            *(audit.AuditEvent("case.document_carried_over", d, chain, ["kind", "status"]) for d in documents),
        ],
    )
    case_opened.send(sender=RelocationCase, case=case, actor=actor)
    return case


def open_case_for_offer(offer: Any, *, actor: Any = None) -> RelocationCase:
    """Open the relocation case of an accepted offer, linked to it and to the candidate's application.

    Called inside the transaction that accepts the offer (``cases.receivers``), so the two commit
    together. Opening is idempotent: a second call returns the case already open for the offer. A
    person has one case under way at a time: when they already have one, it is returned and the
    acceptance is noted on its audit chain (an officer then records a change of host).
    """
    if offer.status != "accepted":
        raise Conflict("offer", "not_accepted", gettext("A case opens only for an accepted offer."))
    existing = RelocationCase.objects.filter(offer_id=offer.pk).first()
    if existing is not None:
        return existing
    # One relocation under way per person: a further accepted offer (a new host for someone already
    # on the way or arrived) is noted on the open case, where an officer records it as a change of host.
    under_way = RelocationCase.objects.filter(profile_id=offer.profile_id, stage__in=OPEN_STAGES).first()
    if under_way is not None:
        audit.record(
            actor,
            "case.another_offer_accepted",
            under_way,
            chain=case_chain(under_way),
            fields=["offer"],
            reason=f"offer {offer.pk}",
        )
        return under_way
    opportunity = offer.opportunity
    profile = offer.profile
    application = _pick_application(profile)
    case = RelocationCase(
        programme_id=application.programme_id if application else None,
        kind=KIND_FOR_OPPORTUNITY.get(opportunity.kind, CaseKind.SPECIALIST),
        source=CaseSource.OFFER,
        profile=profile,
        offer=offer,
        application=application,
        organisation_id=opportunity.organisation_id,
        sector_id=opportunity.sector_id or opportunity.organisation.sector_id,
        destination_country_id=opportunity.country_id,
        origin_country=profile.residence_country,
    )
    with transaction.atomic():
        return _create_case(actor, case)


def open_case_from_award(
    actor: Any,
    *,
    profile_id: int,
    kind: str,
    programme_id: int | None = None,
    award: models.Model | None = None,
    award_reference: str = "",
    organisation_id: int | None = None,
    sector_id: int | None = None,
    destination_country: str = "",
) -> RelocationCase:
    """Open a case for a competition award (programme staff, or the system when the award is made).

    ``award`` is the award row when the competitions app has one, ``award_reference`` its
    reference otherwise; one of them is required. The case links to the candidate's application
    to the programme when there is one.
    """
    if not _is_system_or_staff(actor):
        _require_staff(actor)
    try:
        profile = Profile.objects.get(pk=profile_id)
    except (Profile.DoesNotExist, ValueError, TypeError):
        raise NotFound("profile") from None
    errors: list[FieldError] = []
    if kind not in CaseKind.values:
        errors.append(
            FieldError(
                "kind",
                "choice",
                gettext("'%(value)s' is not a case kind; use one of: %(choices)s.")
                % {"value": kind, "choices": ", ".join(CaseKind.values)},
            )
        )
    if award is None and not award_reference.strip():
        errors.append(FieldError("award", "required", gettext("Name the award the case is opened for.")))
    if errors:
        raise ValidationFailed(errors)
    application = _pick_application(profile, programme_id)
    case = RelocationCase(
        programme_id=programme_id if programme_id is not None else (application.programme_id if application else None),
        kind=kind,
        source=CaseSource.AWARD,
        profile=profile,
        application=application,
        award_type=ContentType.objects.get_for_model(award) if award is not None else None,
        award_id=award.pk if award is not None else None,
        award_reference=award_reference.strip(),
        organisation_id=organisation_id,
        sector_id=sector_id,
        destination_country_id=destination_country or None,
        origin_country=profile.residence_country,
    )
    with transaction.atomic():
        return _create_case(actor, case)


# --- running transitions -------------------------------------------------------------------------------------------


def _stale(case_id: int, expected: int | None) -> Conflict:
    row = RelocationCase.objects.filter(pk=case_id).values_list("stage", "version").first()
    stage, version = row if row is not None else ("", None)
    label = str(Stage(stage).label) if stage in Stage.values else stage
    message = gettext(
        "This case changed since you loaded it: it is now at stage '%(stage)s', version %(version)s "
        "(you had version %(expected)s). Reload it and try again."
    ) % {"stage": label, "version": version, "expected": expected}
    return Conflict("version", "stale_version", message)


def lock_case(actor: Any, case_id: int, expected_version: int | None = None) -> RelocationCase:
    """The case, visible to ``actor``, locked for this transaction, at ``expected_version`` if one is given.

    Call inside ``transaction.atomic()``. On PostgreSQL the row lock makes a second writer wait
    until the first commits and then see its result; on SQLite the write transaction is exclusive.
    """
    selectors.get_case_for(actor, case_id)
    case = (
        RelocationCase.objects.select_for_update(of=("self",))
        .select_related("profile", "programme", "organisation")
        .get(pk=case_id)
    )
    if expected_version is not None and case.version != expected_version:
        raise _stale(case_id, expected_version)
    return case


def _check(case: RelocationCase, name: str, actor: Any, *, skip: tuple[str, ...] = ()) -> None:
    """``check_transition`` with the specifics of a failed condition added (which items are open)."""
    try:
        check_transition(case, name, actor)
    except TransitionRefused as refusal:
        rule = refusal.errors[0].rule
        if rule in skip:
            return
        detail = guards.details_for(case, rule)
        if detail:
            refusal.errors[0].message = f"{refusal.errors[0].message} ({detail})"
            refusal.args = (refusal.errors[0].message,)
        raise


@dataclass
class DecisionSpec:
    """What a deciding transition records: its kind and basis (a policy and version, or a legal ground)."""

    kind: str
    reasons: str = ""
    policy_id: str = ""
    policy_version: str = ""
    legal_ground: str = ""


@dataclass
class Moved:
    """The result of one transition: the case (at its new stage and version), its history row and decision."""

    case: RelocationCase
    transition: CaseTransition
    decision: Decision | None = None
    extra: list[models.Model] = field(default_factory=list)


def _link(case: RelocationCase) -> str:
    for name in ("portal:cases:case", "portal:candidate:case"):
        try:
            return reverse(name, kwargs={"case_id": case.pk})
        except NoReverseMatch:
            continue
    return ""


def _notify_candidate(actor: Any, case: RelocationCase, row: CaseTransition, decision: Decision | None) -> None:
    recipient = case.profile.user
    if recipient is None or recipient.pk == getattr(actor, "pk", None):
        return
    kind = notification_kinds.DECISION_MADE if decision is not None else notification_kinds.STATUS_CHANGED
    notify(
        recipient,
        kind.code,
        {
            "object": "case",
            "object_id": case.pk,
            "model": "cases.relocationcase",
            "state_field": "stage",
            "from_state": row.from_stage,
            "to_state": row.to_stage,
            "reason": row.reason,
        },
        link=_link(case),
    )


def _move(
    actor: Any,
    case_id: int,
    name: str,
    *,
    expected_version: int | None,
    reason: str = "",
    kwargs: Mapping[str, Any] | None = None,
    before: Callable[[RelocationCase], list[models.Model]] | None = None,
    skip_conditions: tuple[str, ...] = (),
    decision: DecisionSpec | None = None,
    fields: Iterable[str] = (),
) -> Moved:
    """Run transition ``name`` and write everything that goes with it, all in one transaction.

    ``before`` writes what a guard needs to see (the permit a grant records) after the actor
    and the source state were checked; ``skip_conditions`` names the conditions it satisfies.
    """
    with transaction.atomic():
        case = lock_case(actor, case_id, expected_version)
        _check(case, name, actor, skip=skip_conditions)
        extra = before(case) if before else []
        entered_at = case.stage_entered_at
        try:
            from_stage, to_stage = run_transition(case, name, actor, **(kwargs or {}))
        except Conflict:
            raise _stale(case_id, expected_version if expected_version is not None else case._version_in_db) from None
        active, paused = stage_clock(case, entered_at, case.stage_entered_at)
        person = actor if getattr(actor, "is_authenticated", False) else None
        row = CaseTransition.objects.create(
            case=case,
            transition=name,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=person,
            entered_at=entered_at,
            left_at=case.stage_entered_at,
            active_seconds=active,
            paused_seconds=paused,
            version=case.version,
            reason=reason,
        )
        events = [audit.AuditEvent(f"case.{name}", case, case_chain(case), ["stage", "version", *fields], reason)]
        made: Decision | None = None
        if decision is not None:
            made = Decision(
                case=case,
                kind=decision.kind,
                transition=row,
                policy_id=decision.policy_id,
                policy_version=decision.policy_version,
                legal_ground=decision.legal_ground,
                officer=person,
                decided_at=row.left_at,
                reasons=decision.reasons,
            )
            _refuse_invalid(made, exclude=["case", "transition", "officer"])
            made.save()
            Permit.objects.filter(pk__in=[p.pk for p in extra if isinstance(p, Permit)]).update(decision=made)
            events.append(
                audit.AuditEvent(
                    f"decision.{decision.kind}",
                    made,
                    case_chain(case),
                    ["kind", "policy_id", "policy_version", "legal_ground", "reasons"],
                )
            )
        audit.record_many(actor, events)
        case_transitioned.send(sender=RelocationCase, case=case, transition=row, decision=made, actor=actor)
        _notify_candidate(actor, case, row, made)
    return Moved(case, row, made, extra)


def _approval_basis(case: RelocationCase, policy_id: str, policy_version: str, legal_ground: str) -> DecisionSpec:
    """The basis an approval cites: the one given, else the application's latest eligible assessment,
    else the programme's legal ground."""
    if (policy_id and policy_version) or legal_ground:
        return DecisionSpec("approval", "", policy_id, policy_version, legal_ground)
    if case.application is not None:
        assessment = case.application.assessments.filter(eligible=True).order_by("-on", "-pk").first()
        if assessment is not None:
            return DecisionSpec("approval", "", assessment.policy_id, assessment.version)
    settings = getattr(case.programme, "case_settings", None) if case.programme_id else None
    if settings is not None and settings.legal_ground:
        return DecisionSpec("approval", "", legal_ground=settings.legal_ground)
    raise ValidationFailed.single(
        "legal_ground",
        "basis",
        gettext("Give the basis of the approval: a policy id and version, or a legal ground."),
    )


def prepare(actor: Any, case_id: int, *, expected_version: int | None = None, note: str = "") -> RelocationCase:
    """Mark the case prepared for approval (an officer; every required checklist item due before it done)."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    return _move(
        actor,
        case_id,
        "prepare",
        expected_version=expected_version,
        reason=note.strip(),
        kwargs={"by": person},
        fields=["prepared_by"],
    ).case


def approve(
    actor: Any,
    case_id: int,
    *,
    expected_version: int | None = None,
    reasons: str = "",
    policy_id: str = "",
    policy_version: str = "",
    legal_ground: str = "",
) -> RelocationCase:
    """Approve a prepared case for the hand-off to the authority, recording the decision and its basis.

    With the programme's four-eyes rule on (the default) a supervisor approves, or an officer
    other than the one who prepared it.
    """
    with transaction.atomic():
        case = lock_case(actor, case_id, expected_version)
        _check(case, "approve", actor)
        spec = _approval_basis(case, policy_id.strip(), policy_version.strip(), legal_ground.strip())
        spec.reasons = reasons.strip()
        return _move(
            actor, case_id, "approve", expected_version=expected_version, reason=spec.reasons, decision=spec
        ).case


def submit_to_authority(actor: Any, case_id: int, *, expected_version: int | None = None) -> RelocationCase:
    """Hand an approved case to the authority (an officer; required documents verified and not expired,
    the candidate's consent to the hand-off given). The authority app records its outgoing submission
    on the ``case_transitioned`` signal, in this transaction."""
    return _move(actor, case_id, "submit_to_authority", expected_version=expected_version).case


@dataclass(frozen=True)
class PermitIn:
    """A permit as the authority reports it; ``family_member_id`` empty for the candidate's own."""

    permit_type: str
    number: str
    issued_on: date
    valid_from: date
    valid_until: date
    family_member_id: int | None = None


def _new_permit(actor: Any, case: RelocationCase, data: PermitIn, prefix: str = "") -> Permit:
    if data.family_member_id is not None and not case.family.filter(pk=data.family_member_id).exists():
        raise ValidationFailed.single(
            f"{prefix}family_member_id", "not_found", gettext("There is no such family member on this case.")
        )
    permit = Permit(
        case=case,
        family_member_id=data.family_member_id,
        permit_type=data.permit_type,
        number=(data.number or "").strip(),
        issued_on=data.issued_on,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    errors = validation_errors(permit, prefix=prefix.rstrip("."), exclude=["case", "family_member", "decision"])
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            permit.save()
    except IntegrityError:
        raise Conflict(
            f"{prefix}family_member_id", "unique", gettext("This person already holds an active permit on this case.")
        ) from None
    return permit


def grant_permit(
    actor: Any,
    case_id: int,
    *,
    permit: PermitIn,
    legal_ground: str,
    family_permits: Iterable[PermitIn] = (),
    reasons: str = "",
    expected_version: int | None = None,
) -> RelocationCase:
    """Record the authority's grant: the candidate's permit (and the family's), the decision and its legal ground.

    The authority's officer or its integration (the system actor, ``None``) grants. The permit
    is written first, in the same transaction; the grant's guard then checks it is there.
    """
    ground = _required_text("legal_ground", legal_ground, gettext("Give the legal ground of the grant."))

    def record(case: RelocationCase) -> list[models.Model]:
        if permit.family_member_id is not None:
            raise ValidationFailed.single(
                "permit.family_member_id", "candidate_permit", gettext("The main permit is the candidate's own.")
            )
        made = [_new_permit(actor, case, permit, "permit.")]
        made += [_new_permit(actor, case, p, f"family_permits.{i}.") for i, p in enumerate(family_permits)]
        return list(made)

    moved = _move(
        actor,
        case_id,
        "grant_permit",
        expected_version=expected_version,
        reason=reasons.strip(),
        before=record,
        skip_conditions=("permit_recorded",),
        decision=DecisionSpec("grant", reasons.strip(), legal_ground=ground),
    )
    audit.record_many(
        actor,
        [
            audit.AuditEvent("permit.recorded", p, case_chain(moved.case), ["permit_type", "number", "valid_until"])
            for p in moved.extra
        ],
    )
    return moved.case


def refuse_permit(
    actor: Any, case_id: int, *, legal_ground: str, reasons: str, expected_version: int | None = None
) -> RelocationCase:
    """Record the authority's refusal, with its legal ground and reasons (a reconsideration may reopen it)."""
    ground = _required_text("legal_ground", legal_ground, gettext("Give the legal ground of the refusal."))
    why = _required_text("reasons", reasons, gettext("Give the reasons for the refusal."))
    return _move(
        actor,
        case_id,
        "refuse_permit",
        expected_version=expected_version,
        reason=why,
        decision=DecisionSpec("refusal", why, legal_ground=ground),
    ).case


def start_relocation(actor: Any, case_id: int, *, expected_version: int | None = None) -> RelocationCase:
    """Start the move (an officer; the candidate's permit still valid): travel, housing, family, language."""
    return _move(actor, case_id, "start_relocation", expected_version=expected_version).case


def record_arrival(
    actor: Any, case_id: int, *, arrived_on: date | None = None, expected_version: int | None = None
) -> RelocationCase:
    """Record the arrival (an officer; every required relocation item done); ``arrived_on`` defaults to today."""
    if arrived_on is not None and arrived_on > timezone.localdate():
        raise ValidationFailed.single("arrived_on", "future", gettext("The arrival date cannot be in the future."))
    return _move(
        actor,
        case_id,
        "record_arrival",
        expected_version=expected_version,
        kwargs={"arrived_on": arrived_on},
        fields=["arrived_on"],
    ).case


def record_follow_up_6m(
    actor: Any, case_id: int, *, note: str = "", expected_version: int | None = None
) -> RelocationCase:
    """Record the 6-month follow-up (an officer; six months after arrival)."""
    return _move(actor, case_id, "record_follow_up_6m", expected_version=expected_version, reason=note.strip()).case


def record_follow_up_12m(
    actor: Any, case_id: int, *, note: str = "", expected_version: int | None = None
) -> RelocationCase:
    """Record the 12-month follow-up (an officer; a year after arrival)."""
    return _move(actor, case_id, "record_follow_up_12m", expected_version=expected_version, reason=note.strip()).case


def close(actor: Any, case_id: int, *, note: str = "", expected_version: int | None = None) -> RelocationCase:
    """Close a case after its 12-month follow-up (an officer)."""
    return _move(actor, case_id, "close", expected_version=expected_version, reason=note.strip()).case


def withdraw(actor: Any, case_id: int, *, reason: str, expected_version: int | None = None) -> RelocationCase:
    """Withdraw an open case (its candidate or an officer), giving the reason."""
    why = _required_text("reason", reason, gettext("Give the reason for withdrawing the case."))
    return _move(
        actor,
        case_id,
        "withdraw",
        expected_version=expected_version,
        reason=why,
        kwargs={"reason": why},
        fields=["end_reason"],
    ).case


def reject(
    actor: Any,
    case_id: int,
    *,
    reason: str,
    legal_ground: str = "",
    policy_id: str = "",
    policy_version: str = "",
    expected_version: int | None = None,
) -> RelocationCase:
    """Reject an open case (an officer), recording the decision with its reasons and basis.

    The basis defaults as for an approval (the assessment's policy, else the programme's legal ground).
    """
    why = _required_text("reason", reason, gettext("Give the reason for rejecting the case."))
    with transaction.atomic():
        case = lock_case(actor, case_id, expected_version)
        _check(case, "reject", actor)
        spec = _approval_basis(case, policy_id.strip(), policy_version.strip(), legal_ground.strip())
        spec.kind, spec.reasons = "rejection", why
        return _move(
            actor,
            case_id,
            "reject",
            expected_version=expected_version,
            reason=why,
            kwargs={"reason": why},
            decision=spec,
            fields=["end_reason"],
        ).case


def reopen(actor: Any, case_id: int, *, reason: str, expected_version: int | None = None) -> RelocationCase:
    """Reopen a rejected case (back to 'opened') or a refused one (back to 'approved', to be resubmitted)
    after a reconsideration: an officer other than the one who made the decision reconsidered."""
    why = _required_text("reason", reason, gettext("Give the reason for reopening the case."))
    return _move(actor, case_id, "reopen", expected_version=expected_version, reason=why, fields=["end_reason"]).case


def record_departure(
    actor: Any, case_id: int, *, departed_on: date, reason: str, expected_version: int | None = None
) -> RelocationCase:
    """Record that the person left early (an officer): the case closes and their permits on it end.

    Feeds the retention figures (``selectors.retention_summary``).
    """
    why = _required_text("reason", reason, gettext("Give the reason for the early departure."))
    if departed_on is None or departed_on > timezone.localdate():
        raise ValidationFailed.single(
            "departed_on", "future", gettext("Give the departure date; it cannot be in the future.")
        )

    def end_permits(case: RelocationCase) -> list[models.Model]:
        permits = list(case.permits.filter(status=PermitStatus.ACTIVE))
        for permit in permits:
            permit.status, permit.ended_on, permit.end_reason = PermitStatus.ENDED, departed_on, "early departure"
            permit.save(update_fields=["status", "ended_on", "end_reason"])
        return list(permits)

    moved = _move(
        actor,
        case_id,
        "record_departure",
        expected_version=expected_version,
        reason=why,
        kwargs={"departed_on": departed_on, "reason": why},
        before=end_permits,
        fields=["departed_on", "departure_reason"],
    )
    audit.record_many(
        actor,
        [audit.AuditEvent("permit.ended", p, case_chain(moved.case), ["status", "ended_on"]) for p in moved.extra],
    )
    return moved.case


#: Transition name -> service, for bulk actions and callers that pick the transition at run time.
TRANSITIONS: dict[str, Callable[..., RelocationCase]] = {
    "prepare": prepare,
    "approve": approve,
    "submit_to_authority": submit_to_authority,
    "start_relocation": start_relocation,
    "record_arrival": record_arrival,
    "record_follow_up_6m": record_follow_up_6m,
    "record_follow_up_12m": record_follow_up_12m,
    "close": close,
    "withdraw": withdraw,
    "reject": reject,
    "reopen": reopen,
}


#: The most cases one bulk action moves (each in its own transaction, so a page's worth at a time).
MAX_BULK_CASES = 100


@dataclass(frozen=True)
class BulkResult:
    """What one case of a bulk action came to: moved (with its new stage and version) or refused (why)."""

    case_id: int
    ok: bool
    stage: str = ""
    version: int | None = None
    errors: tuple[FieldError, ...] = ()
    status: int = 200


def bulk_transition(actor: Any, case_ids: Iterable[int], name: str, **kwargs: Any) -> list[BulkResult]:
    """Run one transition on many cases, each in its own transaction; a refusal of one leaves the others moving.

    Returns one result per case id, in the order given (duplicates once). Programme staff only, at most
    ``MAX_BULK_CASES`` cases at a time.
    """
    _require_staff(actor)
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise ValidationFailed.single("case_ids", "required", gettext("Select at least one case."))
    if len(ids) > MAX_BULK_CASES:
        raise ValidationFailed.single(
            "case_ids",
            "too_many",
            gettext("Select at most %(limit)s cases at a time.") % {"limit": MAX_BULK_CASES},
        )
    service = TRANSITIONS.get(name)
    if service is None:
        raise ValidationFailed.single(
            "transition",
            "choice",
            gettext("'%(value)s' is not a bulk action; use one of: %(choices)s.")
            % {"value": name, "choices": ", ".join(TRANSITIONS)},
        )
    results: list[BulkResult] = []
    for case_id in ids:
        try:
            case = service(actor, case_id, **kwargs)
        except DomainError as refusal:
            results.append(BulkResult(case_id, False, errors=tuple(refusal.errors), status=refusal.status))
        else:
            results.append(BulkResult(case_id, True, stage=case.stage, version=case.version))
    return results


# --- checklists, documents, family ---------------------------------------------------------------------------------


def _case_for_write(actor: Any, case_id: int, *, owner_may: bool = True) -> RelocationCase:
    case = lock_case(actor, case_id)
    if owner_may:
        _require_staff_or_owner(actor, case)
    else:
        _require_staff(actor)
    if not case.is_open:
        raise Conflict(
            "stage",
            "case_closed",
            gettext("This case is no longer open (stage '%(stage)s').") % {"stage": case.stage_label},
        )
    return case


def complete_item(actor: Any, case_id: int, item_id: int) -> ChecklistItem:
    """Tick a checklist item that is not a document (documents tick their item when provided)."""
    with transaction.atomic():
        case = _case_for_write(actor, case_id)
        item = case.checklist.filter(pk=item_id).first()
        if item is None:
            raise NotFound("checklist item")
        if item.document_kind:
            raise Conflict("item", "document_item", gettext("A document item is done when its document is provided."))
        if item.completed_at is None:
            item.completed_at = timezone.now()
            item.completed_by = actor
            item.save(update_fields=["completed_at", "completed_by"])
            audit.record(actor, "case.item_completed", item, chain=case_chain(case), fields=["completed_at"])
    return item


def reopen_item(actor: Any, case_id: int, item_id: int) -> ChecklistItem:
    """Mark a ticked non-document item as not done again (programme staff)."""
    with transaction.atomic():
        case = _case_for_write(actor, case_id, owner_may=False)
        item = case.checklist.filter(pk=item_id).first()
        if item is None:
            raise NotFound("checklist item")
        if item.completed_at is not None:
            item.completed_at, item.completed_by = None, None
            item.save(update_fields=["completed_at", "completed_by"])
            audit.record(actor, "case.item_reopened", item, chain=case_chain(case), fields=["completed_at"])
    return item


def add_document(
    actor: Any,
    case_id: int,
    *,
    kind: str,
    family_member_id: int | None = None,
    file: Any = None,
    file_name: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> CaseDocument:
    """Provide a document for the case (its candidate or programme staff); it ticks the matching checklist
    item and waits for an officer's verification."""
    with transaction.atomic():
        case = _case_for_write(actor, case_id)
        if family_member_id is not None and not case.family.filter(pk=family_member_id).exists():
            raise ValidationFailed.single(
                "family_member_id", "not_found", gettext("There is no such family member on this case.")
            )
        if file is not None and (problems := upload_problems(file, None)):
            # The same rules as a profile document: DOCUMENT_MAX_UPLOAD_BYTES, and PDF, PNG or JPEG by content.
            raise ValidationFailed(problems)
        item = case.checklist.filter(document_kind=kind, family_member_id=family_member_id).first()
        document = CaseDocument(
            case=case,
            checklist_item=item,
            family_member_id=family_member_id,
            kind=kind,
            file_name=(file_name or getattr(file, "name", "") or "")[:255],
            issued_on=issued_on,
            expires_on=expires_on,
            uploaded_by=actor,
        )
        if file is not None:
            document.file = file
        _refuse_invalid(document, exclude=["case", "checklist_item", "family_member", "source_document"])
        document.save()
        fields = ["kind", "file", "issued_on", "expires_on"]
        if item is not None and item.completed_at is None:
            item.completed_at, item.completed_by = timezone.now(), actor
            item.save(update_fields=["completed_at", "completed_by"])
            fields.append("checklist_item")
        audit.record(actor, "case.document_added", document, chain=case_chain(case), fields=fields)
    return document


def _decide_document(actor: Any, document_id: int, status: str, reason: str = "") -> CaseDocument:
    with transaction.atomic():
        document = CaseDocument.objects.select_related("case").filter(pk=document_id).first()
        if document is None or not selectors.cases_visible_to(actor).filter(pk=document.case_id).exists():
            raise NotFound("case document")
        case = _case_for_write(actor, document.case_id, owner_may=False)
        document.status, document.rejection_reason = status, reason
        document.verified_by, document.verified_at = actor, timezone.now()
        document.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
        item = document.checklist_item
        if (
            status == DocumentStatus.REJECTED
            and item is not None
            and not item.documents.exclude(status=DocumentStatus.REJECTED).exists()
        ):
            # Its item is open again until another document comes.
            item.completed_at, item.completed_by = None, None
            item.save(update_fields=["completed_at", "completed_by"])
        audit.record(
            actor,
            f"case.document_{status}",
            document,
            chain=case_chain(case),
            fields=["status", "verified_by", "verified_at", *(["rejection_reason"] if reason else [])],
        )
    return document


def verify_document(actor: Any, document_id: int) -> CaseDocument:
    """Mark a case document verified (programme staff)."""
    return _decide_document(actor, document_id, DocumentStatus.VERIFIED)


def reject_document(actor: Any, document_id: int, *, reason: str) -> CaseDocument:
    """Reject a case document with the reason (programme staff); its checklist item opens again."""
    why = _required_text("reason", reason, gettext("Give the reason for rejecting the document."))
    return _decide_document(actor, document_id, DocumentStatus.REJECTED, why[:500])


def add_family_member(
    actor: Any,
    case_id: int,
    *,
    relation: str,
    given_names_latin: str,
    family_name_latin: str = "",
    date_of_birth: date | None = None,
    identity_number: str = "",
) -> FamilyMember:
    """Add an accompanying family member (the candidate or programme staff), with their own checklist."""
    with transaction.atomic():
        case = _case_for_write(actor, case_id)
        member = FamilyMember(
            case=case,
            relation=relation,
            given_names_latin=(given_names_latin or "").strip(),
            family_name_latin=(family_name_latin or "").strip(),
            date_of_birth=date_of_birth,
            identity_number=(identity_number or "").strip(),
        )
        _refuse_invalid(member, exclude=["case", "source"])
        if (
            relation in (Relation.SPOUSE, Relation.PARTNER)
            and case.family.filter(relation__in=[Relation.SPOUSE, Relation.PARTNER]).exists()
        ):
            raise ValidationFailed.single(
                "relation", "one_partner", gettext("The case already has an accompanying spouse or partner.")
            )
        member.save()
        _build_member_checklist(member)
        audit.record(
            actor,
            "case.family_member_added",
            member,
            chain=case_chain(case),
            fields=["relation", "given_names_latin", "family_name_latin", "date_of_birth"]
            + (["identity_number"] if member.identity_number else []),
        )
    return member


def set_family_identity_number(actor: Any, case_id: int, member_id: int, *, identity_number: str) -> FamilyMember:
    """Record a family member's identity number (programme staff); stored encrypted, shown masked."""
    number = _required_text("identity_number", identity_number, gettext("Give the identity number."))
    with transaction.atomic():
        case = _case_for_write(actor, case_id, owner_may=False)
        member = case.family.filter(pk=member_id).first()
        if member is None:
            raise NotFound("family member")
        member.identity_number = number[:40]  # type: ignore[assignment]  # the field stores text, encrypted
        member.save(update_fields=["identity_number"])
        audit.record(actor, "case.family_identity_recorded", member, chain=case_chain(case), fields=["identity_number"])
    return member


# --- clock pauses ---------------------------------------------------------------------------------------------------


def pause_clock(
    case: RelocationCase, reason: str, *, source: models.Model | None = None, actor: Any = None
) -> ClockPause:
    """Stop the case's stage clock from now until :func:`resume_clock` (e.g. while a request waits on an answer).

    Call inside the transaction of the change that pauses it. Pauses may overlap; overlapping time
    counts once in the time in stage.
    """
    with transaction.atomic():
        pause = ClockPause(
            case=case,
            stage=case.stage,
            reason=_required_text("reason", reason, gettext("Say why the clock stops."))[:300],
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=source.pk if source is not None else None,
        )
        pause.save()
        audit.record(actor, "case.clock_paused", pause, chain=case_chain(case), fields=["started_at", "reason"])
    return pause


def resume_clock(pause: ClockPause, *, at: datetime | None = None, actor: Any = None) -> ClockPause:
    """Start the stage clock again (a no-op for a pause that already ended)."""
    with transaction.atomic():
        pause = ClockPause.objects.select_for_update().order_by().get(pk=pause.pk)
        if pause.ended_at is None:
            pause.ended_at = max(at or timezone.now(), pause.started_at)
            pause.save(update_fields=["ended_at"])
            audit.record(actor, "case.clock_resumed", pause, chain=case_chain(pause.case_id), fields=["ended_at"])
    return pause


# --- permits after the grant ----------------------------------------------------------------------------------------


def _permit_writer(actor: Any) -> None:
    if not (actor is None or is_programme_staff(actor) or role_of(actor) == Role.AUTHORITY):
        raise PermissionRefused(gettext("This needs programme staff or the immigration authority."), rule="role")


def record_family_permit(actor: Any, case_id: int, *, permit: PermitIn) -> Permit:
    """Record a family member's permit on a case whose candidate holds one (programme staff or the authority)."""
    _permit_writer(actor)
    if permit.family_member_id is None:
        raise ValidationFailed.single("family_member_id", "required", gettext("Say whose permit it is."))
    with transaction.atomic():
        case = lock_case(actor, case_id)
        if case.stage not in PERMIT_HELD_STAGES:
            raise Conflict("stage", "no_permit_yet", gettext("Family permits are recorded once the permit is granted."))
        made = _new_permit(actor, case, permit)
        audit.record(
            actor, "permit.recorded", made, chain=case_chain(case), fields=["permit_type", "number", "valid_until"]
        )
    return made


def renew_permit(
    actor: Any,
    permit_id: int,
    *,
    number: str,
    issued_on: date,
    valid_from: date,
    valid_until: date,
    permit_type: str = "",
) -> Permit:
    """Record a renewal: the old permit is superseded and the new one (same holder) is active."""
    _permit_writer(actor)
    with transaction.atomic():
        old = Permit.objects.select_for_update().filter(pk=permit_id).order_by().first()
        if old is None or not selectors.cases_visible_to(actor).filter(pk=old.case_id).exists():
            raise NotFound("permit")
        if old.status != PermitStatus.ACTIVE:
            raise Conflict("permit", "not_active", gettext("Only an active permit can be renewed."))
        case = lock_case(actor, old.case_id)
        if case.stage not in PERMIT_HELD_STAGES:
            raise Conflict("stage", "case_closed", gettext("Permits are renewed only on cases still under way."))
        if valid_from < old.valid_from:
            raise ValidationFailed.single(
                "valid_from", "before_previous", gettext("A renewal cannot start before the permit it renews.")
            )
        old.status, old.ended_on, old.end_reason = PermitStatus.SUPERSEDED, valid_from, "renewed"
        old.save(update_fields=["status", "ended_on", "end_reason"])
        new = _new_permit(
            actor,
            case,
            PermitIn(permit_type or old.permit_type, number, issued_on, valid_from, valid_until, old.family_member_id),
        )
        audit.record_many(
            actor,
            [
                audit.AuditEvent("permit.superseded", old, case_chain(case), ["status", "ended_on"]),
                audit.AuditEvent("permit.recorded", new, case_chain(case), ["permit_type", "number", "valid_until"]),
            ],
        )
    return new


def change_host(
    actor: Any,
    case_id: int,
    *,
    new_offer_id: int,
    effective_on: date,
    reason: str = "",
    expected_version: int | None = None,
) -> HostChange:
    """Move a permit holder to a new host (programme staff).

    Requires a new offer accepted by the same candidate from a different, verified organisation,
    not used for another case or change. The case then points at the new host; a 'permit amended'
    checklist item is added, since the permit names the employer.
    """
    from talentgate.hosts.models import Offer

    with transaction.atomic():
        case = lock_case(actor, case_id, expected_version)
        _require_staff(actor)
        if case.stage not in PERMIT_HELD_STAGES:
            raise Conflict(
                "stage",
                "no_permit",
                gettext("A change of host is recorded only for a permit holder (stage '%(stage)s').")
                % {"stage": case.stage_label},
            )
        offer = Offer.objects.select_related("opportunity__organisation").filter(pk=new_offer_id).first()
        errors: list[FieldError] = []
        if offer is None:
            raise ValidationFailed.single("new_offer_id", "not_found", gettext("There is no such offer."))
        if offer.profile_id != case.profile_id:
            errors.append(FieldError("new_offer_id", "other_candidate", gettext("The offer is made to someone else.")))
        if offer.status != "accepted":
            errors.append(
                FieldError("new_offer_id", "not_accepted", gettext("The candidate has not accepted the offer."))
            )
        organisation = offer.opportunity.organisation
        if organisation.pk == case.organisation_id:
            errors.append(FieldError("new_offer_id", "same_host", gettext("The offer is from the current host.")))
        if not organisation.is_verified:
            errors.append(FieldError("new_offer_id", "host_unverified", gettext("The new host is not verified.")))
        if (
            RelocationCase.objects.filter(offer_id=offer.pk).exists()
            or HostChange.objects.filter(new_offer=offer).exists()
        ):
            errors.append(FieldError("new_offer_id", "used", gettext("This offer already opened a case or a change.")))
        if effective_on is None:
            errors.append(FieldError("effective_on", "required", gettext("Give the date the change takes effect.")))
        if errors:
            raise ValidationFailed(errors)
        change = HostChange.objects.create(
            case=case,
            from_organisation_id=case.organisation_id,
            to_organisation=organisation,
            new_offer=offer,
            effective_on=effective_on,
            reason=(reason or "").strip(),
            recorded_by=actor,
        )
        case.organisation = organisation
        case.sector_id = offer.opportunity.sector_id or organisation.sector_id or case.sector_id
        case.destination_country_id = offer.opportunity.country_id
        try:
            case.save(update_fields=["organisation", "sector", "destination_country", "version"])
        except ConcurrentTransition:
            raise _stale(case.pk, expected_version) from None
        spec = checklists.PERMIT_AMENDMENT
        item, _ = ChecklistItem.objects.get_or_create(
            case=case,
            family_member=None,
            code=spec.code,
            defaults={"category": spec.category, "due_before": spec.due_before, "required": spec.required},
        )
        if item.completed_at is not None:
            item.completed_at = None
            item.save(update_fields=["completed_at"])
        audit.record_many(
            actor,
            [
                audit.AuditEvent(
                    "case.host_changed", change, case_chain(case), ["to_organisation", "new_offer"], change.reason
                ),
                audit.AuditEvent(
                    "case.updated", case, case_chain(case), ["organisation", "sector", "destination_country"]
                ),
            ],
        )
    return change


# --- revealing encrypted fields -------------------------------------------------------------------------------------


def reveal_field(actor: Any, case_id: int, field: str, *, object_id: int | None = None) -> str:
    """The clear value of one encrypted field of a case, for programme staff only; every reveal is audited.

    ``field`` is ``permit_number`` (``object_id``: the permit, default the candidate's active one) or
    ``family_identity_number`` (``object_id``: the family member).
    """
    if field not in REVEALABLE_FIELDS:
        raise ValidationFailed.single(
            "field",
            "choice",
            gettext("'%(value)s' cannot be revealed; use one of: %(choices)s.")
            % {"value": field, "choices": ", ".join(REVEALABLE_FIELDS)},
        )
    case = selectors.get_case_for(actor, case_id)
    if not is_programme_staff(actor):
        raise PermissionRefused(gettext("Only programme staff may reveal a protected field."), rule="staff_only")
    target: Permit | FamilyMember | None
    if field == "permit_number":
        permits = case.permits.all()
        target = permits.filter(pk=object_id).first() if object_id is not None else guards.candidate_permit(case)
        value = target.number if target is not None else None
        attribute = "number"
    else:
        target = case.family.filter(pk=object_id).first() if object_id is not None else None
        value = target.identity_number if target is not None else None
        attribute = "identity_number"
    if target is None:
        raise NotFound("permit" if field == "permit_number" else "family member")
    with transaction.atomic():
        audit.record(actor, "case.field_revealed", target, chain=case_chain(case), fields=[attribute])
    return value or ""


# --- follow-ups ---------------------------------------------------------------------------------------------


def due_follow_up_on(case: RelocationCase, which: str) -> date | None:
    """When a follow-up falls due (``"6m"`` or ``"12m"``), from the arrival date."""
    if case.arrived_on is None:
        return None
    days = guards.FOLLOW_UP_6M_DAYS if which == "6m" else guards.FOLLOW_UP_12M_DAYS
    return case.arrived_on + timedelta(days=days)


__all__ = [
    "MAX_BULK_CASES",
    "REVEALABLE_FIELDS",
    "TRANSITIONS",
    "BulkResult",
    "Moved",
    "PermitIn",
    "PermitType",
    "add_document",
    "add_family_member",
    "approve",
    "bulk_transition",
    "case_chain",
    "change_host",
    "close",
    "complete_item",
    "grant_permit",
    "lock_case",
    "open_case_for_offer",
    "open_case_from_award",
    "pause_clock",
    "prepare",
    "record_arrival",
    "record_departure",
    "record_family_permit",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "refuse_permit",
    "reject",
    "reject_document",
    "renew_permit",
    "reopen",
    "reopen_item",
    "resume_clock",
    "reveal_field",
    "set_family_identity_number",
    "start_relocation",
    "submit_to_authority",
    "verify_document",
    "withdraw",
]
