"""Every write of the privacy app: legal holds, erasure requests, the erasure of one person.

Erasure overwrites personal fields in place rather than destroying a per-person key: the platform's
``EncryptedCharField`` encrypts with the installation's keys (MultiFernet, ``FIELD_ENCRYPTION_KEYS``),
not one key per person, so "shredding" a key would erase everyone. Instead, every free-text, name,
contact and encrypted field of the person's records is overwritten with :data:`ERASED` (or emptied),
files are deleted from storage, the account is deactivated with an unusable password, and rows are
kept, so counts by stage, status and country (what analytics aggregates) are unchanged. Audit entries
hold ids and field names only, so the chains are not touched and still verify; the erasure itself is
recorded in the person's chain and an :class:`~talentgate.privacy.models.ErasureReceipt` is written.

Erasure is refused (``Conflict`` naming the rule) while a legal hold is in force or an authority
decision is open: a case submitted to the authority and not yet decided, a pending reconsideration,
or a rejection or refusal still within its reconsideration window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.candidates.models import ERASED_EXTERNAL_ID_PREFIX, IdentityDocument, Profile
from talentgate.candidates.services import chain_for_profile
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.crypto import EncryptedCharField, EncryptedTextField
from talentgate.common.errors import Conflict, NotFound, ValidationFailed
from talentgate.privacy.models import ErasureReceipt, ErasureRequest, ErasureStatus, LegalHold

#: What an erased text reads afterwards (non-empty, so "reason required" constraints still hold).
ERASED = "[erased]"
ERASURE_METHOD = "fields_overwritten"
#: Who may place holds and erase: the programme's officers and administrators (supervisors too: they
#: outrank officers in every other decision).
ERASERS = (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
#: Code-like columns kept on erasure: they say where a record stands, not who the person is.
KEPT_FIELD_NAMES = frozenset(
    {
        "residence_country",
        "country",
        "issuing_country",
        "citizenships",
        "sex",
        "transition",
        "from_stage",
        "to_stage",
        "stage",
        "status",
        "kind",
        "purpose",
        "version",
        "policy_id",
        "policy_version",
        "legal_ground",
        "language",
        "currency",
        "salary_currency",
        "salary_period",
        "award_reference",
        "event",
        "code",
        "category",
        "document_kind",
        "audience",
        "addressee",
        "source",
        "email_status",
    }
)


@dataclass(frozen=True)
class Blocker:
    """One reason a person's records must be kept: ``rule`` (stable code) and ``message`` (for people)."""

    rule: str
    message: str


def _profile(profile_id: int) -> Profile:
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise NotFound("profile")
    return profile


# ------------------------------------------------------------------------------------------------ legal holds


def place_legal_hold(actor: Any, profile_id: int, reason: str) -> LegalHold:
    """Keep the person's records (no erasure, no retention deletion) until the hold is released."""
    require_role(actor, *ERASERS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Say why the records must be kept."))
    if len(reason) > 500:
        raise ValidationFailed.single("reason", "max_length", gettext("At most 500 characters."))
    with transaction.atomic():
        profile = _profile(profile_id)
        hold = LegalHold.objects.create(profile=profile, reason=reason, placed_by=actor)
        audit.record(actor, "legal_hold.placed", hold, chain=chain_for_profile(profile), fields=["reason"])
    return hold


def release_legal_hold(actor: Any, hold_id: int) -> LegalHold:
    """End a hold; a hold already released is refused (field ``released_at``)."""
    require_role(actor, *ERASERS)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound("legal hold")
        if hold.released_at is not None:
            raise Conflict("released_at", "already_released", gettext("This legal hold is already released."))
        hold.released_at = timezone.now()
        hold.released_by = actor
        hold.save(update_fields=["released_at", "released_by"])
        audit.record(actor, "legal_hold.released", hold, chain=chain_for_profile(hold.profile), fields=["released_at"])
    return hold


# --------------------------------------------------------------------------------------------- erasure requests


def request_erasure(actor: Any) -> ErasureRequest:
    """The candidate asks to be erased; an officer then executes or refuses it. Asking again while a request
    is open returns that request (one open request at a time; asking twice is not an error)."""
    require_role(actor, Role.CANDIDATE)
    profile = Profile.objects.filter(user=actor).first()
    if profile is None:
        raise NotFound("profile")
    with transaction.atomic():
        open_request = ErasureRequest.objects.filter(profile=profile, status=ErasureStatus.REQUESTED).first()
        if open_request is not None:
            return open_request
        request = ErasureRequest.objects.create(profile=profile, requested_by=actor)
        audit.record(actor, "erasure.requested", request, chain=chain_for_profile(profile))
    return request


def refuse_erasure_request(actor: Any, request_id: int, reason: str) -> ErasureRequest:
    """Refuse an open erasure request, with the reason the candidate is told."""
    require_role(actor, *ERASERS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Say why the request is refused."))
    with transaction.atomic():
        request = _open_request(request_id)
        request.status = ErasureStatus.REFUSED
        request.refusal_reason = reason[:500]
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        audit.record(
            actor, "erasure.refused", request, chain=chain_for_profile(request.profile), fields=["refusal_reason"]
        )
    return request


def _open_request(request_id: int) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotFound("erasure request")
    if request.status != ErasureStatus.REQUESTED:
        raise Conflict("status", "not_open", gettext("This erasure request is already decided."))
    return request


# ------------------------------------------------------------------------------------------------------ erasure


def erasure_blockers(profile: Profile) -> list[Blocker]:
    """Every reason the person's records must be kept now (empty: erasure may go ahead)."""
    from talentgate.cases.models import Decision, Reconsideration, ReconsiderationStatus, Stage
    from talentgate.cases.reconsideration import RECONSIDERABLE, reconsideration_deadline

    blockers: list[Blocker] = []
    holds = LegalHold.objects.filter(profile=profile, released_at__isnull=True).order_by("pk")
    for hold in holds:
        blockers.append(
            Blocker("legal_hold", gettext("A legal hold is in force: %(reason)s") % {"reason": hold.reason})
        )
    for case_id in profile.cases.filter(stage=Stage.SUBMITTED).values_list("pk", flat=True):
        blockers.append(
            Blocker(
                "open_authority_decision",
                gettext("Case %(case)s is with the immigration authority, awaiting its decision.") % {"case": case_id},
            )
        )
    pending = Reconsideration.objects.filter(case__profile=profile, status=ReconsiderationStatus.PENDING)
    for case_id in pending.values_list("case_id", flat=True):
        blockers.append(
            Blocker(
                "open_authority_decision",
                gettext("A reconsideration of a decision on case %(case)s is pending.") % {"case": case_id},
            )
        )
    today = timezone.localdate()
    decisions = Decision.objects.filter(case__profile=profile, kind__in=RECONSIDERABLE).select_related("case")
    for decision in decisions.exclude(reconsideration__isnull=False).exclude(reconsideration_outcome__isnull=False):
        deadline = reconsideration_deadline(decision)
        if deadline >= today:
            blockers.append(
                Blocker(
                    "reconsideration_window",
                    gettext(
                        "The %(kind)s on case %(case)s may be reconsidered until %(date)s; the record is kept until then."
                    )
                    % {"kind": decision.get_kind_display(), "case": decision.case_id, "date": deadline.isoformat()},
                )
            )
    return blockers


def _refuse_if_blocked(profile: Profile) -> None:
    blockers = erasure_blockers(profile)
    if blockers:
        raise Conflict("profile", blockers[0].rule, " ".join(b.message for b in blockers))


def _scrub(obj: models.Model, counts: Counter[str], doomed: list[tuple[Any, str]]) -> int:
    """Overwrite the personal fields of one row and note its files in ``doomed`` (deleted once the erasure
    commits, so a failure cannot leave rows pointing at missing files); returns the number of files."""
    changed: list[str] = []
    files = 0
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.name in KEPT_FIELD_NAMES or field.unique:
            continue
        value = getattr(obj, field.name)
        if isinstance(field, models.FileField):
            if value:
                doomed.append((value.storage, value.name))
                setattr(obj, field.name, "")
                files += 1
                changed.append(field.name)
            continue
        encrypted = isinstance(field, EncryptedCharField | EncryptedTextField)
        textual = isinstance(field, models.CharField | models.TextField) and not field.choices
        if (encrypted or textual) and value and value != ERASED:
            max_length = getattr(field, "max_length", None)
            if max_length is not None and max_length < len(ERASED):
                continue  # code columns (currencies, short ids) say nothing about who the person is
            setattr(obj, field.name, ERASED)
            changed.append(field.name)
        elif isinstance(field, models.JSONField) and field.name == "extensions" and value:
            setattr(obj, field.name, {})
            changed.append(field.name)
    if changed:
        # A queryset update, not save(): history rows refuse save() (they are evidence), and the erasure of
        # their free text is the one change the law requires of them; states and times stay as they were.
        type(obj)._base_manager.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in changed})
        counts[obj._meta.label_lower] += 1
    return files


def _children(obj: models.Model) -> list[models.Model]:
    """The rows pointing at ``obj`` through one-to-many and one-to-one relations."""
    found: list[models.Model] = []
    for relation in obj._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        if relation.one_to_one:
            item = getattr(obj, accessor, None) if hasattr(obj, accessor) else None
            found.extend([item] if item is not None else [])
        else:
            found.extend(getattr(obj, accessor).all())
    return found


def person_records(profile: Profile, depth: int = 2) -> list[models.Model]:
    """The rows about the person: those pointing at the profile, and the rows pointing at those, to
    ``depth`` levels, breadth first (so a case is reached directly, not as a grandchild of an offer)."""
    seen: set[tuple[str, Any]] = {(profile._meta.label_lower, profile.pk)}
    level: list[models.Model] = [profile]
    found: list[models.Model] = []
    for _ in range(depth):
        next_level: list[models.Model] = []
        for obj in level:
            for item in _children(obj):
                key = (item._meta.label_lower, item.pk)
                if key not in seen:
                    seen.add(key)
                    next_level.append(item)
        found.extend(next_level)
        level = next_level
    return found


def erase_person(actor: Any, profile_id: int, *, request_id: int | None = None) -> ErasureReceipt:
    """Erase one person (see the module docstring); ``request_id`` marks their erasure request done.

    Refused, with nothing changed, while :func:`erasure_blockers` names a reason to keep the records.
    """

    require_role(actor, *ERASERS)
    return erase_unchecked_actor(actor, profile_id, request_id=request_id)


def erase_unchecked_actor(actor: Any, profile_id: int, *, request_id: int | None = None) -> ErasureReceipt:
    """:func:`erase_person` without the role check, for the retention job (``actor`` None: the system).
    The blockers are checked all the same."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(pk=profile_id).first()
        if profile is None:
            raise NotFound("profile")
        request = _open_request(request_id) if request_id is not None else None
        if request is not None and request.profile_id != profile.pk:
            raise ValidationFailed.single(
                "request_id", "other_person", gettext("This erasure request is about someone else.")
            )
        _refuse_if_blocked(profile)
        counts: Counter[str] = Counter()
        external_id = profile.external_id
        user = profile.user
        # Consents end now (hosts stop seeing the profile, exports leave the person out); the rows stay
        # as the history of what was agreed.
        now = timezone.now()
        counts["candidates.consent"] += profile.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
        files = 0
        doomed: list[tuple[Any, str]] = []
        for row in person_records(profile):
            if isinstance(row, ErasureRequest | ErasureReceipt | LegalHold):
                continue  # the privacy records hold ids and reasons about keeping, not personal data
            files += _scrub(row, counts, doomed)
        for name in ("given_names_latin", "family_name_latin", "given_names_native", "family_name_native"):
            setattr(profile, name, ERASED if name == "given_names_latin" else "")
        profile.email = ""
        profile.phone = ""
        profile.extensions = {}
        profile.h_index = None
        # The year of birth is kept (age bands in statistics); the day is not.
        profile.date_of_birth = profile.date_of_birth.replace(month=1, day=1)
        profile.external_id = f"{ERASED_EXTERNAL_ID_PREFIX}{profile.pk}"
        profile.save()
        # The derived identity columns go too (save() rebuilt the search key from the placeholder, the scrub
        # wrote the placeholder into the blind index): nothing may still find or link the erased person.
        Profile.objects.filter(pk=profile.pk).update(name_search_key="")
        IdentityDocument.objects.filter(profile=profile).update(number_blind_index="")
        counts["candidates.profile"] += 1
        if user is not None:
            for notification in user.notifications.all():
                files += _scrub(notification, counts, doomed)
            user.email = f"erased-{user.pk}@erased.invalid"
            for name in ("first_name", "last_name"):
                if hasattr(user, name):
                    setattr(user, name, "")
            user.is_active = False
            user.set_unusable_password()
            user.save()
            counts["accounts.user"] += 1
        receipt = ErasureReceipt.objects.create(
            profile_id_erased=profile.pk,
            external_id=external_id,
            user_id_erased=user.pk if user is not None else None,
            request=request,
            erased_by=actor,
            method=ERASURE_METHOD,
            counts=dict(sorted(counts.items())),
            files_removed=files,
        )
        if request is not None:
            request.status = ErasureStatus.DONE
            request.decided_by = actor
            request.decided_at = now
            request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(actor, "person.erased", receipt, chain=chain_for_profile(profile), fields=sorted(counts))
        transaction.on_commit(lambda: _delete_files(doomed))
    return receipt


def _delete_files(doomed: list[tuple[Any, str]]) -> None:
    for storage, name in doomed:
        storage.delete(name)
