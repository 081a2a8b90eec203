"""The embedded SQLite database is configured so the web server and the task worker never lock each other out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

from talentgate.settings import base


def test_sqlite_default_uses_immediate_transactions_and_a_busy_timeout():
    options = base.DATABASES["default"].get("OPTIONS", {})
    if base.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("DATABASE_URL points at another database")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "busy_timeout=30000" in options["init_command"]


def test_a_file_database_opens_in_wal_mode(tmp_path, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("only meaningful for SQLite")
    config = {**base.DATABASES["default"], "NAME": str(tmp_path / "wal.sqlite3")}
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 30000
    finally:
        wrapper.close()


def test_deploy_check_flags_development_keys(settings):
    from talentgate.common.checks import development_keys_in_use

    settings.SECRET_KEY = base.INSECURE_DEV_SECRET_KEY
    settings.FIELD_ENCRYPTION_KEYS = [base.INSECURE_DEV_FIELD_KEY]
    settings.AUDIT_SIGNING_KEY = "a real secret"
    settings.BLIND_INDEX_KEY = "a real index key"
    settings.AUTHORITY_CALLBACK_SECRET = "a real shared secret"
    flagged = [w.msg for w in development_keys_in_use(None)]
    assert flagged == ["SECRET_KEY is the development fallback.", "FIELD_ENCRYPTION_KEYS is the development fallback."]
