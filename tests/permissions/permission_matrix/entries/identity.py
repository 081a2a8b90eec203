"""Matrix entries of identity and duplicates: the suspected-duplicates queue, dismissal and merge (API and portal).

World objects: ``duplicate_low`` and ``duplicate_high`` (imported, no account, the same passport typed two ways)
and ``suspicion``, the open suspicion about them; only programme officers and supervisors (and the clerk, who
holds the officer role) may see or decide it.
"""

from __future__ import annotations

from permission_matrix.harness import STAFF_WITHOUT_PERMISSIONS, Endpoint, World
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.identity import detection

DUPLICATE_WORKERS = frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS})


def build(world: World) -> None:
    people = []
    for index, number in enumerate(["MX 555-0001", "mx5550001"]):
        payload = {
            "id": f"matrix-duplicate-{index}",
            "identity": {
                "given_names_latin": "Lena",
                "family_name_latin": "Orlova",
                "date_of_birth": "1992-02-02",
                "sex": "female",
            },
            "identity_documents": [{"kind": "passport", "number": number, "issuing_country": "RU"}],
        }
        profile, _created = save_profile(None, CandidateProfile.model_validate(payload))
        people.append(profile)
    world.objects["duplicate_low"], world.objects["duplicate_high"] = people
    (world.objects["suspicion"],) = detection.detect_duplicates(people[1].pk)


def _suspicion(w: World) -> dict[str, int]:
    return {"suspicion_id": w.obj("suspicion").pk}


API = [
    Endpoint("api:identity_list_duplicates", DUPLICATE_WORKERS),
    Endpoint("api:identity_get_duplicate", DUPLICATE_WORKERS, kwargs=_suspicion),
    Endpoint(
        "api:identity_dismiss_duplicate",
        DUPLICATE_WORKERS,
        method="POST",
        kwargs=_suspicion,
        body=lambda w: {"reason": "Matrix: two people"},
    ),
    Endpoint(
        "api:identity_merge_duplicate",
        DUPLICATE_WORKERS,
        method="POST",
        kwargs=_suspicion,
        body=lambda w: {"survivor_id": w.obj("duplicate_low").pk},
    ),
    Endpoint("api:identity_list_merges", DUPLICATE_WORKERS),
]

PAGES = [
    Endpoint("portal:identity:queue", DUPLICATE_WORKERS),
    Endpoint("portal:identity:suspicion", DUPLICATE_WORKERS, kwargs=_suspicion),
    Endpoint(
        "portal:identity:dismiss",
        DUPLICATE_WORKERS,
        method="POST",
        kwargs=_suspicion,
        body=lambda w: {"reason": "Matrix: two people"},
    ),
    Endpoint(
        "portal:identity:merge",
        DUPLICATE_WORKERS,
        method="POST",
        kwargs=_suspicion,
        body=lambda w: {"survivor_id": w.obj("duplicate_low").pk},
    ),
]

ENDPOINTS = API + PAGES
