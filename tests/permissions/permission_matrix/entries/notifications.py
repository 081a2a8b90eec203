"""Matrix entries of notifications: the portal pages under /notifications/ and the /api/notifications routes.

Every signed-in person has their own list and preferences, so lists, "mark all read" and the
preferences are open to all of them and act on the sender's own rows. Routes that name one
notification admit only its recipient, ``candidate``: nobody, not even an administrator, reads
another person's notification. The unsubscribe link needs no sign-in (exempt, with the reason).

World object: ``notification`` (a status change told to ``candidate``, through ``notify``).
"""

from __future__ import annotations

from typing import Any

from permission_matrix.harness import ALL_SIGNED_IN, Endpoint, Exempt, World
from talentgate.notifications.services import notify

OWNER = frozenset({"candidate"})

EXEMPT = [
    Exempt(
        r"^portal:notifications:unsubscribe$",
        "the signed link in the e-mail is the credential; it can only turn off one kind of e-mail for the person it names",
    ),
]


def build(world: World) -> None:
    world.objects["notification"] = notify(
        world.users["candidate"],
        "status_changed",
        {"object": "application", "object_id": 1, "model": "programmes.application", "to_state": "screening"},
        link="/candidate/applications/",
    )


def _notification(world: World) -> dict[str, Any]:
    return {"notification_id": world.obj("notification").pk}


API = [
    Endpoint("api:notifications_list_notifications", ALL_SIGNED_IN),
    Endpoint("api:notifications_unread_count", ALL_SIGNED_IN),
    Endpoint("api:notifications_get_notification", OWNER, kwargs=_notification),
    Endpoint("api:notifications_mark_read", OWNER, method="POST", kwargs=_notification),
    Endpoint("api:notifications_mark_all_read", ALL_SIGNED_IN, method="POST"),
    Endpoint("api:notifications_get_preferences", ALL_SIGNED_IN),
    Endpoint(
        "api:notifications_update_preferences",
        ALL_SIGNED_IN,
        method="PATCH",
        body=lambda w: {"email": {"status_changed": False}},
    ),
]

PAGES = [
    Endpoint("portal:notifications:list", ALL_SIGNED_IN),
    Endpoint("portal:notifications:open", OWNER, kwargs=_notification),
    Endpoint("portal:notifications:mark_read", OWNER, method="POST", kwargs=_notification),
    Endpoint("portal:notifications:mark_all_read", ALL_SIGNED_IN, method="POST"),
    Endpoint("portal:notifications:preferences", ALL_SIGNED_IN),
    Endpoint("portal:notifications:preferences", ALL_SIGNED_IN, method="POST", body=lambda w: {"status_changed": ""}),
]

ENDPOINTS = API + PAGES
