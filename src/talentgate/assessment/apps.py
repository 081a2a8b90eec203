"""The assessment app: connects the submission hook and loads the shipped policies after ``migrate``."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "talentgate.assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from talentgate.assessment import hooks

        # The programmes app writes one history row per transition; a "submitted" row means a
        # submission committed with it, so programmes itself needs no knowledge of assessment.
        post_save.connect(
            hooks.assess_on_submission,
            sender="programmes.ApplicationTransition",
            dispatch_uid="assessment.assess_on_submission",
        )
        post_migrate.connect(hooks.load_shipped_policies, sender=self, dispatch_uid="assessment.load_shipped_policies")
