"""Background jobs: the Job row reports the outcome, with the immediate backend and through the real worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.models import AuditEntry, Job
from talentgate.common.tasks import start_audit_verification


@pytest.mark.django_db
def test_audit_verification_job_reports_a_broken_chain(make_user):
    officer = make_user(Role.OFFICER)
    audit.record(officer, "profile.updated", officer, chain="person:test", fields=["first_name"])
    AuditEntry.objects.filter(chain="person:test").update(reason="tampered")
    job = Job.objects.get(pk=start_audit_verification(officer))
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["broken_count"] == 1
    assert job.result["broken"][0].startswith("person:test#1")
    assert job.started_by == officer


@pytest.mark.django_db(transaction=True)
def test_database_backend_and_worker_run_the_job(make_user):
    officer = make_user(Role.OFFICER)
    # django-tasks resets its backends when TASKS changes, so the override takes effect.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job_id = start_audit_verification(officer)
        assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get(pk=job_id)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"broken": [], "broken_count": 0}
