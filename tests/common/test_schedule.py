"""The periodic-task registry and ``run_due``: slots, one enqueue per slot, concurrent passes, failures."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks.base import Task
from django_tasks.signals import task_enqueued

from talentgate.common import schedule
from talentgate.common.models import ScheduledTask
from talentgate.common.schedule import DAILY, EVERY_5_MINUTES, HOURLY, Entry, ScheduleError

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
# The dummy backend only records: the tasks themselves must not run while the scheduler is under test.
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

OFFERS = Entry("talentgate.hosts.tasks.lapse_expired_offers", HOURLY)
EMAILS = Entry("talentgate.notifications.tasks.retry_notification_emails", EVERY_5_MINUTES)
RETENTION = Entry("talentgate.notifications.tasks.delete_old_notifications", DAILY, timedelta(hours=2))


@pytest.fixture
def enqueued():
    """Task paths enqueued during the test, in order (the signal fires in every thread, unlike the backend's list)."""
    seen: list[str] = []
    lock = threading.Lock()

    def receiver(sender, task_result, **kwargs):
        with lock:
            seen.append(task_result.task.module_path)

    task_enqueued.connect(receiver, weak=False)
    with override_settings(TASKS=DUMMY_TASKS):
        yield seen
    task_enqueued.disconnect(receiver)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_slots_align_on_the_hour_and_on_the_daily_offset():
    assert schedule.slot_start(at("2026-11-24 10:37:12"), HOURLY) == at("2026-11-24 10:00:00")
    assert schedule.slot_start(at("2026-11-24 10:37:12"), EVERY_5_MINUTES) == at("2026-11-24 10:35:00")
    assert RETENTION.slot_start(at("2026-11-24 10:37:12")) == at("2026-11-24 02:00:00")
    assert RETENTION.slot_start(at("2026-11-24 01:59:59")) == at("2026-11-23 02:00:00")


def test_refuses_a_naive_time():
    with pytest.raises(ScheduleError, match="time zone"):
        schedule.slot_start(datetime(2026, 11, 24, 10, 0), HOURLY)


def test_every_refuses_an_interval_under_a_minute_and_an_offset_outside_the_interval():
    with pytest.raises(ScheduleError, match="interval must be at least"):
        schedule.every(timedelta(seconds=30), "talentgate.tests.never_registered")
    with pytest.raises(ScheduleError, match="offset must be"):
        schedule.every(HOURLY, "talentgate.tests.never_registered", offset=timedelta(hours=1))
    assert "talentgate.tests.never_registered" not in {entry.task_path for entry in schedule.entries()}


def test_every_refuses_a_second_timing_for_a_registered_task_and_keeps_the_first():
    registered = {entry.task_path: entry for entry in schedule.entries()}
    first = registered["talentgate.hosts.tasks.lapse_expired_offers"]
    with pytest.raises(ScheduleError, match="already scheduled"):
        schedule.every(DAILY, first.task_path)
    assert schedule.every(first.interval, first.task_path, offset=first.offset) == first
    assert {entry.task_path: entry for entry in schedule.entries()}[first.task_path] == first


def test_every_registered_entry_names_an_importable_task():
    registered = schedule.entries()
    for entry in registered:
        assert isinstance(schedule.resolve_task(entry), Task), entry.task_path
    assert {entry.task_path for entry in registered} >= {
        "talentgate.hosts.tasks.lapse_expired_offers",
        "talentgate.cases.tasks.warn_expiring_documents_task",
        "talentgate.cases.tasks.remind_permit_renewals_task",
        "talentgate.cases.sla.escalate_overdue_cases_task",
        "talentgate.cases.requests.remind_information_requests_due_task",
        "talentgate.notifications.tasks.retry_notification_emails",
        "talentgate.notifications.tasks.delete_old_notifications",
        "talentgate.authority.tasks.retry_due_pushes",
    }


def test_resolve_task_names_a_path_that_is_not_a_task():
    with pytest.raises(ScheduleError, match="cannot be imported"):
        schedule.resolve_task(Entry("talentgate.hosts.tasks.no_such_task", HOURLY))
    with pytest.raises(ScheduleError, match="is not a task"):
        schedule.resolve_task(Entry("talentgate.hosts.services.lapse_expired_offers", HOURLY))


def test_first_pass_enqueues_each_entry_once_and_records_the_slot(enqueued):
    now = at("2026-11-24 10:37:12")
    outcome = schedule.run_due(now, only=[OFFERS, EMAILS])
    assert outcome.enqueued == [OFFERS.task_path, EMAILS.task_path]
    assert outcome.failed == {}
    assert enqueued == [OFFERS.task_path, EMAILS.task_path]
    row = ScheduledTask.objects.get(task_path=OFFERS.task_path)
    assert row.last_slot == at("2026-11-24 10:00:00")
    assert row.last_enqueued_at == now


def test_a_second_pass_at_the_same_moment_enqueues_nothing_more(enqueued):
    now = at("2026-11-24 10:37:12")
    schedule.run_due(now, only=[OFFERS, EMAILS])
    again = schedule.run_due(now, only=[OFFERS, EMAILS])
    assert again.enqueued == []
    assert enqueued == [OFFERS.task_path, EMAILS.task_path]
    assert ScheduledTask.objects.filter(task_path__in=[OFFERS.task_path, EMAILS.task_path]).count() == 2


def test_only_entries_whose_slot_has_come_are_enqueued_again(enqueued):
    schedule.run_due(at("2026-11-24 10:37:12"), only=[OFFERS, EMAILS, RETENTION])
    enqueued.clear()
    # Three minutes on: a new five-minute slot (10:40), still the same hour and the same day.
    assert schedule.run_due(at("2026-11-24 10:40:05"), only=[OFFERS, EMAILS, RETENTION]).enqueued == [EMAILS.task_path]
    assert schedule.run_due(at("2026-11-24 11:00:00"), only=[OFFERS, EMAILS, RETENTION]).enqueued == [
        OFFERS.task_path,
        EMAILS.task_path,
    ]
    assert schedule.run_due(at("2026-11-25 02:00:00"), only=[RETENTION]).enqueued == [RETENTION.task_path]
    assert enqueued == [EMAILS.task_path, OFFERS.task_path, EMAILS.task_path, RETENTION.task_path]


def test_a_pass_with_an_older_clock_does_not_enqueue_a_slot_already_passed(enqueued):
    schedule.run_due(at("2026-11-24 11:00:00"), only=[OFFERS])
    # A second scheduler whose clock lags behind must not re-run the 10:00 slot.
    assert schedule.run_due(at("2026-11-24 10:59:58"), only=[OFFERS]).enqueued == []
    assert enqueued == [OFFERS.task_path]


def test_a_broken_entry_is_reported_stays_due_and_does_not_stop_the_others(enqueued):
    broken = Entry("talentgate.hosts.tasks.no_such_task", HOURLY)
    now = at("2026-11-24 10:37:12")
    outcome = schedule.run_due(now, only=[broken, OFFERS])
    assert outcome.enqueued == [OFFERS.task_path]
    assert list(outcome.failed) == [broken.task_path]
    assert "cannot be imported" in outcome.failed[broken.task_path]
    assert ScheduledTask.objects.get(task_path=broken.task_path).last_slot is None
    assert enqueued == [OFFERS.task_path]


def test_statuses_show_due_now_before_the_first_pass_and_the_next_slot_after(enqueued):
    now = at("2026-11-24 10:37:12")
    before = {status.entry.task_path: status for status in schedule.statuses(now)}
    assert before[OFFERS.task_path].last_enqueued_at is None
    assert before[OFFERS.task_path].next_run == now
    schedule.run_due(now, only=[OFFERS])
    after = {status.entry.task_path: status for status in schedule.statuses(now)}
    assert after[OFFERS.task_path].last_enqueued_at == now
    assert after[OFFERS.task_path].next_run == at("2026-11-24 11:00:00")


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_schedulers_on_postgresql_enqueue_each_slot_once(enqueued):
    now = at("2026-11-24 10:37:12")
    passes = 6
    barrier = threading.Barrier(passes)
    results: list[object] = [None] * passes

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = schedule.run_due(now, only=[OFFERS, EMAILS]).enqueued
        except Exception as exc:  # reported, never hidden
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(passes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(result, list) for result in results), results
    assert sorted(enqueued) == sorted([OFFERS.task_path, EMAILS.task_path])
    assert sorted(path for result in results for path in result) == sorted(enqueued)
