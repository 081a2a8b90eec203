"""Structured JSON logs with a request id: honoured or generated per request, carried into the task worker."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from talentgate.accounts.roles import Role
from talentgate.common.models import Job
from talentgate.common.tasks import start_audit_verification
from talentgate.ops import logs


@pytest.fixture
def log_lines():
    """Every line logged (INFO and up) while the test runs, rendered by the production formatter and parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.build_formatter("json"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


@pytest.mark.django_db
def test_an_incoming_request_id_is_echoed_and_on_the_request_line(client, log_lines):
    response = client.get("/health?name=Ivanov", HTTP_X_REQUEST_ID="lb-7f3a:42")
    assert response["X-Request-ID"] == "lb-7f3a:42"
    (line,) = [entry for entry in log_lines() if entry["event"] == "request.finished"]
    assert line["request_id"] == "lb-7f3a:42"
    assert line["path"] == "/health"
    assert line["status"] == 200
    assert line["level"] == "info"
    assert "Ivanov" not in json.dumps(line)  # the query string is never logged


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "has spaces in it", "x" * 129, 'quote"s'])
def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, header):
    response = client.get("/health", HTTP_X_REQUEST_ID=header)
    generated = response["X-Request-ID"]
    assert generated != header
    assert len(generated) == 32
    assert int(generated, 16) >= 0


@pytest.mark.django_db
def test_django_own_log_lines_carry_the_request_id(client, log_lines):
    response = client.get("/no-such-page-anywhere/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    warnings = [entry for entry in log_lines() if entry.get("logger") == "django.request"]
    assert warnings
    assert {entry["request_id"] for entry in warnings} == {"req-404"}


def test_each_request_gets_its_own_id(client, db):
    first = client.get("/health")["X-Request-ID"]
    second = client.get("/health")["X-Request-ID"]
    assert first != second
    assert logs.current_request_id() is None  # unbound after the response


@pytest.mark.django_db
def test_the_immediate_backend_keeps_the_request_binding(make_user):
    tokens = logs.bind_request_id("req-inline")
    try:
        start_audit_verification(make_user(Role.OFFICER))
        assert logs.current_request_id() == "req-inline"
    finally:
        logs.unbind(tokens)


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_task_under_the_request_id_that_enqueued_it(make_user, log_lines):
    officer = make_user(Role.OFFICER)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        tokens = logs.bind_request_id("req-from-web")
        try:
            job_id = start_audit_verification(officer)
        finally:
            logs.unbind(tokens)
        task_row = DBTaskResult.objects.get()
        assert task_row.args_kwargs["request_id"] == "req-from-web"
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=1)
    assert Job.objects.get(pk=job_id).status == Job.Status.SUCCEEDED
    finished = [e for e in log_lines() if "SUCCESSFUL" in e["event"]]
    assert len(finished) == 1
    assert finished[0]["request_id"] == "req-from-web"
    assert finished[0]["task_id"] == str(task_row.pk)
    assert finished[0]["task"] == "talentgate.common.tasks.verify_audit_chains"
    assert logs.current_request_id() is None  # the worker's context is clean after the task


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_outside_a_request_is_logged_under_its_task_id(make_user, log_lines):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        start_audit_verification(make_user(Role.OFFICER))
        task_row = DBTaskResult.objects.get()
        assert "request_id" not in task_row.args_kwargs
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=1)
    (finished,) = [e for e in log_lines() if "SUCCESSFUL" in e["event"]]
    assert finished["request_id"] == str(task_row.pk)
