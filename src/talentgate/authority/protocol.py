"""The hand-off wire protocol, framework-free: HMAC-SHA256 request signatures and the retry schedule.

Both directions use it: the platform signs its pushes to the authority, the authority signs its
decision callbacks, each side verifies the other's. A signature covers the method, the path, a
timestamp, a single-use nonce and the raw body, so a captured request cannot be replayed later
(stale timestamp), replayed now (the receiver stores nonces), sent to another path or altered.

>>> nonce = "nonce-0123456789ab"
>>> header = signature_header("s3cret-key-for-tests", "POST", "/cb", b"{}", timestamp=1000, nonce=nonce)
>>> header.startswith("t=1000,nonce=nonce-0123456789ab,v1=")
True
>>> verify_signature("s3cret-key-for-tests", "POST", "/cb", header, b"{}", now=1010, tolerance_seconds=300).nonce
'nonce-0123456789ab'

Imports nothing from Django, so the simulator and any client can use it as is.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

#: The header carrying ``t=<unix seconds>,nonce=<token>,v1=<hex HMAC-SHA256>``.
SIGNATURE_HEADER = "X-Authority-Signature"
#: The header carrying a submission's idempotency key on every push (and every retry of it).
IDEMPOTENCY_HEADER = "Idempotency-Key"
SIGNATURE_VERSION = "v1"
#: Nonces are tokens of URL-safe characters, long enough to be unguessable, short enough to store.
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MIN_SECRET_LENGTH = 16


class SignatureRejected(Exception):
    """A request's signature did not hold; ``rule`` names which check failed."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class SignatureParts:
    """What a signature header carries."""

    timestamp: int
    nonce: str
    signature: str


def new_nonce() -> str:
    """A fresh, unguessable nonce (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def canonical_message(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    """The bytes that are signed: method, path, timestamp and nonce on their own lines, then the raw body."""
    head = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n".encode()
    return head + body


def compute_signature(secret: str, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of :func:`canonical_message` keyed by ``secret``."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"the shared secret must be at least {MIN_SECRET_LENGTH} characters long")
    message = canonical_message(method, path, timestamp, nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(
    secret: str,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> str:
    """The value of :data:`SIGNATURE_HEADER` for a request (now and a fresh nonce unless given)."""
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    token = new_nonce() if nonce is None else nonce
    signature = compute_signature(secret, method, path, stamp, token, body)
    return f"t={stamp},nonce={token},{SIGNATURE_VERSION}={signature}"


def parse_signature_header(value: str | None) -> SignatureParts:
    """Split a signature header into its parts; refuses a missing or malformed one (rule ``signature_header``)."""
    if not value:
        raise SignatureRejected("signature_header", f"The {SIGNATURE_HEADER} header is missing.")
    parts: dict[str, str] = {}
    for item in value.split(","):
        key, sep, val = item.strip().partition("=")
        if not sep or key in parts:
            raise SignatureRejected("signature_header", f"The {SIGNATURE_HEADER} header is malformed.")
        parts[key] = val
    if set(parts) != {"t", "nonce", SIGNATURE_VERSION}:
        raise SignatureRejected(
            "signature_header", f"The {SIGNATURE_HEADER} header needs exactly t=, nonce= and {SIGNATURE_VERSION}=."
        )
    if not parts["t"].isdigit():
        raise SignatureRejected("timestamp", "The signature timestamp must be whole Unix seconds.")
    if not NONCE_PATTERN.match(parts["nonce"]):
        raise SignatureRejected("nonce", "The nonce must be 16 to 64 URL-safe characters.")
    if not re.fullmatch(r"[0-9a-f]{64}", parts[SIGNATURE_VERSION]):
        raise SignatureRejected("signature", "The signature must be 64 lower-case hex digits (HMAC-SHA256).")
    return SignatureParts(timestamp=int(parts["t"]), nonce=parts["nonce"], signature=parts[SIGNATURE_VERSION])


def verify_signature(
    secret: str,
    method: str,
    path: str,
    header: str | None,
    body: bytes,
    *,
    now: float,
    tolerance_seconds: int,
) -> SignatureParts:
    """Check a request's signature and freshness; return its parts (the caller still checks the nonce is new).

    The signature is checked before the timestamp, so a stale-timestamp answer is only ever
    given to someone who holds the key. Refuses with rule ``signature`` or ``stale_timestamp``.
    """
    parts = parse_signature_header(header)
    expected = compute_signature(secret, method, path, parts.timestamp, parts.nonce, body)
    if not hmac.compare_digest(expected, parts.signature):
        raise SignatureRejected("signature", "The signature does not match the request.")
    if abs(now - parts.timestamp) > tolerance_seconds:
        raise SignatureRejected(
            "stale_timestamp",
            f"The signature timestamp is more than {tolerance_seconds} seconds away from the receiver's clock.",
        )
    return parts


@dataclass(frozen=True)
class BackoffPolicy:
    """Exponential backoff: the wait after failed attempt ``n`` is ``base * factor**(n-1)``, capped.

    >>> policy = BackoffPolicy(base_seconds=30, factor=2, max_seconds=3600, max_attempts=6)
    >>> [policy.delay_after(n) for n in range(1, 6)]
    [30.0, 60.0, 120.0, 240.0, 480.0]
    >>> policy.delay_after(6) is None  # the last attempt failed: give up
    True
    """

    base_seconds: float = 30.0
    factor: float = 2.0
    max_seconds: float = 3600.0
    max_attempts: int = 8

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.factor < 1 or self.max_seconds < self.base_seconds or self.max_attempts < 1:
            raise ValueError("backoff needs base > 0, factor >= 1, max >= base and at least one attempt")

    def delay_after(self, attempt: int) -> float | None:
        """Seconds to wait after failed attempt number ``attempt`` (from 1); ``None`` once attempts are used up."""
        if attempt < 1:
            raise ValueError("attempts are numbered from 1")
        if attempt >= self.max_attempts:
            return None
        return float(min(self.base_seconds * self.factor ** (attempt - 1), self.max_seconds))

    def schedule(self) -> list[float]:
        """Every wait between the attempts, in order (``max_attempts - 1`` of them)."""
        return [d for n in range(1, self.max_attempts) if (d := self.delay_after(n)) is not None]
