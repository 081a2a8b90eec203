"""Signal receivers: other apps' status changes become notifications, inside the transaction that made them.

Applications: each new ``programmes.ApplicationTransition`` history row tells the candidate
(unless they made the move themselves); a rejection or an invitation is a decision (essential).
Offers: django-fsm's ``post_transition`` marks the offer, and its ``post_save`` (so only a move
that was really saved) tells the other side; a new offer tells the candidate. Neither app
imports this one. Links are reversed by URL name, so no portal code is imported either.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from talentgate.notifications import kinds
from talentgate.notifications.services import notify, notify_many

# Application moves that decide something for the candidate: always e-mailed.
APPLICATION_DECISIONS = frozenset({"rejected", "invited"})

_PENDING_ATTR = "_notifications_pending_move"


def _link(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def application_moved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """``post_save`` of ``programmes.ApplicationTransition``: tell the candidate their application moved."""
    if not created or raw:
        return
    application = instance.application
    recipient = getattr(application.profile, "user", None)
    if recipient is None or recipient.pk == instance.actor_id:
        return
    programme = application.programme
    kind = kinds.DECISION_MADE if instance.to_state in APPLICATION_DECISIONS else kinds.STATUS_CHANGED
    notify(
        recipient,
        kind.code,
        {
            "object": "application",
            "object_id": application.pk,
            "model": "programmes.application",
            "from_state": instance.from_state,
            "to_state": instance.to_state,
            "title_en": programme.name_en,
            "title_ru": programme.name_ru,
            "reason": instance.reason,
        },
        link=_link("portal:candidate:application", application_id=application.pk),
    )


def offer_moved(sender: Any, instance: Any, name: str, source: Any, target: Any, **kwargs: Any) -> None:
    """django-fsm ``post_transition`` of ``hosts.Offer``: remember the move until the offer is saved."""
    setattr(instance, _PENDING_ATTR, (str(source), str(target)))


def _offer_context(offer: Any) -> dict[str, Any]:
    opportunity = offer.opportunity
    return {
        "object": "offer",
        "object_id": offer.pk,
        "model": "hosts.offer",
        "to_state": offer.status,
        "title": opportunity.title,
        "organisation": opportunity.organisation.name,
        "expires_at": offer.expires_at,
        "reason": offer.reason,
    }


def _host_recipients(offer: Any) -> list[Any]:
    # The person who made the offer; if they are gone, the organisation's admins.
    if offer.made_by is not None and offer.made_by.is_active:
        return [offer.made_by]
    from talentgate.hosts.models import MemberRole, Membership

    admins = Membership.objects.filter(
        organisation_id=offer.opportunity.organisation_id, role=MemberRole.ADMIN, active=True
    ).select_related("user")
    return [membership.user for membership in admins]


def offer_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """``post_save`` of ``hosts.Offer``: a new offer tells the candidate; a saved move tells the other side."""
    if raw:
        return
    candidate = getattr(instance.profile, "user", None)
    candidate_link = _link("portal:offers:detail", offer_id=instance.pk)
    host_link = _link("portal:host:offer_detail", offer_id=instance.pk)
    if created:
        notify(candidate, kinds.OFFER_MADE.code, _offer_context(instance), link=candidate_link)
        return
    move = instance.__dict__.pop(_PENDING_ATTR, None)
    if move is None:
        return
    _source, target = move
    context = _offer_context(instance)
    if target == "accepted":
        notify_many(_host_recipients(instance), kinds.OFFER_ACCEPTED.code, context, link=host_link)
    elif target == "declined":
        notify_many(_host_recipients(instance), kinds.OFFER_DECLINED.code, context, link=host_link)
    elif target == "withdrawn":
        notify(candidate, kinds.OFFER_WITHDRAWN.code, context, link=candidate_link)
    elif target == "lapsed":
        notify(candidate, kinds.OFFER_LAPSED.code, context, link=candidate_link)
        notify_many(_host_recipients(instance), kinds.OFFER_LAPSED.code, context, link=host_link)
