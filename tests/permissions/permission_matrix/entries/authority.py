"""Matrix entries of the authority hand-off API: the pull (authority and programme staff read, only the
authority acknowledges), the resend (programme staff) and the signed decision callback (nobody signed in
gets through: its credential is the HMAC signature, which the matrix's requests do not carry).

World objects: ``authority_case``, a case of ``candidate``'s ``profile`` opened through
``cases.services.open_case_from_award`` and set straight to 'submitted' (the workflow up to there is the
cases entries' business), and ``authority_submission``, its hand-off made by ``authority.services``.
"""

from __future__ import annotations

from permission_matrix.harness import NOBODY, PROGRAMME_STAFF, Endpoint, World
from talentgate.authority import services
from talentgate.cases import services as case_services
from talentgate.cases.models import RelocationCase, Stage

AUTHORITY = frozenset({"authority"})
READERS = PROGRAMME_STAFF | AUTHORITY


def build(world: World) -> None:
    case = case_services.open_case_from_award(
        world.users["officer"],
        profile_id=world.obj("profile").pk,
        kind="researcher",
        award_reference="matrix-authority-award",
    )
    RelocationCase.objects.filter(pk=case.pk).update(stage=Stage.SUBMITTED)
    case = RelocationCase.objects.get(pk=case.pk)
    world.objects["authority_case"] = case
    world.objects["authority_submission"] = services.create_submission(world.users["officer"], case)


def _key(world: World) -> dict[str, str]:
    return {"idempotency_key": world.obj("authority_submission").idempotency_key}


ENDPOINTS = [
    Endpoint("api:authority_list_submissions", READERS),
    Endpoint("api:authority_get_submission", READERS, kwargs=_key),
    Endpoint(
        "api:authority_acknowledge_submission", AUTHORITY, method="POST", kwargs=_key, body=lambda w: {"reference": ""}
    ),
    Endpoint("api:authority_retry_submission", PROGRAMME_STAFF, method="POST", kwargs=_key),
    Endpoint(
        "api:authority_receive_decision",
        NOBODY,
        method="POST",
        body=lambda w: {
            "idempotency_key": w.obj("authority_submission").idempotency_key,
            "decision": "refuse",
            "legal_ground": "unsigned",
            "reasons": "an unsigned request must change nothing",
        },
    ),
]
