"""Settings for the test suite: fixed keys, immediate tasks, fast hashing, in-memory e-mail."""

from __future__ import annotations

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghij"
FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA="]
AUDIT_SIGNING_KEY = "test-audit-signing-key"
BLIND_INDEX_KEY = "test-blind-index-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Off for the suite: thousands of tests sign staff in with force_login, which has no second step.
# The second-factor and security tests turn it on (override_settings(STAFF_MFA_REQUIRED=True)).
STAFF_MFA_REQUIRED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploaded files of the whole suite go to a scratch directory, never into the demo's var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="talentgate-test-media-")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
