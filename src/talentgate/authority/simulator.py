"""A stand-in for the immigration authority's system, for the demo and the tests; framework-free.

It receives the platform's pushes (verifying their signature and honouring the idempotency key:
a retried push returns the first answer and never makes a second submission) and answers each
submission with a signed decision callback. Options make it misbehave the way real systems do:
slow answers, 5xx failures for the first pushes, duplicated callbacks (a second decision with a
fresh nonce, then the very same request replayed) and out-of-order ones (the decision is sent
before the push is acknowledged).

Use it in process (``handle_push`` and a ``transport`` that reaches the platform however the
caller likes) or over HTTP on 127.0.0.1 (``serve``), as ``talentgate authority simulate`` does.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from talentgate.authority.protocol import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    SignatureRejected,
    signature_header,
    verify_signature,
)

#: The only interface the HTTP receiver listens on: the simulator is never reachable from elsewhere.
LOOPBACK = "127.0.0.1"
#: Where the receiver takes pushes (the platform's AUTHORITY_PUSH_URL must end with it).
PUSH_PATH = "/submissions"
DECISIONS = ("grant", "refuse")

#: ``transport(method, url, headers, body) -> (status, response body)``: how a request reaches the other side.
Transport = Callable[[str, str, dict[str, str], bytes], tuple[int, bytes]]


def urllib_transport(
    method: str, url: str, headers: dict[str, str], body: bytes, timeout: float = 10.0
) -> tuple[int, bytes]:
    """Send one HTTP request with the standard library; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310  # the authority endpoint given by whoever runs the simulator
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read() or b"")


@dataclass
class SimulatorOptions:
    """How the simulated authority behaves."""

    decision: str = "grant"
    slow_seconds: float = 0.0
    fail_first: int = 0
    duplicate: bool = False
    out_of_order: bool = False
    permit_validity_days: int = 365
    permit_type: str = "work_permit"

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
        if self.slow_seconds < 0 or self.fail_first < 0 or self.permit_validity_days < 1:
            raise ValueError("slow_seconds and fail_first must not be negative; permit validity is at least a day")


@dataclass
class ReceivedSubmission:
    """One submission as the authority holds it: made once per idempotency key, however often it is pushed."""

    key: str
    reference: str
    payload: dict[str, Any]
    received_at: datetime
    pushes: int = 1
    decided: bool = False


@dataclass(frozen=True)
class CallbackOutcome:
    """What the platform answered to one decision callback; ``kind`` is decision, duplicate or replay."""

    key: str
    kind: str
    status: int
    body: bytes


@dataclass
class AuthoritySimulator:
    """The simulated authority. Thread-safe: the HTTP receiver answers pushes on several threads."""

    secret: str
    callback_url: str
    options: SimulatorOptions = field(default_factory=SimulatorOptions)
    transport: Transport = urllib_transport
    clock: Callable[[], float] = time.time
    tolerance_seconds: int = 300
    submissions: dict[str, ReceivedSubmission] = field(default_factory=dict)
    push_attempts: dict[str, int] = field(default_factory=dict)
    refused_pushes: int = 0
    callbacks: list[CallbackOutcome] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # --- receiving pushes ---------------------------------------------------------------------

    def handle_push(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one push: 401 bad signature, 400 no key or bad JSON, 503 while failing, else 201 (new) or 200 (seen)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            verify_signature(
                self.secret,
                method,
                path,
                lowered.get(SIGNATURE_HEADER.lower()),
                body,
                now=self.clock(),
                tolerance_seconds=self.tolerance_seconds,
            )
        except SignatureRejected as exc:
            with self._lock:
                self.refused_pushes += 1
            return 401, {"error": exc.rule, "message": exc.message}
        key = lowered.get(IDEMPOTENCY_HEADER.lower(), "").strip()
        if not key:
            return 400, {"error": "idempotency_key", "message": f"The {IDEMPOTENCY_HEADER} header is required."}
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"error": "json", "message": "The body is not JSON."}
        with self._lock:
            attempt = self.push_attempts[key] = self.push_attempts.get(key, 0) + 1
        if attempt <= self.options.fail_first:
            return 503, {
                "error": "unavailable",
                "message": f"Simulated failure {attempt} of {self.options.fail_first}.",
            }
        if self.options.slow_seconds:
            time.sleep(self.options.slow_seconds)
        with self._lock:
            existing = self.submissions.get(key)
            if existing is not None:
                # The idempotency key at work: a retry gets the first answer and no second submission.
                existing.pushes += 1
                return 200, {"reference": existing.reference, "status": "already_received"}
            received = ReceivedSubmission(
                key=key,
                reference=f"AUTH-{len(self.submissions) + 1:06d}",
                payload=payload,
                received_at=datetime.fromtimestamp(self.clock(), UTC),
            )
            self.submissions[key] = received
        if self.options.out_of_order:
            # The decision overtakes the acknowledgement: the platform must cope with the callback first.
            self.decide(key)
        return 201, {"reference": received.reference, "status": "received"}

    # --- sending decisions --------------------------------------------------------------------

    def decision_body(self, submission: ReceivedSubmission) -> dict[str, Any]:
        """The callback's JSON: which submission, the decision, and for a grant the permit issued."""
        decided_at = datetime.fromtimestamp(self.clock(), UTC)
        body: dict[str, Any] = {
            "idempotency_key": submission.key,
            "authority_reference": submission.reference,
            "decision": self.options.decision,
            "decided_at": decided_at.isoformat(),
        }
        if self.options.decision == "grant":
            valid_from = decided_at.date()
            body["legal_ground"] = "Simulated decree on highly qualified specialists, art. 13.2"
            body["permit"] = {
                "number": f"RP-{valid_from.year}-{submission.reference.removeprefix('AUTH-')}",
                "permit_type": self.options.permit_type,
                "issued_on": valid_from.isoformat(),
                "valid_from": valid_from.isoformat(),
                "valid_until": (valid_from + timedelta(days=self.options.permit_validity_days)).isoformat(),
            }
        else:
            body["reasons"] = "The simulated authority refuses every submission in this run."
            body["legal_ground"] = "Simulated decree on highly qualified specialists, art. 18.1"
        return body

    def _send(self, key: str, kind: str, body: bytes, signature: str | None = None) -> tuple[str, CallbackOutcome]:
        path = urlsplit(self.callback_url).path or "/"
        header = signature or signature_header(self.secret, "POST", path, body, timestamp=int(self.clock()))
        try:
            status, answer = self.transport(
                "POST", self.callback_url, {"Content-Type": "application/json", SIGNATURE_HEADER: header}, body
            )
        except OSError as exc:  # the platform is down or unreachable: status 0, tried again later
            status, answer = 0, str(exc).encode()
        outcome = CallbackOutcome(key=key, kind=kind, status=status, body=answer)
        with self._lock:
            self.callbacks.append(outcome)
        return header, outcome

    def decide(self, key: str) -> list[CallbackOutcome]:
        """Send the decision on one submission (three callbacks when duplicating: decision, duplicate, replay)."""
        with self._lock:
            submission = self.submissions[key]
            if submission.decided:
                return []
            submission.decided = True
        body = json.dumps(self.decision_body(submission), separators=(",", ":")).encode()
        header, first = self._send(key, "decision", body)
        outcomes = [first]
        if first.status == 0 or first.status >= 500:
            # Not taken: the decision stays to be sent again (with a fresh nonce) on the next round.
            with self._lock:
                submission.decided = False
            return outcomes
        if self.options.duplicate:
            outcomes.append(self._send(key, "duplicate", body)[1])  # same decision, fresh nonce
            outcomes.append(self._send(key, "replay", body, signature=header)[1])  # the very same request again
        return outcomes

    def decide_pending(self) -> list[CallbackOutcome]:
        """Decide every submission not yet decided, oldest first (newest first when out of order)."""
        with self._lock:
            keys = [s.key for s in self.submissions.values() if not s.decided]
        if self.options.out_of_order:
            keys.reverse()
        return [outcome for key in keys for outcome in self.decide(key)]

    @property
    def decided_count(self) -> int:
        with self._lock:
            return sum(1 for s in self.submissions.values() if s.decided)

    # --- the HTTP receiver --------------------------------------------------------------------

    @contextmanager
    def serve(self, port: int = 0) -> Iterator[ThreadingHTTPServer]:
        """Listen on 127.0.0.1:``port`` (0: any free port) in a background thread until the block ends."""
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "talentgate-authority-simulator"

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/health":
                    self._answer(200, {"submissions": len(simulator.submissions)})
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self) -> None:
                if urlsplit(self.path).path != PUSH_PATH:
                    self._answer(404, {"error": "not_found", "message": f"Pushes go to {PUSH_PATH}."})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = simulator.handle_push("POST", self.path, dict(self.headers.items()), body)
                self._answer(status, answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the CLI reports what happened; no per-request noise

        server = ThreadingHTTPServer((LOOPBACK, port), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="authority-simulator", daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def run_until(
    simulator: AuthoritySimulator,
    *,
    count: int,
    timeout_seconds: float,
    decision_delay: float = 0.0,
    poll_seconds: float = 0.25,
    on_event: Callable[[str], None] = lambda message: None,
) -> bool:
    """Decide submissions as they arrive until ``count`` are decided or ``timeout_seconds`` pass; True if all were."""
    deadline = time.monotonic() + timeout_seconds
    first_seen: dict[str, float] = {}
    while time.monotonic() < deadline:
        now = time.monotonic()
        with simulator._lock:
            waiting = [s.key for s in simulator.submissions.values() if not s.decided]
        for key in waiting:
            first_seen.setdefault(key, now)
            if now - first_seen[key] >= decision_delay:
                for outcome in simulator.decide(key):
                    on_event(f"{outcome.kind} callback for {key}: HTTP {outcome.status}")
        if simulator.decided_count >= count:
            return True
        time.sleep(poll_seconds)
    return simulator.decided_count >= count
