"""Every write on host organisations, staff, opportunities and offers: atomic, checked and audited.

Organisation events go on the organisation's audit chain; offer events go on the chain of
the person the offer is made to (``profile:<id>`` while the profile has no account, as in
the candidates app).
Objects are looked up through the selectors, so another organisation's object is refused
as "not found" (or, when it is visible, as "not allowed") and nothing changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from talentgate.accounts import services as accounts
from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.common import audit
from talentgate.common.access import has_role, is_programme_staff, require_role
from talentgate.common.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionRefused,
    ValidationFailed,
)
from talentgate.common.workflow import run_transition, validation_errors
from talentgate.hosts import selectors
from talentgate.hosts.guards import is_member_of
from talentgate.hosts.models import (
    Invitation,
    MemberRole,
    Membership,
    Offer,
    OfferStatus,
    Opportunity,
    OpportunityLanguage,
    OpportunityOccupation,
    OpportunitySkill,
    OpportunityStatus,
    Organisation,
    Verification,
)
from talentgate.hosts.selectors import hash_token
from talentgate.hosts.signals import offer_accepted

INVITATION_VALID_FOR = timedelta(days=7)
_ROLE_FOR_MEMBER_ROLE = {MemberRole.ADMIN: Role.HOST_ADMIN, MemberRole.STAFF: Role.HOST_STAFF}


def _org_chain(organisation: Organisation) -> str:
    return audit.chain_for_organisation(organisation.pk)


def _offer_chain(offer: Offer) -> str:
    # The same chain the candidates app writes the person's other events to.
    user_id = offer.profile.user_id
    return audit.chain_for_person(user_id) if user_id else f"profile:{offer.profile_id}"


def _require_member(actor: Any, organisation_id: int, *, admin: bool = False) -> None:
    if not is_member_of(actor, organisation_id, admin=admin):
        message = (
            gettext("This needs an admin of the organisation.")
            if admin
            else gettext("This needs a member of the staff of the organisation.")
        )
        raise PermissionRefused(message, rule="organisation_admin" if admin else "organisation_member")


# --- organisations -------------------------------------------------------------------------------------------


def register_organisation(
    actor: Any,
    *,
    name: str,
    kind: str,
    country: str,
    region: str = "",
    website: str = "",
    sector_id: int | None = None,
    admin: Any = None,
) -> Organisation:
    """Register an organisation (pending verification) and make its first admin.

    A host admin registers their own organisation (``admin`` is left out); programme staff
    may register one on behalf of a host admin account passed as ``admin``.
    """
    if admin is None:
        admin = actor
    if admin is not actor and not is_programme_staff(actor):
        raise PermissionRefused(
            gettext("Only programme staff may register an organisation for someone else."), rule="role"
        )
    if admin is actor:
        require_role(actor, Role.HOST_ADMIN)
    elif not has_role(admin, Role.HOST_ADMIN):
        raise ValidationFailed.single(
            "admin", "role", gettext("The organisation's admin needs the host organisation admin role.")
        )
    if Membership.objects.filter(user=admin, active=True).exists():
        raise Conflict("admin", "one_organisation", gettext("This person already belongs to an organisation."))
    organisation = Organisation(
        name=(name or "").strip(),
        kind=kind,
        country_id=(country or "").strip().upper(),
        region=(region or "").strip(),
        website=(website or "").strip(),
        sector_id=sector_id,
    )
    errors = validation_errors(organisation, exclude=["verified_by"])
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        organisation.save()
        membership = Membership.objects.create(user=admin, organisation=organisation, role=MemberRole.ADMIN)
        chain = _org_chain(organisation)
        audit.record(
            actor,
            "organisation.registered",
            organisation,
            chain=chain,
            fields=["name", "kind", "country", "region", "website", "sector"],
        )
        audit.record(actor, "membership.created", membership, chain=chain, fields=["user", "role"])
    return organisation


def sign_up_organisation(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    name: str,
    kind: str,
    country: str,
    region: str = "",
    website: str = "",
    sector_id: int | None = None,
    verification_link: Callable[[str], str],
) -> Organisation:
    """A person signs up as the admin of a new organisation: their account (role host admin) and the
    organisation (pending verification by a programme officer) are made together.

    The account stays inactive until the person follows the link e-mailed to them (the same
    verification as a candidate's sign-up, ``accounts.services.verify_email``). Every error of
    the person's fields and the organisation's fields is reported at once, each naming its
    field, and nothing is saved.
    """
    errors: list[FieldError] = []
    if not password:
        errors.append(FieldError("password", "required", gettext("Choose a password.")))
    for field_name, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value or "") > 150:
            errors.append(FieldError(field_name, "max_length", gettext("Use at most 150 characters.")))
    draft = Organisation(
        name=(name or "").strip(),
        kind=kind,
        country_id=(country or "").strip().upper(),
        region=(region or "").strip(),
        website=(website or "").strip(),
        sector_id=sector_id,
    )
    errors.extend(validation_errors(draft, exclude=["verified_by"]))
    with transaction.atomic():
        user = None
        try:
            # A missing password is reported above; None here keeps the e-mail checks running.
            user = accounts.create_user(
                None,
                email=email,
                password=password or None,
                role=Role.HOST_ADMIN,
                first_name=(first_name or "").strip(),
                last_name=(last_name or "").strip(),
            )
        except ValidationFailed as exc:
            errors = exc.errors + errors
        if errors or user is None:
            raise ValidationFailed(errors)
        # Registered while the account is still active (register_organisation checks the role), then
        # the account waits for the e-mailed link, inside the same transaction.
        organisation = register_organisation(
            user, name=name, kind=kind, country=country, region=region, website=website, sector_id=sector_id
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(None, "user.signed_up", user, chain=audit.chain_for_person(user.pk), fields=["is_active"])
    accounts.send_verification_email(user, verification_link)
    return organisation


def _decide_verification(actor: Any, organisation_id: int, *, verified: bool, reason: str) -> Organisation:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    with transaction.atomic():
        organisation = selectors.organisations_visible_to(actor).select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFound("organisation")
        target = Verification.VERIFIED if verified else Verification.REJECTED
        if organisation.verification == target:
            raise Conflict(
                "verification",
                "unchanged",
                gettext("The organisation is already %(verification)s.") % {"verification": target.label},
            )
        organisation.verification = target
        organisation.verified_by = actor
        organisation.verified_at = timezone.now()
        organisation.verification_reason = reason
        organisation.save(update_fields=["verification", "verified_by", "verified_at", "verification_reason"])
        audit.record(
            actor,
            f"organisation.{target.value}",
            organisation,
            chain=_org_chain(organisation),
            fields=["verification", "verified_by", "verified_at", "verification_reason"],
            reason=reason,
        )
    return organisation


def verify_organisation(actor: Any, organisation_id: int, *, note: str = "") -> Organisation:
    """Mark an organisation verified (programme officer or supervisor), so it may publish opportunities."""
    return _decide_verification(actor, organisation_id, verified=True, reason=(note or "").strip())


def reject_organisation(actor: Any, organisation_id: int, *, reason: str) -> Organisation:
    """Reject an organisation, or withdraw its verification (officer or supervisor), giving a reason.

    Its published opportunities stop being visible outside the organisation and programme staff.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Give the reason for rejecting the organisation."))
    return _decide_verification(actor, organisation_id, verified=False, reason=reason)


# --- staff -----------------------------------------------------------------------------------------------------


def invite_staff(
    actor: Any,
    organisation_id: int,
    *,
    email: str,
    role: str = MemberRole.STAFF,
    valid_for: timedelta = INVITATION_VALID_FOR,
) -> tuple[Invitation, str]:
    """Invite a person by e-mail to join the organisation (its admins only).

    Returns the invitation and the raw token; the token is shown this once and only its
    hash is stored, so it cannot be recovered later (revoke and invite again instead).
    """
    organisation = selectors.get_organisation_for(actor, organisation_id)
    _require_member(actor, organisation.pk, admin=True)
    email = (email or "").strip().lower()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + valid_for,
        token_hash="0" * 64,  # replaced below; a placeholder keeps validation from flagging it
    )
    errors = validation_errors(invitation, exclude=["token_hash", "accepted_by"])
    if valid_for <= timedelta(0):
        errors.append(FieldError("valid_for", "positive", gettext("An invitation must be valid for some time.")))
    if errors:
        raise ValidationFailed(errors)
    if Membership.objects.filter(organisation=organisation, user__email=email, active=True).exists():
        raise Conflict("email", "already_member", gettext("This person is already a member of the organisation."))
    open_invitations = Invitation.objects.filter(
        organisation=organisation,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise Conflict(
            "email", "open_invitation", gettext("This address already has an open invitation; revoke it first.")
        )
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    with transaction.atomic():
        invitation.save()
        audit.record(
            actor,
            "invitation.created",
            invitation,
            chain=_org_chain(organisation),
            fields=["email", "role", "expires_at"],
        )
    return invitation, token


def send_invitation_email(invitation: Invitation, token: str, invitation_link: Callable[[str], str]) -> None:
    """E-mail the invited person the link (``invitation_link(token)``) that lets them join."""
    days = max(1, round((invitation.expires_at - timezone.now()).total_seconds() / 86400))
    subject = gettext("You are invited to join %(organisation)s on talentgate") % {
        "organisation": invitation.organisation.name
    }
    body = gettext(
        "%(organisation)s invites you to join its team on talentgate as %(role)s.\n\n"
        "To accept, open this link within %(days)d days; you can create your account there or sign in:\n\n"
        "%(link)s\n\n"
        "If you do not expect this invitation, ignore this e-mail."
    ) % {
        "organisation": invitation.organisation.name,
        "role": MemberRole(invitation.role).label,
        "days": days,
        "link": invitation_link(token),
    }
    send_mail(subject, body, None, [invitation.email])


def invite_staff_by_email(
    actor: Any,
    organisation_id: int,
    *,
    email: str,
    role: str = MemberRole.STAFF,
    invitation_link: Callable[[str], str],
) -> Invitation:
    """Invite a person (see :func:`invite_staff`) and e-mail them the link; the token is never shown to the admin."""
    invitation, token = invite_staff(actor, organisation_id, email=email, role=role)
    send_invitation_email(invitation, token, invitation_link)
    return invitation


def revoke_invitation(actor: Any, invitation_id: int) -> Invitation:
    """Revoke an open invitation (the organisation's admins only)."""
    invitation = selectors.get_invitation_for(actor, invitation_id)
    _require_member(actor, invitation.organisation_id, admin=True)
    if invitation.accepted_at is not None:
        raise Conflict("invitation", "used", gettext("This invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise Conflict("invitation", "revoked", gettext("This invitation is already revoked."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            "invitation.revoked",
            invitation,
            chain=audit.chain_for_organisation(invitation.organisation_id),
            fields=["revoked_at"],
        )
    return invitation


def accept_invitation(token: str, user: Any) -> Membership:
    """Join an organisation with an invitation token.

    Refused when the token is unknown, revoked, used or expired, when it was sent to
    another e-mail address, when the account's role does not match the invited role
    (host admin or host staff), or when the person already belongs to an organisation.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionRefused(gettext("Log in with the invited e-mail address first."), rule="authenticated")
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=hash_token(token or "")).first() if token else None
        )
        if invitation is None:
            raise NotFound("invitation")
        if invitation.revoked_at is not None:
            raise Conflict(
                "token", "revoked", gettext("This invitation was revoked; ask the organisation for a new one.")
            )
        if invitation.accepted_at is not None:
            raise Conflict("token", "used", gettext("This invitation has already been used."))
        if invitation.expires_at <= timezone.now():
            raise Conflict(
                "token", "expired", gettext("This invitation has expired; ask the organisation for a new one.")
            )
        if invitation.email.lower() != user.email.lower():
            raise PermissionRefused(
                gettext("This invitation was sent to another e-mail address."), rule="email_mismatch"
            )
        needed = _ROLE_FOR_MEMBER_ROLE[MemberRole(invitation.role)]
        if not has_role(user, needed):
            raise PermissionRefused(
                gettext("Joining as %(member_role)s needs an account with the %(role)s role.")
                % {"member_role": MemberRole(invitation.role).label, "role": needed.label},
                rule="role",
            )
        if Membership.objects.filter(user=user, active=True).exists():
            raise Conflict(
                "user", "one_organisation", gettext("You already belong to an organisation; leave it first.")
            )
        membership = Membership.objects.create(
            user=user, organisation_id=invitation.organisation_id, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        chain = audit.chain_for_organisation(invitation.organisation_id)
        audit.record(user, "invitation.accepted", invitation, chain=chain, fields=["accepted_at", "accepted_by"])
        audit.record(user, "membership.created", membership, chain=chain, fields=["user", "role"])
        audit.record(
            user, "membership.created", membership, chain=audit.chain_for_person(user.pk), fields=["organisation"]
        )
    return membership


def join_with_new_account(token: str, *, password: str, first_name: str = "", last_name: str = "") -> Membership:
    """An invited person without an account creates one (the invited e-mail address, the invited role)
    and joins the organisation, in one step.

    The account is active at once: following the e-mailed link proves the address. Refused as
    :func:`accept_invitation` refuses, and when the address already has an account (sign in instead).
    """
    invitation = selectors.invitation_for_token(token)
    state = selectors.invitation_state(invitation)
    if state != "open":
        messages = {
            "revoked": gettext("This invitation was revoked; ask the organisation for a new one."),
            "accepted": gettext("This invitation has already been used."),
            "expired": gettext("This invitation has expired; ask the organisation for a new one."),
        }
        raise Conflict("token", state if state != "accepted" else "used", messages[state])
    with transaction.atomic():
        user = accounts.create_user(
            None,
            email=invitation.email,
            password=password or "",
            role=_ROLE_FOR_MEMBER_ROLE[MemberRole(invitation.role)],
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
        )
        return accept_invitation(token, user)


def remove_staff(actor: Any, membership_id: int) -> Membership:
    """End a membership (the organisation's admins only); the last admin cannot be removed."""
    membership = selectors.get_membership_for(actor, membership_id)
    _require_member(actor, membership.organisation_id, admin=True)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.active:
            raise Conflict("membership", "inactive", gettext("This person has already left the organisation."))
        if membership.role == MemberRole.ADMIN:
            # Lock every admin row so two admins removing each other cannot both succeed.
            admins = list(
                Membership.objects.select_for_update()
                .filter(organisation_id=membership.organisation_id, role=MemberRole.ADMIN, active=True)
                .values_list("pk", flat=True)
            )
            if admins == [membership.pk]:
                raise Conflict(
                    "membership",
                    "last_admin",
                    gettext("The organisation's last admin cannot be removed; make another admin first."),
                )
        membership.active = False
        membership.left_at = timezone.now()
        membership.save(update_fields=["active", "left_at"])
        audit.record(
            actor,
            "membership.removed",
            membership,
            chain=audit.chain_for_organisation(membership.organisation_id),
            fields=["active", "left_at"],
        )
    return membership


# --- opportunities ---------------------------------------------------------------------------------------------

OPPORTUNITY_FIELDS = frozenset(
    {
        "title",
        "kind",
        "sector_id",
        "description",
        "min_education_level",
        "min_experience_years",
        "capacity",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_period",
        "country",
        "city",
        "application_deadline",
        "start_date",
    }
)
_CHILD_KEYS = {
    "occupations": frozenset({"esco_uri", "isco08_code", "label"}),
    "skills": frozenset({"esco_uri", "label", "essential"}),
    "languages": frozenset({"language", "min_level"}),
}


def _assign(opportunity: Opportunity, values: Mapping[str, Any], errors: list[FieldError]) -> None:
    for name, value in values.items():
        if name not in OPPORTUNITY_FIELDS:
            errors.append(
                FieldError(
                    name, "unknown_field", gettext("'%(name)s' is not a field of an opportunity.") % {"name": name}
                )
            )
        elif name in ("country", "salary_currency"):
            setattr(opportunity, f"{name}_id", (value or "").strip().upper() or None)
        elif isinstance(value, str) and name not in ("description",):
            setattr(opportunity, name, value.strip())
        else:
            setattr(opportunity, name, value)


def _children(
    kind: str, rows: Iterable[Mapping[str, Any]] | None, errors: list[FieldError]
) -> list[OpportunityOccupation | OpportunitySkill | OpportunityLanguage] | None:
    """Build (unsaved) requirement rows from plain dicts, collecting every error with its path."""
    if rows is None:
        return None
    model = {"occupations": OpportunityOccupation, "skills": OpportunitySkill, "languages": OpportunityLanguage}[kind]
    built: list[Any] = []
    seen_languages: set[str] = set()
    for index, row in enumerate(rows):
        path = f"{kind}[{index}]"
        unknown = set(row) - _CHILD_KEYS[kind]
        errors.extend(
            FieldError(f"{path}.{key}", "unknown_field", gettext("'%(name)s' is not allowed here.") % {"name": key})
            for key in sorted(unknown)
        )
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k in _CHILD_KEYS[kind]}
        if kind == "languages" and isinstance(values.get("language"), str):
            values["language"] = values["language"].lower()
            if values["language"] in seen_languages:
                errors.append(
                    FieldError(f"{path}.language", "unique", gettext("Each language is listed once per opportunity."))
                )
            seen_languages.add(values["language"])
        child = model(**values)
        errors.extend(validation_errors(child, path, exclude=["opportunity"]))
        built.append(child)
    return built


def _save_children(opportunity: Opportunity, children: dict[str, list[Any] | None]) -> list[str]:
    changed = []
    for kind, rows in children.items():
        if rows is None:
            continue
        getattr(opportunity, kind).all().delete()
        for row in rows:
            row.opportunity = opportunity
            row.save()
        changed.append(kind)
    return changed


def create_opportunity(
    actor: Any,
    *,
    title: str,
    kind: str,
    country: str,
    occupations: Iterable[Mapping[str, Any]] = (),
    skills: Iterable[Mapping[str, Any]] = (),
    languages: Iterable[Mapping[str, Any]] = (),
    **fields: Any,
) -> Opportunity:
    """Create a draft opportunity for the actor's own organisation (its admins and staff).

    ``fields`` are any of ``OPPORTUNITY_FIELDS``; ``occupations`` are dicts with ``esco_uri``
    and/or ``isco08_code`` plus ``label``, ``skills`` dicts with ``label``, optional
    ``esco_uri`` and ``essential``, ``languages`` dicts with an ISO 639-1 ``language`` and a
    CEFR ``min_level``. Every error is reported at once with its path (``skills[1].esco_uri``).
    """
    membership = selectors.membership_of(actor)
    if membership is None:
        raise PermissionRefused(
            gettext("Only the staff of a host organisation can create opportunities."), rule="organisation_member"
        )
    errors: list[FieldError] = []
    opportunity = Opportunity(organisation=membership.organisation, created_by=actor)
    _assign(opportunity, {"title": title, "kind": kind, "country": country, **fields}, errors)
    children = {
        kind_: _children(kind_, rows, errors)
        for kind_, rows in (("occupations", occupations), ("skills", skills), ("languages", languages))
    }
    errors.extend(validation_errors(opportunity, exclude=["created_by"]))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        opportunity.save()
        written = _save_children(opportunity, children)
        audit.record(
            actor,
            "opportunity.created",
            opportunity,
            chain=_org_chain(membership.organisation),
            fields=sorted({"title", "kind", "country", *fields, *written}),
        )
    return opportunity


def _own_opportunity(actor: Any, opportunity_id: int, *, lock: bool = False) -> Opportunity:
    opportunity = selectors.get_opportunity_for(actor, opportunity_id)
    _require_member(actor, opportunity.organisation_id)
    if lock:
        opportunity = Opportunity.objects.select_for_update().select_related("organisation").get(pk=opportunity.pk)
    return opportunity


def update_opportunity(
    actor: Any,
    opportunity_id: int,
    *,
    occupations: Iterable[Mapping[str, Any]] | None = None,
    skills: Iterable[Mapping[str, Any]] | None = None,
    languages: Iterable[Mapping[str, Any]] | None = None,
    **changes: Any,
) -> Opportunity:
    """Change a draft or published opportunity of the actor's organisation; a closed one is frozen.

    A requirement list passed replaces the old one; one left out (``None``) stays as it is.
    """
    with transaction.atomic():
        opportunity = _own_opportunity(actor, opportunity_id, lock=True)
        if opportunity.status == OpportunityStatus.CLOSED:
            raise Conflict("status", "closed", gettext("A closed opportunity cannot be changed."))
        errors: list[FieldError] = []
        _assign(opportunity, changes, errors)
        children = {
            "occupations": _children("occupations", occupations, errors),
            "skills": _children("skills", skills, errors),
            "languages": _children("languages", languages, errors),
        }
        errors.extend(validation_errors(opportunity, exclude=["created_by"]))
        if errors:
            raise ValidationFailed(errors)
        opportunity.save()
        written = _save_children(opportunity, children)
        audit.record(
            actor,
            "opportunity.updated",
            opportunity,
            chain=audit.chain_for_organisation(opportunity.organisation_id),
            fields=sorted({*changes, *written}),
        )
    return opportunity


def _move_opportunity(actor: Any, opportunity_id: int, name: str) -> Opportunity:
    with transaction.atomic():
        opportunity = _own_opportunity(actor, opportunity_id)
        from_state, to_state = run_transition(opportunity, name, actor)
        audit.record(
            actor,
            f"opportunity.{to_state}",
            opportunity,
            chain=audit.chain_for_organisation(opportunity.organisation_id),
            fields=["status"],
            reason=f"{from_state} -> {to_state}",
        )
    return opportunity


def publish_opportunity(actor: Any, opportunity_id: int) -> Opportunity:
    """Publish a draft (the organisation's staff); refused unless the organisation is verified
    and the application deadline has not passed."""
    return _move_opportunity(actor, opportunity_id, "publish")


def close_opportunity(actor: Any, opportunity_id: int) -> Opportunity:
    """Close a draft or published opportunity (the organisation's staff); live offers stay as they are."""
    return _move_opportunity(actor, opportunity_id, "close")


# --- offers ----------------------------------------------------------------------------------------------------


def make_offer(
    actor: Any,
    *,
    opportunity_id: int,
    profile_id: int,
    terms: str,
    expires_at: datetime,
    salary_amount: Decimal | str | None = None,
    salary_currency: str = "",
    salary_period: str = "",
    start_date: Any = None,
) -> Offer:
    """Offer a published opportunity to a candidate profile (the organisation's staff).

    Refused when the candidate neither applied to a programme nor gave the 'matched_hosts'
    consent (403), when the opportunity is not published, when accepted offers already fill its
    capacity, when the candidate already holds a live offer for it, or when the expiry is
    not in the future.
    """
    with transaction.atomic():
        opportunity = _own_opportunity(actor, opportunity_id, lock=True)
        if opportunity.status != OpportunityStatus.PUBLISHED:
            raise Conflict(
                "opportunity",
                "published",
                gettext("Offers need a published opportunity; this one is %(status)s.")
                % {"status": OpportunityStatus(opportunity.status).label},
            )
        accepted = opportunity.offers.filter(status=OfferStatus.ACCEPTED).count()
        if accepted >= opportunity.capacity:
            raise Conflict(
                "opportunity",
                "capacity",
                ngettext(
                    "This opportunity's %(count)d place is taken by an accepted offer.",
                    "All %(count)d places of this opportunity are taken by accepted offers.",
                    opportunity.capacity,
                )
                % {"count": opportunity.capacity},
            )
        profile = Profile.objects.filter(pk=profile_id).first() if isinstance(profile_id, int) else None
        if profile is None:
            raise NotFound("profile")
        if not selectors.is_open_to_hosts(profile):
            # DESIGN.md section 8: hosts see only candidates who applied or consented.
            raise PermissionRefused(
                gettext(
                    "Offers can only be made to candidates who applied to the programme or agreed to be shown "
                    "to host organisations (the 'matched_hosts' consent)."
                ),
                rule="candidate_not_open_to_hosts",
            )
        if opportunity.offers.filter(profile=profile, status__in=[OfferStatus.OFFERED, OfferStatus.ACCEPTED]).exists():
            raise Conflict(
                "profile", "live_offer", gettext("This candidate already has a live offer for this opportunity.")
            )
        offer = Offer(
            opportunity=opportunity,
            profile=profile,
            terms=(terms or "").strip(),
            expires_at=expires_at,
            salary_amount=salary_amount,
            salary_currency_id=(salary_currency or "").strip().upper() or None,
            salary_period=salary_period,
            start_date=start_date,
            made_by=actor,
        )
        errors = validation_errors(offer, exclude=["made_by"])
        if isinstance(expires_at, datetime) and expires_at <= timezone.now():
            errors.append(FieldError("expires_at", "future", gettext("The offer must expire in the future.")))
        if errors:
            raise ValidationFailed(errors)
        offer.save()
        audit.record(
            actor,
            "offer.made",
            offer,
            chain=_offer_chain(offer),
            fields=[
                "opportunity",
                "profile",
                "terms",
                "salary_amount",
                "salary_currency",
                "salary_period",
                "start_date",
                "expires_at",
            ],
        )
    return offer


def _move_offer(actor: Any, offer_id: int, name: str, *, reason: str = "") -> Offer:
    with transaction.atomic():
        offer = selectors.get_offer_for(actor, offer_id)
        if name == "accept":
            # Serialise acceptances of one opportunity so two cannot overfill its capacity.
            Opportunity.objects.select_for_update().filter(pk=offer.opportunity_id).first()
        kwargs = {"reason": reason} if name in ("decline", "withdraw") else {}
        from_state, to_state = run_transition(offer, name, actor, **kwargs)
        audit.record(
            actor,
            f"offer.{to_state}",
            offer,
            chain=_offer_chain(offer),
            fields=["status", "decided_at", *(["reason"] if reason else [])],
            reason=reason or f"{from_state} -> {to_state}",
        )
        if name == "accept":
            # Receivers (the cases app opens the relocation case) write in this same transaction.
            offer_accepted.send(sender=Offer, offer=offer, actor=actor)
    return offer


def accept_offer(actor: Any, offer_id: int) -> Offer:
    """Accept an offer: only the candidate it was made to, before it expires, while a place is left."""
    return _move_offer(actor, offer_id, "accept")


def decline_offer(actor: Any, offer_id: int, *, reason: str = "") -> Offer:
    """Decline an offer: only the candidate it was made to, before it expires."""
    return _move_offer(actor, offer_id, "decline", reason=(reason or "").strip())


def withdraw_offer(actor: Any, offer_id: int, *, reason: str) -> Offer:
    """Withdraw an open offer (the offering organisation's staff), giving a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Give the reason for withdrawing the offer."))
    return _move_offer(actor, offer_id, "withdraw", reason=reason)


def lapse_expired_offers(now: datetime | None = None) -> int:
    """Move every open offer whose expiry has passed (as of ``now``) to 'lapsed'; return how many.

    Runs as the system (no actor). Each offer lapses in its own transaction, so one that a
    candidate accepted at the same moment is skipped instead of failing the whole batch.
    """
    now = now or timezone.now()
    lapsed = 0
    due = Offer.objects.filter(status=OfferStatus.OFFERED, expires_at__lte=now).values_list("pk", flat=True)
    for offer_id in list(due):
        with transaction.atomic():
            offer = (
                Offer.objects.select_related("profile", "opportunity")
                .filter(pk=offer_id, status=OfferStatus.OFFERED)
                .first()
            )
            if offer is None:
                continue
            offer.as_of = now
            try:
                run_transition(offer, "lapse", None)
            except Conflict:
                continue
            audit.record(
                None,
                "offer.lapsed",
                offer,
                chain=_offer_chain(offer),
                fields=["status", "decided_at"],
                reason="expired",
            )
            lapsed += 1
    return lapsed
