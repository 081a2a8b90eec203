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
#: Programme-side roles: they read many people's personal data, so they sign in with a second factor
#: (settings.STAFF_MFA_REQUIRED) and their sessions end sooner (settings.STAFF_SESSION_AGE_SECONDS).
SECOND_FACTOR_ROLES = frozenset(
    {Role.OFFICER, Role.SUPERVISOR, Role.REVIEWER, Role.AUTHORITY, Role.ANALYST, Role.ADMINISTRATOR}
)
