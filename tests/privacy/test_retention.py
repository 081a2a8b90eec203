"""Retention: the dry-run report changes nothing; applying removes what is past its period and keeps
what a legal hold keeps, naming the rule; ``talentgate retention report|apply``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cli import app
from talentgate.notifications.models import Notification
from talentgate.privacy import retention, services
from talentgate.privacy.models import RetentionRun

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _old_profile(user, name: str) -> Profile:
    payload = {
        "id": f"ret-{name}",
        "identity": {"given_names_latin": name, "date_of_birth": "1980-05-05", "sex": "male"},
    }
    profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
    Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now() - timedelta(days=2000))
    return profile


@pytest.fixture
def world(make_user):
    officer = make_user(Role.OFFICER)
    stale = _old_profile(make_user(Role.CANDIDATE), "Stale")
    held = _old_profile(make_user(Role.CANDIDATE), "Held")
    services.place_legal_hold(officer, held.pk, "Investigation 7")
    fresh_user = make_user(Role.CANDIDATE)
    old = timezone.now() - timedelta(days=400)
    Notification.objects.create(recipient=fresh_user, kind="status_changed", read_at=old, created_at=old)
    Notification.objects.create(recipient=fresh_user, kind="status_changed")
    return stale, held


def _state():
    return (
        Notification.objects.count(),
        list(Profile.objects.order_by("pk").values_list("given_names_latin", flat=True)),
    )


def test_report_changes_nothing(world):
    before = _state()
    report = retention.retention_report()
    assert report.due["read_notifications"] == 1
    assert report.due["inactive_profiles"] == 2
    assert report.kept == [{"profile_id": world[1].pk, "rules": ["legal_hold"]}]
    assert _state() == before
    assert not RetentionRun.objects.exists()


def test_apply_removes_what_is_due_and_keeps_the_held(world):
    stale, held = world
    report = retention.apply_retention()
    assert report.done == {
        "read_notifications": 1,
        "decided_erasure_requests": 0,
        "released_legal_holds": 0,
        "inactive_profiles": 1,
    }
    stale.refresh_from_db()
    held.refresh_from_db()
    assert stale.given_names_latin == services.ERASED
    assert held.given_names_latin == "Held"
    assert Notification.objects.count() == 1
    assert RetentionRun.objects.filter(dry_run=False).count() == 1


def test_periods_come_from_settings_and_unknown_types_are_refused(settings):
    settings.PRIVACY_RETENTION_DAYS = {"read_notifications": 30}
    assert retention.retention_days()["read_notifications"] == 30
    assert retention.retention_days()["inactive_profiles"] == 1095
    settings.PRIVACY_RETENTION_DAYS = {"chat_logs": 1}
    with pytest.raises(ValueError, match="chat_logs"):
        retention.retention_days()


def test_cli_report_then_apply(world):
    before = _state()
    result = runner.invoke(app, ["retention", "report"])
    assert result.exit_code == 0, result.output
    assert "read_notifications: 1 past 365 days" in result.output
    assert f"kept profile {world[1].pk}: legal_hold" in result.output
    assert _state() == before
    result = runner.invoke(app, ["retention", "apply", "--json"])
    assert result.exit_code == 0, result.output
    assert '"inactive_profiles": 1' in result.output


def test_retention_task_is_scheduled_daily_and_runs(world):
    from talentgate.common import schedule
    from talentgate.privacy.tasks import run_retention

    schedule.entries()  # imports every app's schedule.py
    paths = {entry.task_path: entry for entry in schedule.entries()}
    assert paths["talentgate.privacy.tasks.run_retention"].interval == schedule.DAILY
    assert run_retention.call()["done"]["read_notifications"] == 1
