"""One relocation case driven over HTTP, from an offer accepted to the case closed, with the simulated authority
answering the hand-off (a failed first push, a duplicated and a replayed decision on the way).

Everyone acts through the REST API with a personal token of their role: the host makes the offer, the candidate
consents and accepts it and provides the documents, a second officer verifies them, an officer prepares, a
supervisor approves (four eyes), the officer submits to the authority; the push job sends the case to the
simulator on 127.0.0.1, which answers with a signed grant; then relocation, arrival, the follow-ups and the close.
Only what comes before the offer (organisation, opportunity, profile) is set up through the services.
"""

from __future__ import annotations

import base64
import itertools
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_api_token
from talentgate.authority import services as authority_services
from talentgate.authority.simulator import PUSH_PATH, AuthoritySimulator, SimulatorOptions
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases.models import Stage
from talentgate.common import audit
from talentgate.common.models import AuditEntry
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes

pytestmark = pytest.mark.django_db

SECRET = "end-to-end-shared-secret-0001"
CALLBACK_PATH = "/api/authority/callbacks/decision"
_tokens = itertools.count(1)

MAIN_PATH = [
    "prepare",
    "approve",
    "submit_to_authority",
    "grant_permit",
    "start_relocation",
    "record_arrival",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
]


class Api:
    """A test client speaking JSON with one person's bearer token; every answer's status is checked."""

    def __init__(self, user):
        key = create_api_token(user, user=user, name=f"end-to-end {next(_tokens)}").key
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        self.user = user

    def get(self, path, expect=200, **params):
        response = self.client.get(path, params)
        assert response.status_code == expect, (path, response.status_code, response.content[:500])
        return response.json()

    def post(self, path, body=None, expect=200):
        response = self.client.post(path, json.dumps(body or {}), content_type="application/json")
        assert response.status_code == expect, (path, response.status_code, response.content[:500])
        return response.json()


@pytest.fixture
def world(make_user, settings):
    settings.AUTHORITY_CALLBACK_SECRET = SECRET
    administrator = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.OFFICER)
    sector = programmes.create_priority_sector(
        administrator, code="space", name_en="Space industry", name_ru="Космическая отрасль"
    )
    host_admin = make_user(Role.HOST_ADMIN)
    organisation = hosts.register_organisation(
        host_admin,
        name="Orbital Works",
        kind="private_company",
        country="RU",
        region="Moscow Oblast",
        website="https://orbital.example",
        sector_id=sector.pk,
    )
    hosts.verify_organisation(officer, organisation.pk)
    opportunity = hosts.create_opportunity(
        host_admin,
        title="Propulsion engineer",
        kind="position",
        country="RU",
        city="Korolev",
        sector_id=sector.pk,
        capacity=2,
        occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
        languages=[{"language": "ru", "min_level": "B1"}],
    )
    hosts.publish_opportunity(host_admin, opportunity.pk)
    candidate = make_user(Role.CANDIDATE)
    profile, _ = save_profile(
        candidate,
        CandidateProfile.model_validate(
            {
                "id": "e2e-candidate",
                "identity": {
                    "given_names_latin": "Amara",
                    "family_name_latin": "Okafor",
                    "date_of_birth": "1990-04-12",
                    "sex": "female",
                    "residence_country": "NG",
                },
            }
        ),
    )
    return {
        "host": Api(host_admin),
        "candidate": Api(candidate),
        "officer": Api(officer),
        "verifier": Api(make_user(Role.OFFICER)),
        "supervisor": Api(make_user(Role.SUPERVISOR)),
        "authority": Api(make_user(Role.AUTHORITY)),
        "opportunity": opportunity,
        "profile": profile,
    }


def _move(api: Api, case: dict, transition: str, **fields) -> dict:
    """Run one transition as ``api``'s person, sending back the version last read."""
    body = {"expected_version": case["version"], **fields}
    moved = api.post(f"/api/cases/{case['id']}/transitions/{transition}", body)
    assert moved["version"] == case["version"] + 1
    return moved


def _provide_and_verify(world, case: dict, due_before: str) -> None:
    """The candidate provides every open required document due before ``due_before``; another officer verifies it.
    Open items that are not documents are ticked by the officer."""
    checklist = world["officer"].get(f"/api/cases/{case['id']}/checklist")
    for item in checklist:
        if not item["required"] or item["done"] or item["due_before"] != due_before:
            continue
        if not item["document_kind"]:
            world["officer"].post(f"/api/cases/{case['id']}/checklist/{item['id']}/complete")
            continue
        document = world["candidate"].post(
            f"/api/cases/{case['id']}/documents",
            {
                "kind": item["document_kind"],
                "family_member_id": item["family_member_id"],
                "file_name": f"{item['code']}.pdf",
                "content_base64": base64.b64encode(b"%PDF-1.4 scan").decode(),
                "expires_on": (timezone.localdate() + timedelta(days=700)).isoformat(),
            },
            expect=201,
        )
        world["verifier"].post(f"/api/cases/{case['id']}/documents/{document['id']}/verify")


def _client_transport(client: Client):
    """How the simulator reaches the platform in this test: the Django test client (no server needed)."""

    def send(method, url, headers, body):
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        extra.pop("HTTP_CONTENT_TYPE", None)
        response = client.generic(method, urlsplit(url).path, body, content_type="application/json", **extra)
        return response.status_code, response.content

    return send


def test_a_case_goes_from_an_accepted_offer_to_closed_over_http_with_the_simulated_authority(
    world, settings, django_capture_on_commit_callbacks
):
    host, candidate, officer, supervisor, authority = (
        world[k] for k in ("host", "candidate", "officer", "supervisor", "authority")
    )

    # The candidate consents (to being shown to hosts and to the hand-off) and accepts the host's offer.
    versions = {p["purpose"]: p["current_version"] for p in candidate.get("/api/candidates/me/consents")["purposes"]}
    for purpose in ("matched_hosts", "authority_handoff"):
        candidate.post("/api/candidates/me/consents", {"purpose": purpose, "version": versions[purpose]}, expect=201)
    offer = host.post(
        "/api/hosts/offers",
        {
            "opportunity_id": world["opportunity"].pk,
            "profile_external_id": world["profile"].external_id,
            "terms": "Two-year contract, relocation paid",
            "expires_at": (timezone.now() + timedelta(days=7)).isoformat(),
        },
        expect=201,
    )
    candidate.post(f"/api/hosts/offers/{offer['id']}/accept")

    # The acceptance opened the case.
    listed = officer.get("/api/cases")["items"]
    assert len(listed) == 1
    case = officer.get(f"/api/cases/{listed[0]['id']}")
    assert (case["stage"], case["offer_id"]) == ("opened", offer["id"])

    # Documents, preparation, four-eyes approval.
    _provide_and_verify(world, case, "prepare")
    case = _move(officer, case, "prepare")
    case = _move(supervisor, case, "approve", legal_ground="Decree on highly qualified specialists")

    # The hand-off: the submission is made with the transition; after commit the push job sends it to the
    # simulator on 127.0.0.1, which fails the first push (503); the sweep retries after the backoff delay.
    simulator = AuthoritySimulator(
        secret=SECRET,
        callback_url=f"http://testserver{CALLBACK_PATH}",
        options=SimulatorOptions(fail_first=1, duplicate=True),
        transport=_client_transport(Client()),
    )
    with simulator.serve(0) as server:
        settings.AUTHORITY_PUSH_URL = f"http://127.0.0.1:{server.server_address[1]}{PUSH_PATH}"
        with django_capture_on_commit_callbacks(execute=True):
            case = _move(officer, case, "submit_to_authority")
        assert case["stage"] == "submitted"
        pending = authority.get("/api/authority/submissions", pending="true")["items"]
        assert [s["case_id"] for s in pending] == [case["id"]]
        assert (pending[0]["delivery"], pending[0]["attempts"]) == ("pending", 1)
        assert pending[0]["last_error"].startswith("HTTP 503")
        # The API shows milliseconds; a second later the retry is surely due (the push task's sweep runs it).
        retry_at = timezone.datetime.fromisoformat(pending[0]["next_attempt_at"]) + timedelta(seconds=1)
        assert authority_services.retry_due_pushes(now=retry_at - timedelta(seconds=2)) == 0
        assert authority_services.retry_due_pushes(now=retry_at) == 1
    key = pending[0]["idempotency_key"]
    assert list(simulator.submissions) == [key]
    assert simulator.push_attempts == {key: 2}

    # The authority may also pull it: the package names the candidate and the host.
    package = authority.get(f"/api/authority/submissions/{key}")["package"]["case"]
    assert package["candidate"]["family_name_latin"] == "Okafor"
    assert package["host"]["organisation"] == "Orbital Works"

    # The simulator decides: a signed grant, then the same decision again and a replay of the first request.
    outcomes = simulator.decide_pending()
    assert [(o.kind, o.status) for o in outcomes] == [("decision", 200), ("duplicate", 200), ("replay", 409)]
    case = officer.get(f"/api/cases/{case['id']}")
    assert case["stage"] == "permit_granted"
    permits = officer.get(f"/api/cases/{case['id']}/permits")
    assert len(permits) == 1
    assert permits[0]["permit_type"] == "work_permit"
    submission = authority.get("/api/authority/submissions", case_id=case["id"])["items"][0]
    assert (submission["decision"], submission["delivery"], submission["delivered_via"]) == (
        "granted",
        "delivered",
        "push",
    )

    # Relocation, arrival (a year and more ago, so both follow-ups are due), follow-ups, close.
    case = _move(officer, case, "start_relocation")
    _provide_and_verify(world, case, "record_arrival")
    arrived_on = timezone.localdate() - timedelta(days=400)
    case = _move(officer, case, "record_arrival", arrived_on=arrived_on.isoformat())
    case = _move(officer, case, "record_follow_up_6m")
    case = _move(officer, case, "record_follow_up_12m")
    case = _move(officer, case, "close")
    assert case["stage"] == Stage.CLOSED
    assert case["closed_at"] is not None

    # The history is one unbroken line through every stage, and the case's audit chain holds and tells the hand-off.
    history = officer.get(f"/api/cases/{case['id']}/history", limit=200)["items"]
    assert [row["transition"] for row in history] == ["open", *MAIN_PATH]
    assert [row["to_stage"] for row in history][-1] == "closed"
    chain = audit.chain_for_case(case["id"])
    assert audit.verify([chain]) == []
    actions = list(AuditEntry.objects.filter(chain=chain).order_by("seq").values_list("action", flat=True))
    hand_off = [a for a in actions if a.startswith("authority.")]
    assert hand_off == [
        "authority.submission_created",
        "authority.push_failed",
        "authority.push_delivered",
        "authority.package_fetched",
        "authority.decision_received",
    ]
    assert actions.index("authority.submission_created") < actions.index("case.grant_permit")
