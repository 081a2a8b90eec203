"""Reconsideration of a rejection or refusal: the candidate asks within the programme's window, a different
officer reviews, and the review is a decision of its own.

The window is ``ReconsiderationWindow.days`` for the case's programme (else
:data:`DEFAULT_WINDOW_DAYS`) counted in calendar days from the day of the decision, that day
excluded, the last day included. A decision is reconsidered at most once, and a reconsideration's
own outcome is final. Upholding records the same kind of decision again with the reviewer's
reasons; overturning records an approval and reopens the case through ``services.reopen`` (a
rejected case goes back to 'opened', a refused permit back to 'approved' for resubmission).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from talentgate.accounts.roles import Role
from talentgate.cases import selectors, services
from talentgate.cases.models import (
    Decision,
    Reconsideration,
    ReconsiderationStatus,
    ReconsiderationWindow,
    RelocationCase,
    Stage,
)
from talentgate.common import audit
from talentgate.common.access import has_role, is_programme_staff, role_of
from talentgate.common.errors import Conflict, FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.workflow import clean_or_refuse
from talentgate.notifications import kinds as notification_kinds
from talentgate.notifications.services import notify

# Declared for makemessages: NotFound looks the noun up under the context "object".
OBJECT_NAMES = (pgettext_lazy("object", "decision"), pgettext_lazy("object", "reconsideration"))

DEFAULT_WINDOW_DAYS = 30
MAX_GROUNDS_CHARS = 4000
#: The decisions a candidate may ask to reconsider, and the stage each leaves the case in.
RECONSIDERABLE = {
    Decision.Kind.REJECTION.value: Stage.REJECTED.value,
    Decision.Kind.REFUSAL.value: Stage.PERMIT_REFUSED.value,
}


def window_days(programme_id: int | None) -> int:
    """Days the candidate has to ask for reconsideration in the programme."""
    if programme_id is None:
        return DEFAULT_WINDOW_DAYS
    days = ReconsiderationWindow.objects.filter(programme_id=programme_id).values_list("days", flat=True).first()
    return int(days) if days is not None else DEFAULT_WINDOW_DAYS


def reconsideration_deadline(decision: Decision) -> date:
    """The last day (inclusive, local time) on which the decision's reconsideration may be asked for."""
    return timezone.localdate(decision.decided_at) + timedelta(days=window_days(decision.case.programme_id))


def may_be_reconsidered(decision: Decision) -> bool:
    """Whether the decision is of a kind that can be reconsidered and is not itself a reconsideration's outcome."""
    return decision.kind in RECONSIDERABLE and not Reconsideration.objects.filter(outcome=decision).exists()


# --- reads -----------------------------------------------------------------------------------------------------------


def reconsiderations_visible_to(actor: Any) -> QuerySet[Reconsideration]:
    """Programme staff see every reconsideration, the candidate those of their own cases; nobody else any."""
    rows = Reconsideration.objects.select_related("case__profile", "decision", "outcome", "reviewed_by")
    if is_programme_staff(actor):
        return rows
    if role_of(actor) == Role.CANDIDATE:
        return rows.filter(case__profile__user_id=actor.pk)
    return rows.none()


def get_reconsideration_for(actor: Any, reconsideration_id: int) -> Reconsideration:
    """One reconsideration, if ``actor`` may see it; ``NotFound`` otherwise."""
    found = reconsiderations_visible_to(actor).filter(pk=reconsideration_id).first()
    if found is None:
        raise NotFound("reconsideration")
    return found


def reconsiderations_pending(actor: Any) -> QuerySet[Reconsideration]:
    """Requests waiting for review, oldest first, that ``actor`` may review (not those of their own decisions)."""
    if not has_role(actor, Role.OFFICER, Role.SUPERVISOR):
        raise PermissionRefused(
            gettext("Only a programme officer or supervisor reviews reconsiderations."), rule="role"
        )
    return (
        reconsiderations_visible_to(actor)
        .filter(status=ReconsiderationStatus.PENDING)
        .exclude(decision__officer_id=actor.pk)
        .order_by("requested_at", "pk")
    )


def _decision_of_own_case(actor: Any, decision_id: int) -> Decision:
    if is_programme_staff(actor):
        raise PermissionRefused(gettext("Only the case's candidate asks for reconsideration."), rule="candidate_only")
    if role_of(actor) != Role.CANDIDATE:
        raise NotFound("decision")
    decision = (
        Decision.objects.select_related("case__profile", "case__programme", "officer")
        .filter(pk=decision_id, case__profile__user_id=actor.pk)
        .first()
    )
    if decision is None:
        raise NotFound("decision")
    return decision


# --- writes ------------------------------------------------------------------------------------------------------


def request_reconsideration(
    actor: Any, decision_id: int, *, grounds: str, today: date | None = None
) -> Reconsideration:
    """The candidate asks for a rejection or refusal of their case to be reconsidered, saying why.

    Refused (naming the rule) for a decision that cannot be reconsidered (an approval, a grant, a
    reconsideration's outcome), one that is no longer the case's latest, one already asked about, and
    after the window closed.
    """
    grounds = (grounds or "").strip()
    today = today or timezone.localdate()
    with transaction.atomic():
        decision = _decision_of_own_case(actor, decision_id)
        case = RelocationCase.objects.select_for_update().get(pk=decision.case_id)
        errors: list[FieldError] = []
        if not grounds:
            errors.append(FieldError("grounds", "required", gettext("Explain why the decision should change.")))
        elif len(grounds) > MAX_GROUNDS_CHARS:
            errors.append(
                FieldError(
                    "grounds",
                    "max_length",
                    gettext("Keep it to %(limit)s characters; this has %(length)s.")
                    % {"limit": MAX_GROUNDS_CHARS, "length": len(grounds)},
                )
            )
        if errors:
            raise ValidationFailed(errors)
        if not may_be_reconsidered(decision):
            raise Conflict(
                "decision",
                "not_reconsiderable",
                gettext("Only a rejection or a refusal can be reconsidered, and only once."),
            )
        if Reconsideration.objects.filter(decision=decision).exists():
            raise Conflict(
                "decision", "already_requested", gettext("Reconsideration of this decision was already asked for.")
            )
        latest = case.decisions.order_by("-decided_at", "-pk").first()
        if latest is None or latest.pk != decision.pk or case.stage != RECONSIDERABLE[decision.kind]:
            raise Conflict(
                "decision",
                "superseded",
                gettext("This decision no longer stands (the case moved on), so there is nothing to reconsider."),
            )
        last_day = reconsideration_deadline(decision)
        if today > last_day:
            raise Conflict(
                "decision",
                "window_closed",
                gettext("Reconsideration could be asked for until %(date)s (%(days)s days after the decision).")
                % {"date": last_day.isoformat(), "days": window_days(case.programme_id)},
            )
        try:
            with transaction.atomic():
                reconsideration = Reconsideration.objects.create(
                    case=case, decision=decision, grounds=grounds, requested_by=actor
                )
        except IntegrityError:
            raise Conflict(
                "decision", "already_requested", gettext("Reconsideration of this decision was already asked for.")
            ) from None
        audit.record(
            actor,
            "case.reconsideration_requested",
            reconsideration,
            chain=services.case_chain(case),
            fields=["decision", "grounds"],
        )
    return reconsideration


def review_reconsideration(
    actor: Any,
    reconsideration_id: int,
    *,
    outcome: str,
    reasons: str,
    policy_id: str = "",
    policy_version: str = "",
    legal_ground: str = "",
    expected_version: int | None = None,
) -> Reconsideration:
    """An officer or supervisor other than the one who decided upholds or overturns the decision, giving reasons.

    The outcome is recorded as a new decision on the case, citing the basis given or else the
    original decision's. Overturning reopens the case (``services.reopen``) in the same transaction;
    ``expected_version`` guards that move against a concurrent change.
    """
    if not has_role(actor, Role.OFFICER, Role.SUPERVISOR):
        raise PermissionRefused(
            gettext("Only a programme officer or supervisor reviews reconsiderations."), rule="role"
        )
    reasons = (reasons or "").strip()
    errors: list[FieldError] = []
    if outcome not in (ReconsiderationStatus.UPHELD, ReconsiderationStatus.OVERTURNED):
        errors.append(
            FieldError(
                "outcome",
                "choice",
                gettext("'%(value)s' is not an outcome; use 'upheld' or 'overturned'.") % {"value": outcome},
            )
        )
    if not reasons:
        errors.append(FieldError("reasons", "required", gettext("Give the reasons for the outcome.")))
    if bool(policy_id.strip()) != bool(policy_version.strip()) and not legal_ground.strip():
        errors.append(
            FieldError(
                "policy_version" if policy_id.strip() else "policy_id",
                "basis",
                gettext("A policy basis names both the policy id and its version (or give a legal ground)."),
            )
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        found = get_reconsideration_for(actor, reconsideration_id)
        reconsideration = (
            Reconsideration.objects.select_for_update().select_related("decision", "case").get(pk=found.pk)
        )
        original = reconsideration.decision
        if original.officer_id is not None and original.officer_id == actor.pk:
            raise PermissionRefused(
                gettext("An officer other than the one who made the decision reviews its reconsideration."),
                rule="different_officer",
            )
        if reconsideration.status != ReconsiderationStatus.PENDING:
            raise Conflict(
                "status",
                "already_reviewed",
                gettext("This reconsideration was already reviewed (%(status)s).")
                % {"status": reconsideration.get_status_display()},
            )
        basis = {
            "policy_id": policy_id.strip(),
            "policy_version": policy_version.strip(),
            "legal_ground": legal_ground.strip(),
        }
        if not any(basis.values()):
            basis = {
                "policy_id": original.policy_id,
                "policy_version": original.policy_version,
                "legal_ground": original.legal_ground,
            }
        transition = None
        if outcome == ReconsiderationStatus.OVERTURNED:
            case = services.reopen(actor, original.case_id, reason=reasons, expected_version=expected_version)
            transition = case.history.order_by("-version").first()
            kind = Decision.Kind.APPROVAL.value
        else:
            kind = original.kind
        made = Decision(
            case_id=original.case_id,
            kind=kind,
            transition=transition,
            officer=actor,
            decided_at=timezone.now(),
            reasons=reasons,
            **basis,
        )
        clean_or_refuse(made, exclude=["case", "transition", "officer"])
        made.save()
        reconsideration.status = outcome
        reconsideration.reviewed_by, reconsideration.reviewed_at, reconsideration.outcome = actor, made.decided_at, made
        reconsideration.save(update_fields=["status", "reviewed_by", "reviewed_at", "outcome"])
        chain = services.case_chain(original.case_id)
        audit.record_many(
            actor,
            [
                audit.AuditEvent(
                    f"case.reconsideration_{outcome}", reconsideration, chain, ["status", "reviewed_by", "outcome"]
                ),
                audit.AuditEvent(
                    f"decision.{kind}", made, chain, ["kind", "policy_id", "policy_version", "legal_ground", "reasons"]
                ),
            ],
        )
        case = selectors.get_case_for(None, original.case_id)
        if case.profile.user is not None:
            notify(
                case.profile.user,
                notification_kinds.DECISION_MADE.code,
                {
                    "object": "case",
                    "object_id": case.pk,
                    "model": "cases.relocationcase",
                    "state_field": "stage",
                    "to_state": case.stage,
                },
            )
    return reconsideration
