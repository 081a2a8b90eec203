"""Helpers of the hand-off tests: a case waiting at the authority, the simulator wired in process or to the test client."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlsplit

from talentgate.authority.simulator import PUSH_PATH, AuthoritySimulator, SimulatorOptions
from talentgate.candidates.models import IdentityDocument, Profile
from talentgate.cases.models import CaseKind, CaseSource, RelocationCase, Stage

SECRET = "authority-tests-shared-secret"
PUSH_URL = f"http://127.0.0.1:9{PUSH_PATH}"
CALLBACK_PATH = "/api/authority/callbacks/decision"


def make_case(stage: str = Stage.SUBMITTED, passport: str = "AB1234567") -> RelocationCase:
    """A case already at ``stage`` (the hand-off tests start where the workflow's tests end)."""
    count = Profile.objects.count() + 1
    profile = Profile.objects.create(
        external_id=f"authority-test-{count}",
        given_names_latin="Ada",
        family_name_latin="Lovelace",
        date_of_birth=date(1990, 12, 10),
        sex="female",
        citizenships=["GB"],
        email="ada@example.test",
        phone="+441234567890",
    )
    IdentityDocument.objects.create(profile=profile, kind="passport", number=passport, issuing_country="GB")
    return RelocationCase.objects.create(
        kind=CaseKind.SPECIALIST,
        source=CaseSource.AWARD,
        award_reference=f"award-{count}",
        profile=profile,
        stage=stage,
    )


def in_process(simulator: AuthoritySimulator):
    """A push transport that hands each request to ``simulator`` directly (no sockets)."""

    def send(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        status, answer = simulator.handle_push(method, urlsplit(url).path, headers, body)
        return status, json.dumps(answer).encode()

    return send


def simulator_for(client, **options) -> AuthoritySimulator:
    """A simulator whose decisions reach the platform through the Django test ``client``."""

    def deliver(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        extra.pop("HTTP_CONTENT_TYPE", None)
        response = client.generic(method, urlsplit(url).path, body, content_type="application/json", **extra)
        return response.status_code, response.content

    return AuthoritySimulator(
        secret=SECRET,
        callback_url=f"http://testserver{CALLBACK_PATH}",
        options=SimulatorOptions(**options),
        transport=deliver,
    )
