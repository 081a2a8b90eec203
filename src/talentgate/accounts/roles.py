"""The roles people hold on the platform (DESIGN.md section 2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    HOST_ADMIN = "host_admin", _("Host organisation admin")
    HOST_STAFF = "host_staff", _("Host organisation staff")
    OFFICER = "officer", _("Programme officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    REVIEWER = "reviewer", _("Reviewer")
    AUTHORITY = "authority", _("Authority officer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


HOST_ROLES = frozenset({Role.HOST_ADMIN, Role.HOST_STAFF})
