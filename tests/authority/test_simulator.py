"""The simulated authority: idempotent receipt of pushes, its misbehaviours, and signed decisions."""

from __future__ import annotations

import json

import pytest

from talentgate.authority.protocol import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    signature_header,
    verify_signature,
)
from talentgate.authority.simulator import (
    LOOPBACK,
    PUSH_PATH,
    AuthoritySimulator,
    SimulatorOptions,
    run_until,
    urllib_transport,
)

SECRET = "simulator-test-secret-0001"
CALLBACK_URL = "http://127.0.0.1:9/api/authority/callbacks/decision"
NOW = 1_800_000_000


class Recorder:
    """A transport that records what the simulator sends and answers with a fixed status."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.sent: list[tuple[str, str, dict[str, str], bytes]] = []

    def __call__(self, method, url, headers, body):
        self.sent.append((method, url, headers, body))
        return self.status, b'{"outcome":"applied"}'


def _simulator(recorder=None, **options):
    return AuthoritySimulator(
        secret=SECRET,
        callback_url=CALLBACK_URL,
        options=SimulatorOptions(**options),
        transport=recorder or Recorder(),
        clock=lambda: NOW,
    )


def _push(simulator, key="key-1", body=b'{"case":{"id":1}}', secret=SECRET):
    headers = {
        IDEMPOTENCY_HEADER: key,
        SIGNATURE_HEADER: signature_header(secret, "POST", PUSH_PATH, body, timestamp=NOW),
    }
    return simulator.handle_push("POST", PUSH_PATH, headers, body)


def test_a_retried_push_gets_the_first_answer_and_no_second_submission():
    simulator = _simulator()
    first = _push(simulator)
    again = _push(simulator)
    assert first == (201, {"reference": "AUTH-000001", "status": "received"})
    assert again == (200, {"reference": "AUTH-000001", "status": "already_received"})
    assert list(simulator.submissions) == ["key-1"]
    assert simulator.submissions["key-1"].pushes == 2
    assert _push(simulator, key="key-2")[1]["reference"] == "AUTH-000002"


def test_a_push_with_a_bad_signature_or_no_key_is_refused_and_not_kept():
    simulator = _simulator()
    status, body = _push(simulator, secret="not-the-shared-secret")
    assert (status, body["error"]) == (401, "signature")
    status, body = _push(simulator, key="")
    assert (status, body["error"]) == (400, "idempotency_key")
    assert simulator.submissions == {}
    assert simulator.refused_pushes == 1


def test_fail_first_answers_503_then_takes_the_push():
    simulator = _simulator(fail_first=2)
    assert [_push(simulator)[0] for _ in range(4)] == [503, 503, 201, 200]
    assert len(simulator.submissions) == 1


def test_a_grant_is_a_signed_callback_naming_the_submission_and_the_permit():
    recorder = Recorder()
    simulator = _simulator(recorder)
    _push(simulator)
    outcomes = simulator.decide_pending()
    assert [(o.kind, o.status) for o in outcomes] == [("decision", 200)]
    method, url, headers, body = recorder.sent[0]
    assert (method, url) == ("POST", CALLBACK_URL)
    verify_signature(
        SECRET,
        "POST",
        "/api/authority/callbacks/decision",
        headers[SIGNATURE_HEADER],
        body,
        now=NOW,
        tolerance_seconds=1,
    )
    decision = json.loads(body)
    assert decision["idempotency_key"] == "key-1"
    assert decision["authority_reference"] == "AUTH-000001"
    assert decision["decision"] == "grant"
    assert decision["permit"]["number"] == "RP-2027-000001"
    assert decision["permit"]["valid_from"] < decision["permit"]["valid_until"]
    assert simulator.decide_pending() == []  # decided once only


def test_a_refusal_carries_reasons_and_no_permit():
    recorder = Recorder()
    simulator = _simulator(recorder, decision="refuse")
    _push(simulator)
    simulator.decide_pending()
    decision = json.loads(recorder.sent[0][3])
    assert decision["decision"] == "refuse"
    assert decision["reasons"]
    assert "permit" not in decision


def test_duplicate_sends_the_decision_again_with_a_new_nonce_then_replays_the_first_request():
    recorder = Recorder()
    simulator = _simulator(recorder, duplicate=True)
    _push(simulator)
    outcomes = simulator.decide_pending()
    assert [o.kind for o in outcomes] == ["decision", "duplicate", "replay"]
    first, second, replay = (sent[2][SIGNATURE_HEADER] for sent in recorder.sent)
    assert first != second
    assert replay == first
    assert len({sent[3] for sent in recorder.sent}) == 1  # the same decision each time


def test_out_of_order_decides_before_acknowledging_the_push():
    events: list[str] = []

    def transport(method, url, headers, body):
        events.append("callback")
        return 200, b"{}"

    simulator = _simulator(out_of_order=True)
    simulator.transport = transport
    status, _ = _push(simulator)
    events.append(f"push answered {status}")
    assert events == ["callback", "push answered 201"]


def test_a_decision_the_platform_could_not_take_is_sent_again_later():
    recorder = Recorder(status=503)
    simulator = _simulator(recorder)
    _push(simulator)
    assert [o.status for o in simulator.decide_pending()] == [503]
    assert simulator.decided_count == 0
    recorder.status = 200
    assert [o.status for o in simulator.decide_pending()] == [200]
    assert simulator.decided_count == 1


def test_options_refuse_nonsense():
    with pytest.raises(ValueError, match="decision must be one of"):
        SimulatorOptions(decision="maybe")
    with pytest.raises(ValueError, match="must not be negative"):
        SimulatorOptions(fail_first=-1)


def test_the_receiver_listens_on_loopback_only_and_stops_when_done():
    recorder = Recorder()
    simulator = AuthoritySimulator(secret=SECRET, callback_url=CALLBACK_URL, transport=recorder)
    with simulator.serve(0) as server:
        host, port = server.server_address[:2]
        assert host == LOOPBACK
        body = b'{"case":{"id":7}}'
        headers = {
            "Content-Type": "application/json",
            IDEMPOTENCY_HEADER: "key-http",
            SIGNATURE_HEADER: signature_header(SECRET, "POST", PUSH_PATH, body),
        }
        url = f"http://{LOOPBACK}:{port}{PUSH_PATH}"
        assert urllib_transport("POST", url, headers, body)[0] == 201
        assert urllib_transport("POST", url, headers, body)[0] == 200
        assert urllib_transport("POST", f"http://{LOOPBACK}:{port}/elsewhere", headers, body)[0] == 404
        assert run_until(simulator, count=1, timeout_seconds=5, poll_seconds=0.01) is True
    assert [o.kind for o in simulator.callbacks] == ["decision"]
    assert run_until(simulator, count=2, timeout_seconds=0.05, poll_seconds=0.01) is False
