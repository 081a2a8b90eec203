"""The named permissions and conditions of the policy-version and selection-round state machines.

Each ``needs`` text completes "<transition> needs ...", so a refusal reads e.g. "publish needs a
supervisor who did not review this version". The texts are lazy translations, rendered in the
language of the request when a refusal is raised.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from talentgate.accounts.roles import Role
from talentgate.common.access import has_role
from talentgate.common.workflow import ActorRule, Guard, all_of


def _pk(user: Any) -> int | None:
    return getattr(user, "pk", None)


REVIEWER_ROLE = ActorRule(
    "role",
    gettext_lazy("a programme officer, supervisor or administrator"),
    lambda version, user: has_role(user, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR),
)
NOT_THE_AUTHOR = ActorRule(
    "four_eyes",
    gettext_lazy("a reviewer who is not the author of this version"),
    lambda v, user: v.author_id != _pk(user),
)
SUPERVISOR_ROLE = ActorRule(
    "role", gettext_lazy("the supervisor role"), lambda obj, user: has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)
)
PUBLISHER_ROLE = ActorRule(
    "role", gettext_lazy("the supervisor role"), lambda obj, user: has_role(user, Role.SUPERVISOR)
)
NOT_THE_REVIEWER = ActorRule(
    "four_eyes",
    gettext_lazy("a supervisor who did not review this version"),
    lambda v, user: v.reviewed_by_id != _pk(user),
)

BY_REVIEWER = all_of(REVIEWER_ROLE, NOT_THE_AUTHOR)
BY_PUBLISHER = all_of(PUBLISHER_ROLE, NOT_THE_REVIEWER)
BY_SUPERVISOR = all_of(SUPERVISOR_ROLE)


def _impact_previewed(version: Any) -> bool:
    return version.impact_at is not None and (version.reviewed_at is None or version.impact_at >= version.reviewed_at)


def _no_published_overlap(version: Any) -> bool:
    from talentgate.assessment.selectors import published_overlapping

    return not published_overlapping(version).exists()


IMPACT_PREVIEWED = Guard(
    "impact_previewed", gettext_lazy("an impact preview on the current pool made after the review"), _impact_previewed
)
NO_PUBLISHED_OVERLAP = Guard(
    "effective_dates_overlap",
    gettext_lazy("no other published version of the same policy in force on any of its dates (retire it first)"),
    _no_published_overlap,
)

ROUND_OFFICER_ROLE = ActorRule(
    "role",
    gettext_lazy("the programme officer or supervisor role"),
    lambda r, user: has_role(user, Role.OFFICER, Role.SUPERVISOR),
)
NOT_THE_DEFINER = ActorRule(
    "four_eyes",
    gettext_lazy("a supervisor who did not define this round"),
    lambda r, user: r.defined_by_id != _pk(user),
)
APPROVER_ROLE = ActorRule("role", gettext_lazy("the supervisor role"), lambda r, user: has_role(user, Role.SUPERVISOR))

BY_ROUND_OFFICER = all_of(ROUND_OFFICER_ROLE)
BY_APPROVER = all_of(APPROVER_ROLE, NOT_THE_DEFINER)
