"""The hand-off's signatures and retry schedule, without Django."""

from __future__ import annotations

import pytest

from talentgate.authority.protocol import (
    BackoffPolicy,
    SignatureRejected,
    canonical_message,
    compute_signature,
    new_nonce,
    parse_signature_header,
    signature_header,
    verify_signature,
)

SECRET = "a-shared-secret-for-tests"
NONCE = "nonce-0123456789abcdef"
BODY = b'{"decision":"grant"}'


def _header(**overrides):
    arguments = {"timestamp": 1_700_000_000, "nonce": NONCE} | overrides
    return signature_header(SECRET, "POST", "/api/authority/callbacks/decision", BODY, **arguments)


def test_a_signature_covers_method_path_timestamp_nonce_and_body():
    assert canonical_message("post", "/p", 5, NONCE, b"x") == f"POST\n/p\n5\n{NONCE}\nx".encode()
    reference = compute_signature(SECRET, "POST", "/p", 5, NONCE, b"x")
    changed = [
        compute_signature(SECRET, "PUT", "/p", 5, NONCE, b"x"),
        compute_signature(SECRET, "POST", "/q", 5, NONCE, b"x"),
        compute_signature(SECRET, "POST", "/p", 6, NONCE, b"x"),
        compute_signature(SECRET, "POST", "/p", 5, NONCE.upper(), b"x"),
        compute_signature(SECRET, "POST", "/p", 5, NONCE, b"y"),
        compute_signature(SECRET + "!", "POST", "/p", 5, NONCE, b"x"),
    ]
    assert len(reference) == 64
    assert reference not in changed
    assert len(set(changed)) == len(changed)


def test_a_good_signature_verifies_within_the_window():
    parts = verify_signature(
        SECRET, "POST", "/api/authority/callbacks/decision", _header(), BODY, now=1_700_000_299, tolerance_seconds=300
    )
    assert (parts.timestamp, parts.nonce) == (1_700_000_000, NONCE)


@pytest.mark.parametrize(
    ("method", "path", "body", "secret"),
    [
        ("PUT", "/api/authority/callbacks/decision", BODY, SECRET),
        ("POST", "/api/authority/callbacks/other", BODY, SECRET),
        ("POST", "/api/authority/callbacks/decision", b'{"decision":"refuse"}', SECRET),
        ("POST", "/api/authority/callbacks/decision", BODY, "another-secret-of-16+"),
    ],
    ids=["method", "path", "body", "key"],
)
def test_any_change_breaks_the_signature(method, path, body, secret):
    with pytest.raises(SignatureRejected) as refused:
        verify_signature(secret, method, path, _header(), body, now=1_700_000_000, tolerance_seconds=300)
    assert refused.value.rule == "signature"


@pytest.mark.parametrize("now", [1_700_000_301, 1_699_999_699])
def test_a_timestamp_outside_the_window_is_stale(now):
    with pytest.raises(SignatureRejected) as refused:
        verify_signature(
            SECRET, "POST", "/api/authority/callbacks/decision", _header(), BODY, now=now, tolerance_seconds=300
        )
    assert refused.value.rule == "stale_timestamp"


@pytest.mark.parametrize(
    ("header", "rule"),
    [
        (None, "signature_header"),
        ("", "signature_header"),
        ("t=1,nonce=" + NONCE, "signature_header"),
        ("t=1,t=2,nonce=" + NONCE + ",v1=" + "0" * 64, "signature_header"),
        ("t=soon,nonce=" + NONCE + ",v1=" + "0" * 64, "timestamp"),
        ("t=1,nonce=short,v1=" + "0" * 64, "nonce"),
        ("t=1,nonce=" + NONCE + ",v1=XYZ", "signature"),
    ],
)
def test_malformed_headers_are_refused_naming_the_part(header, rule):
    with pytest.raises(SignatureRejected) as refused:
        parse_signature_header(header)
    assert refused.value.rule == rule


def test_short_secrets_are_refused_and_nonces_are_fresh():
    with pytest.raises(ValueError, match="at least 16"):
        compute_signature("short", "POST", "/", 1, NONCE, b"")
    nonces = {new_nonce() for _ in range(50)}
    assert len(nonces) == 50
    assert all(parse_signature_header(f"t=1,nonce={n},v1={'0' * 64}").nonce == n for n in nonces)


def test_backoff_doubles_up_to_the_cap_and_stops_after_the_last_attempt():
    policy = BackoffPolicy(base_seconds=30, factor=2, max_seconds=300, max_attempts=7)
    assert policy.schedule() == [30.0, 60.0, 120.0, 240.0, 300.0, 300.0]
    assert policy.delay_after(7) is None
    assert policy.delay_after(70) is None
    with pytest.raises(ValueError, match="numbered from 1"):
        policy.delay_after(0)


@pytest.mark.parametrize(
    "arguments",
    [
        {"base_seconds": 0},
        {"factor": 0.5},
        {"base_seconds": 10, "max_seconds": 5},
        {"max_attempts": 0},
    ],
)
def test_backoff_refuses_nonsense(arguments):
    with pytest.raises(ValueError, match="backoff needs"):
        BackoffPolicy(**arguments)


def test_the_deploy_check_flags_the_development_shared_secret(settings):
    from talentgate.common.checks import development_keys_in_use
    from talentgate.settings import base

    settings.AUTHORITY_CALLBACK_SECRET = base.INSECURE_DEV_AUTHORITY_SECRET
    assert "AUTHORITY_CALLBACK_SECRET is the development fallback." in [w.msg for w in development_keys_in_use(None)]
    settings.AUTHORITY_CALLBACK_SECRET = "a-secret-of-this-deployment"
    assert "AUTHORITY_CALLBACK_SECRET is the development fallback." not in [
        w.msg for w in development_keys_in_use(None)
    ]
