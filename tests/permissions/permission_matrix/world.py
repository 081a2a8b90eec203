"""Builds the world the matrix runs in: one user per actor, then each domain's objects (``entries/<domain>.build``)."""

from __future__ import annotations

from typing import Any

from permission_matrix.harness import STAFF_WITHOUT_PERMISSIONS, World
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user

PASSWORD = "pw-Matrix-12345"

ACTOR_ROLES: dict[str, Role] = {
    "candidate": Role.CANDIDATE,
    "other_candidate": Role.CANDIDATE,
    "host_admin": Role.HOST_ADMIN,
    "other_host_admin": Role.HOST_ADMIN,
    "host_staff": Role.HOST_STAFF,
    "other_host_staff": Role.HOST_STAFF,
    "officer": Role.OFFICER,
    "supervisor": Role.SUPERVISOR,
    "reviewer": Role.REVIEWER,
    "authority": Role.AUTHORITY,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
    STAFF_WITHOUT_PERMISSIONS: Role.OFFICER,
}


def build_world(domain_modules: list[Any]) -> World:
    """Users through ``accounts.services.create_user``, then every domain's ``build(world)`` in order."""
    world = World()
    for actor, role in ACTOR_ROLES.items():
        world.users[actor] = create_user(
            None, email=f"{actor.replace('_', '.')}@matrix.test", password=PASSWORD, role=role
        )
    # The administrator runs the admin site; the clerk may open it but holds no model permission.
    administrator = world.users["administrator"]
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    clerk = world.users[STAFF_WITHOUT_PERMISSIONS]
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    for module in domain_modules:
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    world.sign_in_everyone()
    return world
