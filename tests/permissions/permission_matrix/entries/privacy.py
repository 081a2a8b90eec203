"""Matrix entries of personal data: exports, erasure requests and erasure, legal holds (API and portal).

World objects (built after the candidates' ``profile`` and ``other_profile``): ``erasable_profile`` (imported,
no account, nothing keeping it), ``erasure_request`` (the ``candidate``'s open request) and ``legal_hold``
(an officer's hold on ``other_profile``).
"""

from __future__ import annotations

from permission_matrix.harness import ALL_SIGNED_IN, PROGRAMME_STAFF, Endpoint, World
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.privacy import services

CANDIDATES = frozenset({"candidate", "other_candidate"})
#: A person's export: programme staff, and the person themself (``profile`` is the candidate's).
SEES_PERSON = PROGRAMME_STAFF | {"candidate"}


def build(world: World) -> None:
    # Imported by the system, with no account and no case: nothing keeps it, so erasing it goes through.
    payload = {
        "id": "matrix-erasable",
        "identity": {"given_names_latin": "Noor", "date_of_birth": "1988-08-08", "sex": "female"},
    }
    world.objects["erasable_profile"], _created = save_profile(None, CandidateProfile.model_validate(payload))
    world.objects["erasure_request"] = services.request_erasure(world.users["candidate"])
    world.objects["legal_hold"] = services.place_legal_hold(
        world.users["officer"], world.obj("other_profile").pk, "Matrix: court order"
    )


def _person(w: World) -> dict[str, int]:
    return {"profile_id": w.obj("profile").pk}


API = [
    Endpoint("api:privacy_export_my_data_json", CANDIDATES),
    Endpoint("api:privacy_export_my_data_pdf", CANDIDATES),
    Endpoint("api:privacy_export_person_json", SEES_PERSON, kwargs=_person),
    Endpoint("api:privacy_export_person_pdf", SEES_PERSON, kwargs=_person),
    Endpoint("api:privacy_list_erasure_blockers", PROGRAMME_STAFF, kwargs=_person),
    Endpoint(
        "api:privacy_erase_person",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"profile_id": w.obj("erasable_profile").pk},
        body=lambda w: {},
    ),
    Endpoint("api:privacy_request_my_erasure", CANDIDATES, method="POST"),
    Endpoint("api:privacy_list_erasure_requests", ALL_SIGNED_IN),
    Endpoint(
        "api:privacy_refuse_erasure_request",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"request_id": w.obj("erasure_request").pk},
        body=lambda w: {"reason": "Matrix"},
    ),
    Endpoint(
        "api:privacy_place_legal_hold",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_person,
        body=lambda w: {"reason": "Matrix"},
    ),
    Endpoint(
        "api:privacy_release_legal_hold",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"hold_id": w.obj("legal_hold").pk},
    ),
    Endpoint("api:privacy_list_legal_holds", ALL_SIGNED_IN),
]


def _erasable(w: World) -> dict[str, int]:
    return {"profile_id": w.obj("erasable_profile").pk}


PAGES = [
    Endpoint("portal:privacy:my_data", CANDIDATES),
    Endpoint("portal:privacy:my_export_json", CANDIDATES),
    Endpoint("portal:privacy:my_export_pdf", CANDIDATES),
    Endpoint("portal:privacy:request_erasure", CANDIDATES, method="POST"),
    Endpoint("portal:privacy:requests", PROGRAMME_STAFF),
    Endpoint("portal:privacy:person", PROGRAMME_STAFF, kwargs=_person),
    Endpoint("portal:privacy:person_export_json", PROGRAMME_STAFF, kwargs=_person),
    Endpoint("portal:privacy:person_export_pdf", PROGRAMME_STAFF, kwargs=_person),
    Endpoint("portal:privacy:erase", PROGRAMME_STAFF, method="POST", kwargs=_erasable),
    Endpoint(
        "portal:privacy:place_hold", PROGRAMME_STAFF, method="POST", kwargs=_person, body=lambda w: {"reason": "M"}
    ),
    Endpoint(
        "portal:privacy:release_hold",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"hold_id": w.obj("legal_hold").pk},
    ),
    Endpoint(
        "portal:privacy:refuse_request",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"request_id": w.obj("erasure_request").pk},
        body=lambda w: {"reason": "Matrix"},
    ),
]

ENDPOINTS = API + PAGES
