"""Matrix entries of the candidates API.

World objects: ``profile`` (``candidate``'s profile) and ``other_profile`` (``other_candidate``'s),
both saved through ``candidates.services.save_profile`` by their owners.
"""

from __future__ import annotations

from permission_matrix.harness import PROGRAMME_STAFF, Endpoint, World
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile


def _profile_of(user: object, external_id: str, given_names: str) -> object:
    payload = {
        "id": external_id,
        "identity": {
            "given_names_latin": given_names,
            "family_name_latin": "Matrix",
            "date_of_birth": "1991-03-14",
            "sex": "female",
        },
    }
    profile, _created = save_profile(user, CandidateProfile.model_validate(payload))
    return profile


def build(world: World) -> None:
    world.objects["profile"] = _profile_of(world.users["candidate"], "matrix-candidate", "Amara")
    world.objects["other_profile"] = _profile_of(world.users["other_candidate"], "matrix-other", "Lin")


ENDPOINTS = [
    Endpoint(
        "api:candidates_get_profile",
        frozenset({"candidate"}) | PROGRAMME_STAFF,
        kwargs=lambda w: {"external_id": w.obj("profile").external_id},
    ),
]
