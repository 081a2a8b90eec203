"""``talentgate authority simulate``: listens on 127.0.0.1, answers a push with a signed decision, stops by itself."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from authority_kit import SECRET
from typer.testing import CliRunner

from talentgate.authority.protocol import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signature_header, verify_signature
from talentgate.authority.simulator import PUSH_PATH, urllib_transport
from talentgate.cli import app

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Platform(BaseHTTPRequestHandler):
    """Stands in for the platform's callback route: keeps what it receives, answers 200."""

    received: list[tuple[str, dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Platform.received.append((self.path, dict(self.headers.items()), body))
        data = b'{"outcome":"applied"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def _push_when_listening(port: int, body: bytes, deadline: float) -> int:
    headers = {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: "cli-key-1",
        SIGNATURE_HEADER: signature_header(SECRET, "POST", PUSH_PATH, body),
    }
    while True:
        try:
            return urllib_transport("POST", f"http://127.0.0.1:{port}{PUSH_PATH}", headers, body, timeout=2)[0]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_simulate_answers_a_push_with_a_signed_decision_and_stops_after_count():
    _Platform.received = []
    platform = ThreadingHTTPServer(("127.0.0.1", 0), _Platform)
    threading.Thread(target=platform.serve_forever, daemon=True).start()
    callback_url = f"http://127.0.0.1:{platform.server_address[1]}/api/authority/callbacks/decision"
    port = _free_port()
    outcome = {}

    def run() -> None:
        outcome["result"] = runner.invoke(
            app,
            [
                "authority",
                "simulate",
                "--port",
                str(port),
                "--callback-url",
                callback_url,
                "--count",
                "1",
                "--timeout",
                "20",
            ],
        )

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert _push_when_listening(port, b'{"case":{"id":1}}', time.monotonic() + 10) == 201
        worker.join(timeout=25)
    finally:
        platform.shutdown()
        platform.server_close()
    result = outcome["result"]
    assert result.exit_code == 0, result.output
    assert f"listening at http://127.0.0.1:{port}{PUSH_PATH}" in result.output
    assert "1 submissions from 1 pushes (0 refused signatures), 1 decided" in result.output
    ((path, headers, body),) = _Platform.received
    verify_signature(SECRET, "POST", path, headers[SIGNATURE_HEADER], body, now=time.time(), tolerance_seconds=60)
    assert json.loads(body)["idempotency_key"] == "cli-key-1"


def test_simulate_times_out_with_exit_code_1():
    result = runner.invoke(app, ["authority", "simulate", "--port", "0", "--timeout", "0.2"])
    assert result.exit_code == 1
    assert "timed out after 0.2 s with 0 of 1 decided" in result.output


def test_simulate_never_calls_back_outside_this_machine():
    result = runner.invoke(app, ["authority", "simulate", "--callback-url", "https://authority.example.org/cb"])
    assert result.exit_code == 2
    assert "must point at this machine" in result.output


def test_simulate_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = runner.invoke(app, ["authority", "simulate", "--port", str(taken.getsockname()[1]), "--timeout", "1"])
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.output


def test_push_sends_what_is_due_and_reports(settings, db):
    from authority_kit import make_case

    from talentgate.authority import services

    settings.AUTHORITY_PUSH_URL = ""
    refused = runner.invoke(app, ["authority", "push"])
    assert refused.exit_code == 2
    assert "AUTHORITY_PUSH_URL is not set" in refused.output
    # Nothing listens on port 9: the due push fails and is scheduled again.
    settings.AUTHORITY_PUSH_URL = "http://127.0.0.1:9/submissions"
    submission = services.create_submission(None, make_case())
    result = runner.invoke(app, ["authority", "push"])
    assert result.exit_code == 0, result.output
    assert "authority push: 1 due tried; 1 still pending, 0 given up" in result.output
    submission.refresh_from_db()
    assert (submission.attempts, submission.delivery) == (1, "pending")
    assert submission.next_attempt_at is not None
