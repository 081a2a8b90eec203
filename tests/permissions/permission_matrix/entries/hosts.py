"""Matrix entries of the hosts API.

World objects, all through ``hosts.services``: ``organisation`` (A: ``host_admin`` registered it,
``officer`` verified it, ``host_staff`` joined by invitation) and ``other_organisation`` (B, the
same with the ``other_`` actors); ``draft_opportunity`` (A's, unpublished, so only A and programme
staff may see it); ``published_opportunity`` (A's); ``offer`` (A's, made to ``candidate``'s profile).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from permission_matrix.harness import PROGRAMME_STAFF, Endpoint, World
from talentgate.candidates.services import give_consent
from talentgate.hosts import services

ORGANISATION_A = frozenset({"host_admin", "host_staff"})


def _organisation(world: World, admin_key: str, staff_key: str, name: str) -> object:
    admin, staff = world.users[admin_key], world.users[staff_key]
    organisation = services.register_organisation(admin, name=name, kind="research_institute", country="RU")
    services.verify_organisation(world.users["officer"], organisation.pk)
    _invitation, token = services.invite_staff(admin, organisation.pk, email=staff.email)
    services.accept_invitation(token, staff)
    return organisation


def _opportunity(actor: object, title: str, *, publish: bool) -> object:
    opportunity = services.create_opportunity(actor, title=title, kind="position", country="RU", capacity=1)
    return services.publish_opportunity(actor, opportunity.pk) if publish else opportunity


def build(world: World) -> None:
    world.objects["organisation"] = _organisation(world, "host_admin", "host_staff", "Matrix Orbital A")
    world.objects["other_organisation"] = _organisation(world, "other_host_admin", "other_host_staff", "Matrix B")
    world.objects["draft_opportunity"] = _opportunity(world.users["host_staff"], "Draft role", publish=False)
    published = _opportunity(world.users["host_admin"], "Propulsion engineer", publish=True)
    world.objects["published_opportunity"] = published
    # Hosts may make offers only to candidates who applied or consented to being shown to them.
    give_consent(world.users["candidate"], world.obj("profile"), "matched_hosts", "1")
    world.objects["offer"] = services.make_offer(
        world.users["host_staff"],
        opportunity_id=published.pk,
        profile_id=world.obj("profile").pk,
        terms="Two-year contract.",
        expires_at=timezone.now() + timedelta(days=30),
    )


ENDPOINTS = [
    Endpoint(
        "api:hosts_get_opportunity",
        ORGANISATION_A | PROGRAMME_STAFF,
        kwargs=lambda w: {"opportunity_id": w.obj("draft_opportunity").pk},
        label="GET api:hosts_get_opportunity (a draft)",
    ),
    Endpoint(
        "api:hosts_get_offer",
        ORGANISATION_A | PROGRAMME_STAFF | {"candidate"},
        kwargs=lambda w: {"offer_id": w.obj("offer").pk},
    ),
]
