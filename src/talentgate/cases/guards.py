"""The named conditions and permissions of the relocation-case state machine.

Each guard's ``needs`` completes "<transition> needs ...", e.g. "submit_to_authority needs
consent 'authority_handoff' given by the candidate". Guards read related rows through the case
(``case.checklist``, ``case.documents``, ``case.permits``), so this module imports no models.
``cases.services`` adds the specifics to a refusal (which checklist items are open, which
documents expired) through :func:`details_for`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from talentgate.accounts.roles import Role
from talentgate.canonical import ConsentPurpose
from talentgate.common.access import role_of
from talentgate.common.workflow import ActorRule, Guard, all_of

#: The transitions' names as people read them in a refusal (see common.workflow.transition_label).
TRANSITION_NAMES = (
    pgettext_lazy("transition", "prepare"),
    pgettext_lazy("transition", "approve"),
    pgettext_lazy("transition", "submit_to_authority"),
    pgettext_lazy("transition", "grant_permit"),
    pgettext_lazy("transition", "refuse_permit"),
    pgettext_lazy("transition", "start_relocation"),
    pgettext_lazy("transition", "record_arrival"),
    pgettext_lazy("transition", "record_follow_up_6m"),
    pgettext_lazy("transition", "record_follow_up_12m"),
    pgettext_lazy("transition", "close"),
    pgettext_lazy("transition", "record_departure"),
    pgettext_lazy("transition", "withdraw"),
    pgettext_lazy("transition", "reject"),
    pgettext_lazy("transition", "reopen"),
)

AUTHORITY_HANDOFF = ConsentPurpose.AUTHORITY_HANDOFF.value
# Follow-ups are due this long after arrival (half a year and a year, in days).
FOLLOW_UP_6M_DAYS = 182
FOLLOW_UP_12M_DAYS = 365


def _today() -> date:
    return timezone.localdate()


def four_eyes_on(case: Any) -> bool:
    """Whether the case's programme wants approvals by a second person (on by default and without a programme)."""
    if case.programme_id is None:
        return True
    settings = getattr(case.programme, "case_settings", None)
    return True if settings is None else bool(settings.four_eyes_approval)


# --- who may act ----------------------------------------------------------------------------------------------


def _is_staff_officer(user: Any) -> bool:
    return role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


def _owns(case: Any, user: Any) -> bool:
    return bool(
        role_of(user) == Role.CANDIDATE and case.profile.user_id is not None and case.profile.user_id == user.pk
    )


def _second_person(case: Any, user: Any) -> bool:
    if not four_eyes_on(case) or role_of(user) == Role.SUPERVISOR:
        return True
    return case.prepared_by_id is None or case.prepared_by_id != getattr(user, "pk", None)


def _authority(case: Any, user: Any) -> bool:
    # ``None`` is the authority integration's system actor (signed callbacks carry no user).
    return user is None or role_of(user) == Role.AUTHORITY


def _last_negative_decider(case: Any) -> int | None:
    decision = case.decisions.filter(kind__in=["rejection", "refusal"]).order_by("-decided_at", "-pk").first()
    return decision.officer_id if decision else None


def _not_the_decider(case: Any, user: Any) -> bool:
    return _last_negative_decider(case) != getattr(user, "pk", None)


OFFICER = ActorRule(
    "role", gettext_lazy("the programme officer or supervisor role"), lambda case, user: _is_staff_officer(user)
)
CANDIDATE_OR_OFFICER = ActorRule(
    "role",
    gettext_lazy("the case's candidate, or the programme officer or supervisor role"),
    lambda case, user: _owns(case, user) or _is_staff_officer(user),
)
FOUR_EYES = ActorRule(
    "four_eyes",
    gettext_lazy("a supervisor, or an officer other than the one who prepared the case (four-eyes rule)"),
    _second_person,
)
AUTHORITY = ActorRule("role", gettext_lazy("the immigration authority (its officer or its integration)"), _authority)
DIFFERENT_DECIDER = ActorRule(
    "different_officer",
    gettext_lazy("an officer other than the one who made the decision being reconsidered"),
    _not_the_decider,
)

BY_OFFICER = all_of(OFFICER)
BY_APPROVER = all_of(OFFICER, FOUR_EYES)
BY_AUTHORITY = all_of(AUTHORITY)
BY_CANDIDATE_OR_OFFICER = all_of(CANDIDATE_OR_OFFICER)
BY_RECONSIDERING_OFFICER = all_of(OFFICER, DIFFERENT_DECIDER)


# --- what must be true ----------------------------------------------------------------------------------------


def open_items(case: Any, due_before: str) -> list[Any]:
    """Required checklist items of ``case`` due before transition ``due_before`` and not yet done."""
    return list(case.checklist.filter(due_before=due_before, required=True, completed_at__isnull=True).order_by("pk"))


def unverified_documents(case: Any) -> list[Any]:
    """Required document items (of the candidate and each family member) without a verified document."""
    items = case.checklist.filter(required=True).exclude(document_kind="")
    return [item for item in items.order_by("pk") if not item.documents.filter(status="verified").exists()]


def expired_documents(case: Any, on: date | None = None) -> list[Any]:
    """Verified documents of the case that have expired (or expire today) by ``on``."""
    return list(case.documents.filter(status="verified", expires_on__lte=on or _today()).order_by("pk"))


def has_handoff_consent(case: Any) -> bool:
    # One answer for "is the consent in force?" across the platform (privacy.selectors).
    from talentgate.privacy.selectors import has_consent

    return has_consent(case.profile, AUTHORITY_HANDOFF)


def candidate_permit(case: Any) -> Any:
    """The candidate's active permit on the case, or ``None``."""
    return case.permits.filter(family_member__isnull=True, status="active").first()


def _permit_valid(case: Any) -> bool:
    permit = candidate_permit(case)
    return permit is not None and permit.valid_until >= _today()


def _months_since_arrival(case: Any, days: int) -> bool:
    return case.arrived_on is not None and case.arrived_on + timedelta(days=days) <= _today()


CASE_CHECKLIST_COMPLETE = Guard(
    "checklist_complete",
    gettext_lazy("every required checklist item due before preparation done"),
    lambda case: not open_items(case, "prepare"),
)
DOCUMENTS_VERIFIED = Guard(
    "documents_verified",
    gettext_lazy("every required document verified by an officer"),
    lambda case: not unverified_documents(case),
)
DOCUMENTS_NOT_EXPIRED = Guard(
    "documents_not_expired",
    gettext_lazy("no verified document expired"),
    lambda case: not expired_documents(case),
)
HANDOFF_CONSENT = Guard(
    "consent_authority_handoff",
    gettext_lazy("consent 'authority_handoff' given by the candidate"),
    has_handoff_consent,
)
PERMIT_RECORDED = Guard(
    "permit_recorded",
    gettext_lazy("the candidate's permit recorded (type, number and validity)"),
    lambda case: candidate_permit(case) is not None,
)
PERMIT_VALID = Guard("permit_valid", gettext_lazy("a permit that is still valid"), _permit_valid)
RELOCATION_CHECKLIST_COMPLETE = Guard(
    "relocation_checklist_complete",
    gettext_lazy("every required relocation item (travel, housing, family) done"),
    lambda case: not open_items(case, "record_arrival"),
)
SIX_MONTHS_SINCE_ARRIVAL = Guard(
    "six_months_since_arrival",
    gettext_lazy("six months passed since arrival"),
    lambda case: _months_since_arrival(case, FOLLOW_UP_6M_DAYS),
)
TWELVE_MONTHS_SINCE_ARRIVAL = Guard(
    "twelve_months_since_arrival",
    gettext_lazy("twelve months passed since arrival"),
    lambda case: _months_since_arrival(case, FOLLOW_UP_12M_DAYS),
)


def _labels(items: list[Any]) -> str:
    # The item's name in the reader's language (a family member's item names their relation), never its code.
    return ", ".join(str(item.label) for item in items)


def details_for(case: Any, rule: str) -> str:
    """The specifics behind a failed condition, for the refusal message ("" when there is nothing to add)."""
    if rule == "checklist_complete":
        items = open_items(case, "prepare")
    elif rule == "relocation_checklist_complete":
        items = open_items(case, "record_arrival")
    elif rule == "documents_verified":
        items = unverified_documents(case)
    elif rule == "documents_not_expired":
        expired = expired_documents(case)
        kinds = ", ".join(f"{d.get_kind_display()} ({formats.date_format(d.expires_on)})" for d in expired)
        return gettext("expired: %(kinds)s") % {"kinds": kinds}
    else:
        return ""
    return gettext("open: %(items)s") % {"items": _labels(items)} if items else ""
