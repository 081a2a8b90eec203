"""Decision callbacks: signed, fresh, used once, applied once, and refused clearly when they make no sense."""

from __future__ import annotations

import json
import time

import pytest
from authority_kit import CALLBACK_PATH, SECRET, in_process, make_case, simulator_for

from talentgate.authority import services
from talentgate.authority.models import CallbackReceipt, Submission
from talentgate.authority.protocol import SIGNATURE_HEADER, signature_header
from talentgate.cases.models import Decision, Permit, RelocationCase, Stage
from talentgate.common import audit
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def _state(case):
    """Everything a callback could change, to show that a refused one changed nothing."""
    case = RelocationCase.objects.get(pk=case.pk)
    return (
        case.stage,
        case.version,
        list(Submission.objects.order_by("pk").values_list("delivery", "decision", "authority_reference")),
        CallbackReceipt.objects.count(),
        AuditEntry.objects.count(),
        Permit.objects.count(),
        Decision.objects.count(),
    )


def _grant_body(submission, **overrides):
    body = {
        "idempotency_key": submission.idempotency_key,
        "decision": "grant",
        "authority_reference": "MVD-77-000123",
        "legal_ground": "Decree on highly qualified specialists, art. 13.2",
        "permit": {
            "permit_type": "highly_qualified",
            "number": "HQS-2027-0001",
            "valid_from": "2027-01-10",
            "valid_until": "2030-01-09",
        },
    }
    body.update(overrides)
    return json.dumps(body).encode()


def _post(client, body, *, secret=SECRET, path=CALLBACK_PATH, timestamp=None, nonce=None, header=None):
    if header is None:
        header = signature_header(secret, "POST", path, body, timestamp=timestamp, nonce=nonce)
    extra = {} if header is False else {f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": header}
    return client.post(path, body, content_type="application/json", **extra)


def _error(response):
    body = response.json()
    assert list(body) == ["errors"]
    return [(e["field"], e["rule"]) for e in body["errors"]]


@pytest.fixture
def submission(submitted_case):
    return services.create_submission(None, submitted_case)


def test_a_signed_grant_records_the_permit_through_the_case_workflow(client, submission):
    response = _post(client, _grant_body(submission))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "outcome": "applied",
        "idempotency_key": submission.idempotency_key,
        "case_id": submission.case_id,
        "case_stage": "permit_granted",
    }
    case = RelocationCase.objects.get(pk=submission.case_id)
    assert case.stage == Stage.PERMIT_GRANTED
    permit = Permit.objects.get(case=case)
    assert (permit.permit_type, permit.number, str(permit.valid_until)) == (
        "highly_qualified",
        "HQS-2027-0001",
        "2030-01-09",
    )
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.officer_id) == ("grant", None)  # the authority's integration decided
    submission.refresh_from_db()
    assert (submission.decision, submission.delivery, submission.delivered_via) == ("granted", "delivered", "callback")
    assert submission.authority_reference == "MVD-77-000123"
    actions = list(
        AuditEntry.objects.filter(chain=audit.chain_for_case(case.pk)).order_by("seq").values_list("action", flat=True)
    )
    assert actions[0] == "authority.submission_created"
    assert actions[-1] == "authority.decision_received"
    assert "case.grant_permit" in actions
    assert "permit.recorded" in actions
    assert audit.verify([audit.chain_for_case(case.pk)]) == []
    assert CallbackReceipt.objects.get().outcome == "applied"


def test_a_signed_refusal_moves_the_case_to_permit_refused(client, submission):
    body = json.dumps(
        {
            "idempotency_key": submission.idempotency_key,
            "decision": "refuse",
            "legal_ground": "Federal law 115-FZ, art. 18.9",
            "reasons": "The employment contract does not meet the salary threshold.",
        }
    ).encode()
    response = _post(client, body)
    assert response.status_code == 200, response.content
    assert response.json()["case_stage"] == "permit_refused"
    decision = Decision.objects.get(case_id=submission.case_id)
    assert (decision.kind, decision.reasons) == (
        "refusal",
        "The employment contract does not meet the salary threshold.",
    )
    assert Submission.objects.get().decision == "refused"


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"secret": "somebody-elses-secret-key"}, "signature"),
        ({"path": "/api/authority/callbacks/other"}, "signature"),
        ({"header": False}, "signature_header"),
        ({"header": "t=1,nonce=x"}, "signature_header"),
        # A minute past the 300 s tolerance either way: the receiver reads its own clock a moment after the
        # test signs, so an age of 301 s could round to 300 s there and pass (a CI run saw exactly that).
        ({"age": 360}, "stale_timestamp"),
        ({"age": -360}, "stale_timestamp"),
    ],
    ids=["wrong key", "signed for another path", "no header", "malformed header", "stale", "from the future"],
)
def test_a_bad_or_stale_signature_is_401_and_changes_nothing(client, submission, kwargs, rule):
    body = _grant_body(submission)
    if kwargs.get("path"):
        # Signed for another path but sent to the callback route.
        header = signature_header(SECRET, "POST", kwargs["path"], body)
        kwargs = {"header": header}
    if "age" in kwargs:
        kwargs = {"timestamp": int(time.time()) - kwargs["age"]}
    before = _state(submission.case)
    response = _post(client, body, **kwargs)
    assert response.status_code == 401
    assert _error(response) == [("signature", rule)]
    assert _state(submission.case) == before


def test_a_tampered_body_is_401(client, submission):
    signed = _grant_body(submission)
    header = signature_header(SECRET, "POST", CALLBACK_PATH, signed)
    tampered = signed.replace(b"HQS-2027-0001", b"HQS-2027-9999")
    before = _state(submission.case)
    assert _post(client, tampered, header=header).status_code == 401
    assert _state(submission.case) == before


def test_a_replayed_nonce_is_409_and_changes_nothing(client, submission):
    body = _grant_body(submission)
    header = signature_header(SECRET, "POST", CALLBACK_PATH, body)
    assert _post(client, body, header=header).status_code == 200
    before = _state(submission.case)
    replay = _post(client, body, header=header)
    assert replay.status_code == 409
    assert _error(replay) == [("signature", "replayed_nonce")]
    assert _state(submission.case) == before


def test_the_same_decision_again_is_acknowledged_not_applied_twice(client, submission):
    assert _post(client, _grant_body(submission)).status_code == 200
    before = _state(submission.case)
    again = _post(client, _grant_body(submission))
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    stage, version, submissions, receipts, entries, permits, decisions = _state(submission.case)
    # Only the new nonce is kept; the case, its permit and its decision are as they were.
    assert (stage, version, submissions, entries, permits, decisions) == (
        before[0],
        before[1],
        before[2],
        before[4],
        before[5],
        before[6],
    )
    assert receipts == before[3] + 1


def test_a_contrary_decision_after_a_grant_is_409(client, submission):
    assert _post(client, _grant_body(submission)).status_code == 200
    before = _state(submission.case)
    body = json.dumps(
        {"idempotency_key": submission.idempotency_key, "decision": "refuse", "legal_ground": "x", "reasons": "late"}
    ).encode()
    response = _post(client, body)
    assert response.status_code == 409
    assert _error(response) == [("decision", "already_decided")]
    stage, version, submissions, _receipts, _entries, permits, decisions = _state(submission.case)
    assert (stage, version, submissions, permits, decisions) == (before[0], before[1], before[2], before[5], before[6])


def test_a_decision_for_an_unknown_submission_is_404_and_its_nonce_is_spent(client, submission):
    body = _grant_body(submission, idempotency_key="0" * 32)
    header = signature_header(SECRET, "POST", CALLBACK_PATH, body)
    before = _state(submission.case)
    response = _post(client, body, header=header)
    assert response.status_code == 404
    assert _error(response) == [("", "not_found")]
    receipt = CallbackReceipt.objects.get()
    assert (receipt.outcome, receipt.submission_id) == ("refused", None)
    assert _post(client, body, header=header).status_code == 409
    assert _state(submission.case)[:3] == before[:3]


def test_a_decision_for_a_case_not_waiting_at_the_authority_is_409(client, submitted_case):
    # Out of order: the submission exists but its case is not (or no longer) at 'submitted'.
    early = make_case(stage=Stage.APPROVED)
    submission = services.create_submission(None, early)
    before = _state(early)
    response = _post(client, _grant_body(submission))
    assert response.status_code == 409
    assert _error(response) == [("idempotency_key", "case_not_submitted")]
    assert "approved" in response.json()["errors"][0]["message"]
    assert _state(early)[:3] == before[:3]
    assert Permit.objects.count() == 0
    refused = AuditEntry.objects.filter(chain=audit.chain_for_case(early.pk)).order_by("seq").last()
    assert (refused.action, refused.reason) == ("authority.decision_refused", "case_not_submitted")


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"decision": "maybe"}, [("decision", "choice")]),
        ({"permit": None}, [("permit", "required")]),
        ({"legal_ground": ""}, [("legal_ground", "required")]),
        ({"idempotency_key": 7}, [("idempotency_key", "type")]),
        (
            {
                "permit": {
                    "permit_type": "work_permit",
                    "number": "N1",
                    "valid_from": "soon",
                    "valid_until": "2030-01-01",
                }
            },
            [("permit.valid_from", "date")],
        ),
    ],
)
def test_a_malformed_decision_is_400_naming_the_field(client, submission, change, errors):
    before = _state(submission.case)
    response = _post(client, _grant_body(submission, **change))
    assert response.status_code == 400
    assert _error(response) == errors
    assert _state(submission.case)[:3] == before[:3]


def test_the_case_rules_on_the_permit_are_named_in_the_callback_answer(client, submission):
    permit = {"permit_type": "unicorn_visa", "number": "N1", "valid_from": "2030-01-02", "valid_until": "2030-01-01"}
    response = _post(client, _grant_body(submission, permit=permit))
    assert response.status_code == 400
    fields = {field for field, _ in _error(response)}
    assert "permit.permit_type" in fields
    assert RelocationCase.objects.get(pk=submission.case_id).stage == Stage.SUBMITTED
    assert Permit.objects.count() == 0


def test_the_simulator_duplicates_and_replays_and_the_platform_applies_once(client, submitted_case):
    simulator = simulator_for(client, duplicate=True)
    submission = services.create_submission(None, submitted_case)
    services.deliver_submission(submission.pk, transport=in_process(simulator))
    outcomes = simulator.decide_pending()
    assert [(o.kind, o.status) for o in outcomes] == [("decision", 200), ("duplicate", 200), ("replay", 409)]
    assert json.loads(outcomes[1].body)["outcome"] == "duplicate"
    assert Permit.objects.filter(case=submitted_case).count() == 1
    assert Decision.objects.filter(case=submitted_case).count() == 1
    assert RelocationCase.objects.get(pk=submitted_case.pk).stage == Stage.PERMIT_GRANTED


def test_a_decision_that_overtakes_the_push_acknowledgement_is_taken_and_kept(client, submitted_case):
    simulator = simulator_for(client, out_of_order=True)
    submission = services.create_submission(None, submitted_case)
    result = services.deliver_submission(submission.pk, transport=in_process(simulator))
    assert [(o.kind, o.status) for o in simulator.callbacks] == [("decision", 200)]
    assert result.attempt is not None
    assert result.attempt.outcome == "delivered"
    submission.refresh_from_db()
    # The callback came first; the push's late 201 neither undid the decision nor changed how it was delivered.
    assert (submission.decision, submission.delivery, submission.delivered_via) == ("granted", "delivered", "callback")
    assert submission.authority_reference == "AUTH-000001"
    assert RelocationCase.objects.get(pk=submitted_case.pk).stage == Stage.PERMIT_GRANTED
