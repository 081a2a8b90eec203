"""Every write on programmes, priority sectors, targets and applications: atomic, checked and audited.

Application transitions go through :func:`transition_application`, which runs the
django-fsm-2 transition with its named guards, saves with optimistic concurrency (two
officers cannot both move one application), and writes the :class:`ApplicationTransition`
history row plus the audit entry on the candidate's chain, all in one transaction.
Programme configuration (programmes, sectors, targets) is audited on ``programme:<id>``
and ``sectors`` chains.

Officers act on applications one at a time (:func:`move_application`, refusing a stale
request with a 409) or on a queue selection (:func:`bulk_move_applications`, each
application in its own transaction, with a result per application).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, ngettext

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, DomainError, FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.workflow import run_transition, validation_errors
from talentgate.programmes import selectors
from talentgate.programmes.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    PrioritySector,
    Programme,
    SectorTarget,
)

# Who configures programmes, sectors and targets.
CONFIGURERS = (Role.ADMINISTRATOR, Role.SUPERVISOR)
SECTORS_CHAIN = "sectors"


def chain_for_programme(programme_id: int) -> str:
    return f"programme:{programme_id}"


def chain_for_profile(profile: Profile) -> str:
    """The candidate's audit chain (``profile:<id>`` while the profile has no account, as in candidates)."""
    return audit.chain_for_person(profile.user_id) if profile.user_id else f"profile:{profile.pk}"


def _stripped(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _refuse_unknown(values: Mapping[str, Any], allowed: frozenset[str], message: str) -> list[FieldError]:
    """One error per key not in ``allowed``; ``message`` is a translated sentence with a ``%(name)s`` placeholder."""
    return [FieldError(k, "unknown_field", message % {"name": k}) for k in sorted(set(values) - allowed)]


def _not_a_programme_field() -> str:
    return gettext("'%(name)s' is not a field of a programme.")


def _not_a_sector_field() -> str:
    return gettext("'%(name)s' is not a field of a sector.")


# --- configuration ---------------------------------------------------------------------------------------------

PROGRAMME_FIELDS = frozenset({"code", "name_en", "name_ru", "description", "active", "four_eyes"})
SECTOR_FIELDS = frozenset({"code", "name_en", "name_ru", "parent_id", "description"})


def create_programme(actor: Any, **fields: Any) -> Programme:
    """Create a programme (administrators and supervisors); ``fields`` from ``PROGRAMME_FIELDS``."""
    require_role(actor, *CONFIGURERS)
    errors = _refuse_unknown(fields, PROGRAMME_FIELDS, _not_a_programme_field())
    programme = Programme(**_stripped({k: v for k, v in fields.items() if k in PROGRAMME_FIELDS}))
    errors.extend(validation_errors(programme))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        programme.save()
        audit.record(
            actor, "programme.created", programme, chain=chain_for_programme(programme.pk), fields=sorted(fields)
        )
    return programme


def update_programme(actor: Any, programme_id: int, **changes: Any) -> Programme:
    """Change a programme's fields (administrators and supervisors)."""
    require_role(actor, *CONFIGURERS)
    with transaction.atomic():
        programme = selectors.programmes_visible_to(actor).select_for_update().filter(pk=programme_id).first()
        if programme is None:
            raise NotFound("programme")
        errors = _refuse_unknown(changes, PROGRAMME_FIELDS, _not_a_programme_field())
        for name, value in _stripped(changes).items():
            if name in PROGRAMME_FIELDS:
                setattr(programme, name, value)
        errors.extend(validation_errors(programme))
        if errors:
            raise ValidationFailed(errors)
        programme.save()
        audit.record(
            actor, "programme.updated", programme, chain=chain_for_programme(programme.pk), fields=sorted(changes)
        )
    return programme


def create_priority_sector(actor: Any, **fields: Any) -> PrioritySector:
    """Create a priority sector, optionally under a ``parent_id`` (administrators and supervisors)."""
    require_role(actor, *CONFIGURERS)
    errors = _refuse_unknown(fields, SECTOR_FIELDS, _not_a_sector_field())
    sector = PrioritySector(**_stripped({k: v for k, v in fields.items() if k in SECTOR_FIELDS}))
    errors.extend(validation_errors(sector))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        sector.save()
        audit.record(actor, "sector.created", sector, chain=SECTORS_CHAIN, fields=sorted(fields))
    return sector


def update_priority_sector(actor: Any, sector_id: int, **changes: Any) -> PrioritySector:
    """Change a sector (administrators and supervisors); moving it under itself or a sub-sector is refused."""
    require_role(actor, *CONFIGURERS)
    with transaction.atomic():
        sector = PrioritySector.objects.select_for_update().filter(pk=sector_id).first()
        if sector is None:
            raise NotFound("sector")
        errors = _refuse_unknown(changes, SECTOR_FIELDS, _not_a_sector_field())
        for name, value in _stripped(changes).items():
            if name in SECTOR_FIELDS:
                setattr(sector, name, value)
        errors.extend(validation_errors(sector))
        if errors:
            raise ValidationFailed(errors)
        sector.save()
        audit.record(actor, "sector.updated", sector, chain=SECTORS_CHAIN, fields=sorted(changes))
    return sector


def set_sector_target(
    actor: Any, *, programme_id: int, sector_id: int, year: int, target_count: int, region: str = ""
) -> SectorTarget:
    """Set (create or replace) a programme's yearly target for a sector, optionally for one region."""
    require_role(actor, *CONFIGURERS)
    region = (region or "").strip()
    with transaction.atomic():
        target = (
            SectorTarget.objects.select_for_update()
            .filter(programme_id=programme_id, sector_id=sector_id, year=year, region=region)
            .first()
        )
        created = target is None
        if target is None:
            target = SectorTarget(programme_id=programme_id, sector_id=sector_id, year=year, region=region)
        target.target_count = target_count
        errors = validation_errors(target)
        if errors:
            raise ValidationFailed(errors)
        target.save()
        audit.record(
            actor,
            "target.created" if created else "target.updated",
            target,
            chain=chain_for_programme(programme_id),
            fields=["target_count"] if not created else ["programme", "sector", "year", "region", "target_count"],
        )
    return target


# --- applications ----------------------------------------------------------------------------------------------


def create_application(actor: Any, *, programme_id: int, sector_preference_id: int | None = None) -> Application:
    """Start a draft application of the actor's own profile to an active programme (candidates only).

    One application per profile and programme, unless the earlier one was withdrawn.
    """
    require_role(actor, Role.CANDIDATE)
    profile = Profile.objects.filter(user=actor).first()
    if profile is None:
        raise Conflict("profile", "missing", gettext("Create your profile before applying."))
    programme = selectors.get_programme_for(actor, programme_id)
    if (
        Application.objects.filter(profile=profile, programme=programme)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    ):
        raise Conflict("programme_id", "unique", gettext("You already have an application to this programme."))
    application = Application(profile=profile, programme=programme, sector_preference_id=sector_preference_id)
    errors = validation_errors(application)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        application.save()
        audit.record(
            actor,
            "application.created",
            application,
            chain=chain_for_profile(profile),
            fields=["profile", "programme", "sector_preference"],
        )
    return application


def set_sector_preference(actor: Any, application_id: int, sector_preference_id: int | None) -> Application:
    """Change the preferred sector of one's own draft application."""
    application = selectors.get_application_for(actor, application_id)
    if application.profile.user_id != getattr(actor, "pk", None):
        raise PermissionRefused(gettext("Only the candidate who owns the application may change it."), rule="owner")
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict("status", "draft", gettext("Only a draft application can be changed."))
    application.sector_preference_id = sector_preference_id
    errors = validation_errors(application)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        application.save()
        audit.record(
            actor,
            "application.updated",
            application,
            chain=chain_for_profile(application.profile),
            fields=["sector_preference"],
        )
    return application


def transition_application(actor: Any, application: Application, name: str, *, reason: str = "") -> Application:
    """Run transition ``name`` on ``application`` as ``actor`` and record it (history row + audit entry).

    Refusals: ``PermissionRefused`` naming the rule (role, owner, four_eyes),
    ``TransitionRefused`` naming the failed condition, ``Conflict`` when someone else moved
    the application since it was read. Nothing is written when refused.
    """
    with transaction.atomic():
        from_state, to_state = run_transition(application, name, actor)
        ApplicationTransition.objects.create(
            application=application,
            transition=name,
            from_state=from_state,
            to_state=to_state,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            at=application.status_changed_at,
            reason=reason,
        )
        audit.record(
            actor,
            f"application.{name}",
            application,
            chain=chain_for_profile(application.profile),
            fields=["status", *(["submitted_at"] if name == "submit" else [])],
            reason=reason or f"{from_state} -> {to_state}",
        )
    return application


def _move(actor: Any, application_id: int, name: str, reason: str = "") -> Application:
    return transition_application(actor, selectors.get_application_for(actor, application_id), name, reason=reason)


def submit_application(actor: Any, application_id: int) -> Application:
    """The owner submits a draft; needs an active programme and a profile ready to submit (see ``readiness``)."""
    return _move(actor, application_id, "submit")


def start_screening(actor: Any, application_id: int) -> Application:
    """A programme officer starts screening a submitted application."""
    return _move(actor, application_id, "start_screening")


def mark_application_assessed(actor: Any, application_id: int) -> Application:
    """A programme officer marks a screened application assessed; no profile document may still be pending."""
    return _move(actor, application_id, "mark_assessed")


def invite_applicant(actor: Any, application_id: int) -> Application:
    """An officer or supervisor invites an assessed applicant (under four-eyes, not the person who assessed)."""
    return _move(actor, application_id, "invite")


def mark_application_matched(actor: Any, application_id: int) -> Application:
    """An officer or supervisor records that an invited applicant was matched to a host."""
    return _move(actor, application_id, "mark_matched")


def withdraw_application(actor: Any, application_id: int, *, reason: str = "") -> Application:
    """The owner withdraws an open application; they may apply to the programme again afterwards."""
    return _move(actor, application_id, "withdraw", (reason or "").strip())


def reject_application(actor: Any, application_id: int, *, reason: str) -> Application:
    """A programme officer rejects an open (submitted or later) application, giving the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Give the reason for rejecting the application."))
    return _move(actor, application_id, "reject", reason)


# --- officers' transitions, one or many --------------------------------------------------------------------------

#: The longest reason kept with a transition (the audit entry keeps the first 500 characters).
MAX_REASON_LENGTH = 2000
#: The transitions a queue selection may run at once, and how many applications one request may move.
BULK_TRANSITIONS: tuple[str, ...] = ("start_screening", "mark_assessed", "invite", "reject")
MAX_BULK_APPLICATIONS = 200


def _checked_reason(name: str, reason: str) -> str:
    reason = (reason or "").strip()
    if name == "reject" and not reason:
        raise ValidationFailed.single("reason", "required", gettext("Give the reason for rejecting the application."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed.single(
            "reason",
            "max_length",
            ngettext(
                "The reason must be at most %(count)d character.",
                "The reason must be at most %(count)d characters.",
                MAX_REASON_LENGTH,
            )
            % {"count": MAX_REASON_LENGTH},
        )
    return reason


def _refuse_stale(application: Application, expected_status: str) -> None:
    """Refuse when the page or client acted on a status the application no longer has (someone else moved it)."""
    if expected_status and expected_status not in ApplicationStatus.values:
        choices = ", ".join(ApplicationStatus.values)
        raise ValidationFailed.single(
            "expected_status",
            "choice",
            gettext("'%(value)s' is not a status; use one of: %(choices)s.")
            % {"value": expected_status, "choices": choices},
        )
    if expected_status and application.status != expected_status:
        raise Conflict(
            "status",
            "concurrent_transition",
            gettext(
                "Someone else changed this application while you were working on it (it is now '%(status)s', "
                "no longer '%(expected)s'); reload it and try again."
            )
            % {
                "status": ApplicationStatus(application.status).label,
                "expected": ApplicationStatus(expected_status).label,
            },
        )


def move_application(
    actor: Any, application_id: int, name: str, *, reason: str = "", expected_status: str = ""
) -> Application:
    """Run one of the staff transitions (``selectors.OFFICER_TRANSITIONS``) on one application.

    ``expected_status`` is the status the actor saw (a page's hidden field, an API client's
    last read); if the application has moved since, the request is refused with a 409
    Conflict and nothing is written. ``reject`` needs a ``reason``. Refusals name the
    failed rule, as in :func:`transition_application`.
    """
    if name not in selectors.OFFICER_TRANSITIONS:
        choices = ", ".join(selectors.OFFICER_TRANSITIONS)
        raise ValidationFailed.single(
            "transition",
            "choice",
            gettext("'%(value)s' is not a staff transition; use one of: %(choices)s.")
            % {"value": name, "choices": choices},
        )
    reason = _checked_reason(name, reason)
    application = selectors.get_application_for(actor, application_id)
    _refuse_stale(application, expected_status)
    return transition_application(actor, application, name, reason=reason)


@dataclass(frozen=True)
class BulkOutcome:
    """What happened to one application of a bulk action: moved (``from_state`` -> ``to_state``) or refused (rule, message)."""

    application_id: int
    moved: bool
    from_state: str = ""
    to_state: str = ""
    rule: str = ""
    message: str = ""


def bulk_move_applications(
    actor: Any, application_ids: Sequence[int], name: str, *, reason: str = ""
) -> list[BulkOutcome]:
    """Run transition ``name`` on each application, each in its own transaction; report per application.

    A refusal of one application (its guard, its status, not visible: "no such
    application") leaves the others moving. The request as a whole is refused (nothing
    moved) only when it is malformed: an unknown transition, no or too many applications,
    a rejection without a reason, or an actor who is not programme staff.
    """
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
    errors: list[FieldError] = []
    if name not in BULK_TRANSITIONS:
        choices = ", ".join(BULK_TRANSITIONS)
        errors.append(
            FieldError(
                "transition",
                "choice",
                gettext("'%(value)s' cannot be run in bulk; use one of: %(choices)s.")
                % {"value": name, "choices": choices},
            )
        )
    unique_ids = list(dict.fromkeys(application_ids))
    if not unique_ids:
        errors.append(FieldError("application_ids", "required", gettext("Select at least one application.")))
    elif len(unique_ids) > MAX_BULK_APPLICATIONS:
        errors.append(
            FieldError(
                "application_ids",
                "max_items",
                ngettext(
                    "Select at most %(limit)d application at a time (you selected %(count)d).",
                    "Select at most %(limit)d applications at a time (you selected %(count)d).",
                    MAX_BULK_APPLICATIONS,
                )
                % {"limit": MAX_BULK_APPLICATIONS, "count": len(unique_ids)},
            )
        )
    try:
        reason = _checked_reason(name, reason)
    except ValidationFailed as refused:
        errors.extend(refused.errors)
    if errors:
        raise ValidationFailed(errors)
    outcomes = []
    for application_id in unique_ids:
        from_state = ""
        try:
            # Each application commits or rolls back on its own: transition_application opens its
            # own transaction, and nothing here wraps the loop in one.
            application = selectors.get_application_for(actor, application_id)
            from_state = application.status
            transition_application(actor, application, name, reason=reason)
        except DomainError as refusal:
            first = refusal.errors[0]
            outcomes.append(BulkOutcome(application_id, False, from_state, "", first.rule, first.message))
        else:
            outcomes.append(BulkOutcome(application_id, True, from_state, application.status))
    return outcomes
