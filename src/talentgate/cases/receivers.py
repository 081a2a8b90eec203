"""Receivers that connect other apps' events to relocation cases without those apps importing this one."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from talentgate.cases import services
from talentgate.hosts.signals import offer_accepted


@receiver(offer_accepted, dispatch_uid="cases.open_case_for_accepted_offer")
def open_case_for_accepted_offer(sender: Any, offer: Any, actor: Any = None, **kwargs: Any) -> None:
    """An accepted offer opens its relocation case in the same transaction (a failure undoes the acceptance)."""
    services.open_case_for_offer(offer, actor=actor)
