"""The notifications app: connects the receivers that turn other apps' status changes into notifications."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django_fsm.signals import post_transition


class NotificationsConfig(AppConfig):
    name = "talentgate.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.apps import apps

        from talentgate.notifications import receivers

        # The other apps know nothing of notifications: their history rows and django-fsm's
        # transition signal tell us what moved, inside the same transaction as the move.
        post_save.connect(
            receivers.application_moved,
            sender="programmes.ApplicationTransition",
            dispatch_uid="notifications.application_moved",
        )
        post_save.connect(receivers.offer_saved, sender="hosts.Offer", dispatch_uid="notifications.offer_saved")
        post_transition.connect(
            receivers.offer_moved,
            sender=apps.get_model("hosts", "Offer"),
            dispatch_uid="notifications.offer_moved",
        )
