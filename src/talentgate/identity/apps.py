"""The identity app: connects duplicate detection to profile writes and application submissions."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "talentgate.identity"
    label = "identity"
    verbose_name = _("Identity and duplicates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from talentgate.candidates.signals import profiles_saved
        from talentgate.identity import hooks

        # Candidates and programmes know nothing of duplicate detection: they announce writes, this app listens.
        profiles_saved.connect(hooks.detect_on_profile_write, dispatch_uid="identity.detect_on_profile_write")
        post_save.connect(
            hooks.detect_on_submission,
            sender="programmes.ApplicationTransition",
            dispatch_uid="identity.detect_on_submission",
        )
