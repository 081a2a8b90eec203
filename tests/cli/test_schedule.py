"""``talentgate schedule run-due | list | loop``: one pass, the listing, and a loop that stops on SIGTERM."""

from __future__ import annotations

import signal

import pytest
from django.test import override_settings
from typer.testing import CliRunner

from talentgate.cli import app
from talentgate.cli import schedule as schedule_cli
from talentgate.common import schedule
from talentgate.common.models import ScheduledTask

pytestmark = pytest.mark.django_db

runner = CliRunner()
# The dummy backend only records: the scheduled tasks themselves must not run here.
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run(*args: str):
    with override_settings(TASKS=DUMMY_TASKS):
        return runner.invoke(app, list(args))


def test_run_due_enqueues_every_entry_once_then_nothing():
    paths = [entry.task_path for entry in schedule.entries()]
    first = run("schedule", "run-due")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [f"enqueued {path}" for path in paths]
    assert ScheduledTask.objects.filter(task_path__in=paths, last_slot__isnull=False).count() == len(paths)
    second = run("schedule", "run-due")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == ["nothing due"]


def test_list_shows_each_entry_due_now_then_its_last_and_next_run():
    before = run("schedule", "list")
    assert before.exit_code == 0, before.output
    lines = before.stdout.splitlines()
    assert lines[0].split() == ["task", "interval", "last", "run", "next", "run"]
    by_path = {line.split()[0]: line for line in lines[1:]}
    assert set(by_path) == {entry.task_path for entry in schedule.entries()}
    offers = by_path["talentgate.hosts.tasks.lapse_expired_offers"]
    assert "every hour" in offers
    assert "never" in offers
    assert offers.endswith("due now")
    assert "every 5 minutes" in by_path["talentgate.notifications.tasks.retry_notification_emails"]
    assert "every day at 02:00 UTC" in by_path["talentgate.notifications.tasks.delete_old_notifications"]

    assert run("schedule", "run-due").exit_code == 0
    after = {line.split()[0]: line for line in run("schedule", "list").stdout.splitlines()[1:]}
    offers = after["talentgate.hosts.tasks.lapse_expired_offers"]
    assert "never" not in offers
    assert "due now" not in offers
    assert offers.count(" UTC") == 2  # the last run and the next run, both dated
    assert after["talentgate.notifications.tasks.delete_old_notifications"].rstrip().endswith(":00:00 UTC")


def test_run_due_exits_1_naming_a_broken_entry_and_still_enqueues_the_others(monkeypatch):
    broken = schedule.Entry("talentgate.hosts.tasks.no_such_task", schedule.HOURLY)
    registered = schedule.entries()
    monkeypatch.setattr(schedule, "entries", lambda: [broken, *registered])
    result = run("schedule", "run-due")
    assert result.exit_code == 1
    assert "failed talentgate.hosts.tasks.no_such_task: ScheduleError" in result.output
    assert "enqueued talentgate.hosts.tasks.lapse_expired_offers" in result.output


def test_loop_survives_a_failed_pass_and_stops_on_sigterm(monkeypatch):
    passes: list[bool] = []  # say_when_idle of each pass: the loop stays quiet when nothing is due

    def one_pass(*, say_when_idle: bool = True) -> int:
        passes.append(say_when_idle)
        if len(passes) == 1:
            raise RuntimeError("database went away")
        signal.raise_signal(signal.SIGTERM)  # as a service manager stopping the scheduler would
        return 0

    monkeypatch.setattr(schedule_cli, "_one_pass", one_pass)
    handler_before = signal.getsignal(signal.SIGTERM)
    result = run("schedule", "loop", "--interval", "1")
    assert result.exit_code == 0, result.output
    assert passes == [False, False]
    assert "pass failed: RuntimeError: database went away" in result.output
    assert result.stdout.splitlines()[-1] == "scheduler stopped"
    assert signal.getsignal(signal.SIGTERM) == handler_before


def test_loop_refuses_an_interval_under_a_second():
    result = run("schedule", "loop", "--interval", "0.5")
    assert result.exit_code == 2
    assert "--interval" in result.output
