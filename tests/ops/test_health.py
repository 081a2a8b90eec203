"""``GET /health``: database, task queue and storage checks; 200 or 503; open to anyone, no session, no personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentgate.accounts.roles import Role
from talentgate.common.tasks import verify_audit_chains
from talentgate.ops import health

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_instance_answers_200_with_every_check(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "task_queue", "storage"}
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_sets_no_cookie_and_stores_no_session(client):
    response = client.get("/health")
    assert response.cookies == {}
    assert Session.objects.count() == 0


def test_health_holds_no_personal_data_even_for_a_signed_in_user(client, make_user):
    user = make_user(Role.CANDIDATE, email="very.personal@example.test")
    client.force_login(user)
    text = client.get("/health").content.decode()
    assert "very.personal" not in text
    assert "user" not in text


def test_health_refuses_writes(client):
    assert client.post("/health").status_code == 405


def test_a_failing_check_gives_503_naming_only_the_error_class(client, monkeypatch):
    def check_database():
        raise OSError("could not connect to db.internal.example:5432 as secret_user")

    monkeypatch.setitem(health.CHECKS, "database", check_database)
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["database"]["error"] == "OSError"
    assert "secret_user" not in response.content.decode()


def test_unwritable_storage_fails_the_storage_check(client, settings, tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    (read_only / "health").write_text("a file where the probe directory should be")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = str(read_only)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "fail"


@override_settings(TASKS=DATABASE_QUEUE)
def test_database_queue_reports_waiting_tasks_and_worker_activity(client):
    verify_audit_chains.enqueue(0)
    check = client.get("/health").json()["checks"]["task_queue"]
    assert check["status"] == "ok"
    assert check["backend"] == "django_tasks_db.backend.DatabaseBackend"
    assert check["waiting"] == 1
    assert check["running"] == 0
    assert check["worker_last_activity_seconds"] is None


@override_settings(TASKS=DATABASE_QUEUE, HEALTH_QUEUE_MAX_WAIT_SECONDS=60)
def test_a_task_waiting_too_long_with_no_worker_activity_degrades_but_keeps_200(client):
    verify_audit_chains.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["task_queue"]["status"] == "warn"
    assert body["checks"]["task_queue"]["oldest_waiting_seconds"] >= 300


@override_settings(TASKS=DATABASE_QUEUE, HEALTH_QUEUE_MAX_WAIT_SECONDS=60)
def test_a_long_wait_is_fine_while_the_worker_is_busy_since(client):
    verify_audit_chains.enqueue(0)
    verify_audit_chains.enqueue(0)
    long_ago = timezone.now() - timedelta(minutes=5)
    DBTaskResult.objects.update(enqueued_at=long_ago)
    first = DBTaskResult.objects.order_by("pk").first()
    DBTaskResult.objects.filter(pk=first.pk).update(status="RUNNING", started_at=timezone.now())
    body = client.get("/health").json()
    assert body["checks"]["task_queue"]["status"] == "ok"
    assert body["checks"]["task_queue"]["running"] == 1
