"""Matrix entries of the programmes API.

World objects, through ``programmes.services``: ``programme`` (made by ``administrator``) and
``application`` (``candidate``'s draft application to it).
"""

from __future__ import annotations

from permission_matrix.harness import PROGRAMME_STAFF, Endpoint, World
from talentgate.programmes import services


def build(world: World) -> None:
    programme = services.create_programme(
        world.users["administrator"], code="matrix", name_en="Matrix programme", name_ru="Программа матрицы"
    )
    world.objects["programme"] = programme
    world.objects["application"] = services.create_application(world.users["candidate"], programme_id=programme.pk)


ENDPOINTS = [
    Endpoint(
        "api:programmes_get_application",
        frozenset({"candidate"}) | PROGRAMME_STAFF,
        kwargs=lambda w: {"application_id": w.obj("application").pk},
    ),
]
