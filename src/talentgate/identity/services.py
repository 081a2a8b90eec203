"""Every write of the identity app: an officer dismisses a suspected duplicate or merges the two people.

A merge keeps both histories. Records of the person's dealings with the programme move to the survivor:
applications, offers, relocation cases, uploaded documents, consents (an active consent for a purpose the
survivor has also consented to is withdrawn at the merge, as superseded), released legal holds and decided
erasure requests. The merged person's canonical profile (identity, education, work...) stays on their own
row, which is kept and marked ``merged_into`` the survivor, together with the few records that could not
move without breaking a rule (a closed application to a programme the survivor also applied to); the
:class:`~talentgate.identity.models.ProfileMerge` row counts what moved and what was kept.

The merged person's login: when the survivor has no account, it becomes the survivor's (the person keeps
signing in); when both have one, the merged account is deactivated with an unusable password (it can no
longer sign in) and its notifications move to the survivor's account.

Refused, with nothing changed and every reason named (409): the two are the same profile; either is
already merged or erased; either is under a legal hold or has an open erasure request; both have an
open relocation case; both have a live offer for one opportunity; the merged person has an open
application to a programme the survivor has a (not withdrawn) application to.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.candidates.models import ERASED_EXTERNAL_ID_PREFIX, Consent, Document, Profile
from talentgate.candidates.services import chain_for_profile
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed
from talentgate.identity.models import DuplicateSuspicion, ProfileMerge, SuspicionStatus

#: Who works the duplicates queue: programme officers and supervisors.
DUPLICATE_WORKERS = (Role.OFFICER, Role.SUPERVISOR)
REASON_MAX_LENGTH = 500


def _locked_open_suspicion(suspicion_id: int) -> DuplicateSuspicion:
    suspicion = DuplicateSuspicion.objects.select_for_update().filter(pk=suspicion_id).first()
    if suspicion is None:
        raise NotFound("suspected duplicate")
    if suspicion.status != SuspicionStatus.OPEN:
        raise Conflict(
            "status",
            "not_open",
            gettext("This suspected duplicate is already %(status)s.") % {"status": suspicion.get_status_display()},
        )
    return suspicion


def _audit_pair(actor: Any, action: str, obj: Any, chains: list[str], fields: list[str]) -> None:
    audit.record_many(actor, [audit.AuditEvent(action, obj, chain, fields) for chain in dict.fromkeys(chains)])


def dismiss_suspicion(actor: Any, suspicion_id: int, reason: str) -> DuplicateSuspicion:
    """An officer decides two people are different, saying why; the pair is never suspected again."""
    require_role(actor, *DUPLICATE_WORKERS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Say why these are two different people."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed.single(
            "reason", "max_length", gettext("At most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        suspicion = _locked_open_suspicion(suspicion_id)
        suspicion.status = SuspicionStatus.DISMISSED
        suspicion.dismissal_reason = reason
        suspicion.decided_by = actor
        suspicion.decided_at = timezone.now()
        suspicion.save(update_fields=["status", "dismissal_reason", "decided_by", "decided_at", "updated_at"])
        people = Profile.objects.filter(pk__in=(suspicion.profile_low_id, suspicion.profile_high_id)).order_by("pk")
        _audit_pair(
            actor,
            "duplicate.dismissed",
            suspicion,
            [chain_for_profile(p) for p in people],
            ["status", "dismissal_reason"],
        )
    return suspicion


def _is_erased(profile: Profile) -> bool:
    from talentgate.privacy.models import ErasureReceipt

    return (
        profile.external_id.startswith(ERASED_EXTERNAL_ID_PREFIX)
        or ErasureReceipt.objects.filter(profile_id_erased=profile.pk).exists()
    )


def merge_blockers(survivor: Profile, merged: Profile) -> list[FieldError]:
    """Every rule a merge of ``merged`` into ``survivor`` would break now (empty: it may go ahead)."""
    from talentgate.cases.models import TERMINAL_STAGES, RelocationCase
    from talentgate.hosts.models import LIVE_OFFER_STATES, Offer
    from talentgate.privacy.models import ErasureRequest, ErasureStatus, LegalHold
    from talentgate.programmes.models import OPEN_STATES, Application, ApplicationStatus

    problems: list[FieldError] = []
    for profile in (survivor, merged):
        words = {"profile": profile.pk}
        if profile.merged_into_id is not None:
            problems.append(
                FieldError(
                    "profile",
                    "already_merged",
                    gettext("Profile %(profile)s is already merged into another person.") % words,
                )
            )
        if _is_erased(profile):
            problems.append(FieldError("profile", "erased", gettext("Profile %(profile)s has been erased.") % words))
        if LegalHold.objects.filter(profile=profile, released_at__isnull=True).exists():
            problems.append(
                FieldError(
                    "profile",
                    "legal_hold",
                    gettext("A legal hold is in force on profile %(profile)s; its records must stay as they are.")
                    % words,
                )
            )
        if ErasureRequest.objects.filter(profile=profile, status=ErasureStatus.REQUESTED).exists():
            problems.append(
                FieldError(
                    "profile",
                    "erasure_requested",
                    gettext("Profile %(profile)s has an open erasure request; decide it first.") % words,
                )
            )
    open_cases = RelocationCase.objects.exclude(stage__in=TERMINAL_STAGES)
    if open_cases.filter(profile=survivor).exists() and open_cases.filter(profile=merged).exists():
        problems.append(
            FieldError(
                "cases",
                "both_open_cases",
                gettext("Both people have an open relocation case; close or withdraw one before merging."),
            )
        )
    live = Offer.objects.filter(status__in=LIVE_OFFER_STATES)
    shared = set(live.filter(profile=survivor).values_list("opportunity_id", flat=True)) & set(
        live.filter(profile=merged).values_list("opportunity_id", flat=True)
    )
    if shared:
        problems.append(
            FieldError(
                "offers",
                "same_opportunity",
                gettext("Both people hold a live offer for opportunity %(ids)s; decline or withdraw one first.")
                % {"ids": ", ".join(str(i) for i in sorted(shared))},
            )
        )
    survivor_programmes = set(
        Application.objects.filter(profile=survivor)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("programme_id", flat=True)
    )
    colliding = Application.objects.filter(
        profile=merged, status__in=OPEN_STATES, programme_id__in=survivor_programmes
    ).values_list("programme_id", flat=True)
    if colliding:
        problems.append(
            FieldError(
                "applications",
                "same_programme",
                gettext(
                    "Both people applied to programme %(ids)s and the merged person's application is still open; "
                    "reject or withdraw it first."
                )
                % {"ids": ", ".join(str(i) for i in sorted(set(colliding)))},
            )
        )
    return problems


def _move(queryset: Any, survivor: Profile, label: str, moved: Counter[str]) -> None:
    count = queryset.update(profile=survivor)
    if count:
        moved[label] += count


def _move_records(survivor: Profile, merged: Profile, now: Any, moved: Counter[str], kept: Counter[str]) -> None:
    from talentgate.cases.models import RelocationCase
    from talentgate.hosts.models import Offer
    from talentgate.privacy.models import ErasureRequest, LegalHold
    from talentgate.programmes.models import Application, ApplicationStatus

    survivor_programmes = set(
        Application.objects.filter(profile=survivor)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("programme_id", flat=True)
    )
    applications = Application.objects.filter(profile=merged)
    # A closed application to a programme the survivor also applied to cannot move (one per programme): it
    # stays on the merged profile, which links to the survivor.
    staying = applications.filter(programme_id__in=survivor_programmes).exclude(status=ApplicationStatus.WITHDRAWN)
    if staying.exists():
        kept["programmes.application"] += staying.count()
    _move(applications.exclude(pk__in=staying.values("pk")), survivor, "programmes.application", moved)
    _move(Offer.objects.filter(profile=merged), survivor, "hosts.offer", moved)
    _move(RelocationCase.objects.filter(profile=merged), survivor, "cases.relocationcase", moved)
    _move(Document.objects.filter(profile=merged), survivor, "candidates.document", moved)
    active_purposes = Consent.objects.filter(profile=survivor, withdrawn_at__isnull=True).values_list(
        "purpose", flat=True
    )
    superseded = Consent.objects.filter(profile=merged, withdrawn_at__isnull=True, purpose__in=list(active_purposes))
    superseded_count = superseded.update(withdrawn_at=now)
    if superseded_count:
        moved["candidates.consent.superseded"] += superseded_count
    _move(Consent.objects.filter(profile=merged), survivor, "candidates.consent", moved)
    _move(LegalHold.objects.filter(profile=merged), survivor, "privacy.legalhold", moved)
    _move(ErasureRequest.objects.filter(profile=merged), survivor, "privacy.erasurerequest", moved)


def _handle_accounts(survivor: Profile, merged: Profile, moved: Counter[str]) -> str:
    from talentgate.notifications.models import Notification

    account = merged.user
    if account is None:
        return "none"
    if survivor.user_id is None:
        Profile.objects.filter(pk=merged.pk).update(user=None)
        Profile.objects.filter(pk=survivor.pk).update(user=account)
        survivor.user = account
        merged.user = None
        return "linked_to_survivor"
    count = Notification.objects.filter(recipient=account).update(recipient_id=survivor.user_id)
    if count:
        moved["notifications.notification"] += count
    account.is_active = False
    account.set_unusable_password()
    account.save(update_fields=["is_active", "password"])
    return "deactivated"


def merge_profiles(actor: Any, suspicion_id: int, survivor_id: int) -> ProfileMerge:
    """Merge the other person of an open suspicion into ``survivor_id`` (see the module docstring), in one
    transaction, audited in both people's chains (ids and record types only)."""
    require_role(actor, *DUPLICATE_WORKERS)
    with transaction.atomic():
        suspicion = _locked_open_suspicion(suspicion_id)
        pair = (suspicion.profile_low_id, suspicion.profile_high_id)
        if survivor_id not in pair:
            raise ValidationFailed.single(
                "survivor_id",
                "one_of_pair",
                gettext("The surviving person must be one of the two: profile %(a)s or %(b)s.")
                % {"a": pair[0], "b": pair[1]},
            )
        merged_id = pair[1] if survivor_id == pair[0] else pair[0]
        # Locked without joining the (nullable) account: PostgreSQL refuses FOR UPDATE on an outer join.
        people = {p.pk: p for p in Profile.objects.select_for_update().filter(pk__in=pair)}
        survivor, merged = people[survivor_id], people[merged_id]
        problems = merge_blockers(survivor, merged)
        if problems:
            raise DomainError(problems, status=409)
        # Chains are named now: linking the merged login to the survivor changes the survivor's chain name.
        chains = [chain_for_profile(merged), chain_for_profile(survivor)]
        now = timezone.now()
        moved: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        _move_records(survivor, merged, now, moved, kept)
        outcome = _handle_accounts(survivor, merged, moved)
        Profile.objects.filter(pk=merged.pk).update(merged_into=survivor, merged_at=now)
        merge = ProfileMerge.objects.create(
            survivor=survivor,
            merged=merged,
            suspicion=suspicion,
            merged_by=actor,
            account_outcome=outcome,
            moved=dict(sorted(moved.items())),
            kept=dict(sorted(kept.items())),
        )
        suspicion.status = SuspicionStatus.MERGED
        suspicion.decided_by = actor
        suspicion.decided_at = now
        suspicion.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        superseded = DuplicateSuspicion.objects.filter(status=SuspicionStatus.OPEN).filter(
            Q(profile_low=merged) | Q(profile_high=merged)
        )
        superseded.update(
            status=SuspicionStatus.DISMISSED,
            decided_by=actor,
            decided_at=now,
            dismissal_reason=f"superseded: profile {merged.pk} was merged into profile {survivor.pk}",
            updated_at=now,
        )
        audit.record(actor, "person.merged_into", merge, chain=chains[0], fields=["merged_into", "merged_at"])
        audit.record(actor, "person.merged", merge, chain=chains[1], fields=sorted(moved))
        survivor_pk = survivor.pk
        transaction.on_commit(lambda: _detect_again(survivor_pk))
    return merge


def _detect_again(profile_id: int) -> None:
    from talentgate.identity.hooks import enqueue_detection

    enqueue_detection([profile_id])
