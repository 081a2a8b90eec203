"""The named conditions and permissions of the application state machine.

Each guard's ``needs`` text completes the sentence "<transition> needs ...", so a refusal
reads e.g. "submit needs consent 'authority_handoff' given". The wording is translated lazily
(these guards are made at import) and rendered in the visitor's language when a refusal is raised.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from talentgate.accounts.roles import Role
from talentgate.common.access import has_role
from talentgate.common.workflow import ActorRule, Guard, all_of
from talentgate.programmes import readiness

#: The transitions' names as people read them in a refusal (see common.workflow.transition_label).
TRANSITION_NAMES = (
    pgettext_lazy("transition", "submit"),
    pgettext_lazy("transition", "start_screening"),
    pgettext_lazy("transition", "mark_assessed"),
    pgettext_lazy("transition", "invite"),
    pgettext_lazy("transition", "mark_matched"),
    pgettext_lazy("transition", "withdraw"),
    pgettext_lazy("transition", "reject"),
)


def _consent_given(purpose: str) -> str:
    return gettext("consent '%(purpose)s' given") % {"purpose": purpose}


_consent_given_lazy = lazy(_consent_given, str)


def _owns(application: Any, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and application.profile.user_id == user.pk)


def _assessor_id(application: Any) -> int | None:
    last = application.history.filter(to_state="assessed").order_by("-at", "-pk").first()
    return last.actor_id if last else None


def _not_the_assessor(application: Any, user: Any) -> bool:
    if not application.programme.four_eyes:
        return True
    return _assessor_id(application) != getattr(user, "pk", None)


OWNER = ActorRule("owner", gettext_lazy("the candidate who owns the application"), _owns)
OFFICER = ActorRule("role", gettext_lazy("the programme officer role"), lambda app, user: has_role(user, Role.OFFICER))
OFFICER_OR_SUPERVISOR = ActorRule(
    "role",
    gettext_lazy("the programme officer or supervisor role"),
    lambda app, user: has_role(user, Role.OFFICER, Role.SUPERVISOR),
)
FOUR_EYES = ActorRule(
    "four_eyes", gettext_lazy("a different person from the one who marked it assessed"), _not_the_assessor
)

BY_OWNER = all_of(OWNER)
BY_OFFICER = all_of(OFFICER)
BY_OFFICER_OR_SUPERVISOR = all_of(OFFICER_OR_SUPERVISOR)
BY_OFFICER_OR_SUPERVISOR_FOUR_EYES = all_of(OFFICER_OR_SUPERVISOR, FOUR_EYES)

PROGRAMME_ACTIVE = Guard(
    "programme_active", gettext_lazy("the programme to be active"), lambda app: app.programme.active
)

# What "complete enough to submit" means; see programmes.readiness for each check.
PROFILE_READY = [
    Guard(
        "profile_identity",
        gettext_lazy("the profile's identity filled in (names and date of birth)"),
        readiness.has_identity,
    ),
    Guard("profile_education", gettext_lazy("at least one education entry on the profile"), readiness.has_education),
    Guard(
        "profile_language_test",
        gettext_lazy("at least one language test result on the profile"),
        readiness.has_language_test,
    ),
    Guard(
        "consent_authority_handoff",
        _consent_given_lazy(readiness.AUTHORITY_HANDOFF),
        readiness.has_authority_handoff_consent,
    ),
]

DOCUMENTS_SCREENED = Guard(
    "documents_screened",
    gettext_lazy("screening done: no document of the profile still pending verification"),
    readiness.documents_screened,
)
