"""Prints a fresh ``.env`` for a local installation: random keys, DEBUG on (``make demo`` writes it once)."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet


def render() -> str:
    return "\n".join(
        [
            "# Generated for a local demo by `make demo`; a deployment sets these in its environment.",
            "DEBUG=true",
            f"SECRET_KEY={secrets.token_urlsafe(48)}",
            f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}",
            f"AUDIT_SIGNING_KEY={secrets.token_urlsafe(48)}",
            f"BLIND_INDEX_KEY={secrets.token_urlsafe(48)}",
            f"AUTHORITY_CALLBACK_SECRET={secrets.token_urlsafe(48)}",
            "",
        ]
    )


if __name__ == "__main__":
    print(render(), end="")
