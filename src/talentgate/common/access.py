"""Role checks shared by every domain's selectors and services.

Object-level access lives in each app's selectors (``*_visible_to(actor)``,
``get_*_for(actor, id)``); these helpers answer the role half of the question.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.common.errors import PermissionRefused

STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})


def role_of(actor: Any) -> Role | None:
    """The actor's role, or ``None`` for an anonymous or inactive user."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    return Role(actor.role)


def has_role(actor: Any, *roles: Role) -> bool:
    return role_of(actor) in roles


def is_programme_staff(actor: Any) -> bool:
    """Officers, supervisors and administrators see every programme record."""
    return role_of(actor) in STAFF_ROLES


def require_role(actor: Any, *roles: Role) -> None:
    """Refuse (403) unless the actor holds one of ``roles``."""
    if not has_role(actor, *roles):
        names = ", ".join(str(r.label) for r in roles)
        raise PermissionRefused(gettext("This needs one of these roles: %(roles)s.") % {"roles": names}, rule="role")
