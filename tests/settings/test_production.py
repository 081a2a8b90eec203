"""Production settings: ``check --deploy`` is clean with the environment set, and a missing secret stops start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A production environment in ``tmp_path`` (so no developer's .env is read), with fresh secrets."""
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is a test-process switch that check --deploy rightly refuses.
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="talentgate.settings.production",
        TALENTGATE_HOME=str(tmp_path),
        SECRET_KEY="p" + os.urandom(40).hex(),
        ALLOWED_HOSTS="talent.example.org",
        CSRF_TRUSTED_ORIGINS="https://talent.example.org",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        AUDIT_SIGNING_KEY=os.urandom(32).hex(),
        BLIND_INDEX_KEY=os.urandom(32).hex(),
        AUTHORITY_CALLBACK_SECRET=os.urandom(32).hex(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(overrides)
    return env


def django(tmp_path: Path, *args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=tmp_path,
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_no_issue_with_production_settings(tmp_path):
    result = django(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_the_development_settings(tmp_path):
    """The same check with the development settings warns: the clean result above is the settings' doing."""
    result = django(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_SETTINGS_MODULE="talentgate.settings.base"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no HTTPS redirect


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"])
def test_a_missing_secret_stops_start_up_naming_the_variable(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_serves_static_files_with_whitenoise_and_keeps_health_reachable_over_http(tmp_path):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'middleware': s.MIDDLEWARE[:3], 'static': s.STORAGES['staticfiles']['BACKEND'], "
        "'default': s.STORAGES['default']['BACKEND'], 'exempt': s.SECURE_REDIRECT_EXEMPT, "
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'debug': s.DEBUG}))"
    )
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["middleware"] == [
        "talentgate.ops.middleware.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert seen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert seen["default"] == "django.core.files.storage.FileSystemStorage"
    assert seen["exempt"] == ["^health$"]
    assert seen["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["debug"] is False


def test_object_storage_is_configured_from_the_environment(tmp_path):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.STORAGES['default']))"
    )
    env = production_env(
        tmp_path, STORAGE_BACKEND="s3", S3_BUCKET="talent-docs", S3_ENDPOINT_URL="https://minio.internal:9000"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "talent-docs"
    assert storage["OPTIONS"]["endpoint_url"] == "https://minio.internal:9000"
    assert storage["OPTIONS"]["default_acl"] == "private"
