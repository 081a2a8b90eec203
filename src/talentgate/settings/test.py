"""Settings for the test suite: fixed keys, immediate tasks, fast hashing, in-memory e-mail."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghij"
FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA="]
AUDIT_SIGNING_KEY = "test-audit-signing-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
