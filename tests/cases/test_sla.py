"""Stage deadlines against the database: due-soon and overdue queue filters (SLA rows, pauses, cases without a
programme), escalation to supervisors exactly once per stay, and time in stage for analytics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.cases import sla
from talentgate.cases.models import (
    CaseTransition,
    ClockPause,
    RelocationCase,
    SlaEscalation,
    StageDeadline,
)
from talentgate.cases.sla import DeadlineState, filter_by_deadline
from talentgate.common.errors import PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.notifications.models import Notification
from talentgate.notifications.rendering import render_notification

pytestmark = pytest.mark.django_db


def entered_days_ago(case: RelocationCase, days: float) -> RelocationCase:
    """Put the case's entry into its current stage ``days`` into the past (the history row with it)."""
    entered = timezone.now() - timedelta(days=days)
    RelocationCase.objects.filter(pk=case.pk).update(stage_entered_at=entered, opened_at=entered)
    CaseTransition.objects.filter(case=case).update(entered_at=entered, left_at=entered)
    case.refresh_from_db()
    return case


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def four_cases(make_case):
    """Cases at 'opened' (14 days, due soon 3 days before): overdue, due soon, on track, and paused for ten days."""
    overdue = entered_days_ago(make_case()[0], 20)
    due_soon = entered_days_ago(make_case()[0], 12)
    on_track = entered_days_ago(make_case()[0], 2)
    paused = entered_days_ago(make_case(with_application=False)[0], 20)
    now = timezone.now()
    ClockPause.objects.create(
        case=paused,
        stage="opened",
        reason="test",
        started_at=now - timedelta(days=15),
        ended_at=now - timedelta(days=5),
    )
    # A second pause overlapping the first must not count twice (it would make the case look on track for longer).
    ClockPause.objects.create(
        case=paused,
        stage="opened",
        reason="test",
        started_at=now - timedelta(days=12),
        ended_at=now - timedelta(days=8),
    )
    return overdue, due_soon, on_track, paused


def test_queue_filters_split_open_cases_by_deadline(four_cases):
    overdue, due_soon, on_track, paused = four_cases
    everything = RelocationCase.objects.all()
    assert ids(filter_by_deadline(everything, "overdue")) == {overdue.pk}
    assert ids(filter_by_deadline(everything, "due_soon")) == {due_soon.pk}
    # Paused ten days: due in four days, warning from three days before, so still on track.
    assert ids(filter_by_deadline(everything, "on_track")) == {on_track.pk, paused.pk}
    assert sla.deadline_for(paused).paused == timedelta(days=10)
    # Two days later the paused case is due soon; filters agree with the single-case arithmetic.
    later = timezone.now() + timedelta(days=2)
    assert ids(filter_by_deadline(everything, DeadlineState.DUE_SOON, later)) == {paused.pk}
    for case in four_cases:
        state = sla.deadline_for(case, later).state
        assert case.pk in ids(filter_by_deadline(everything, state, later))


def test_filter_keeps_the_callers_other_filters(four_cases):
    _overdue, due_soon, _, _ = four_cases
    narrowed = RelocationCase.objects.filter(pk__in=[due_soon.pk])
    assert ids(filter_by_deadline(narrowed, "overdue")) == set()
    assert ids(filter_by_deadline(narrowed, "due_soon")) == {due_soon.pk}


def test_unknown_state_is_refused_by_name():
    with pytest.raises(ValidationFailed) as excinfo:
        filter_by_deadline(RelocationCase.objects.all(), "late")
    assert excinfo.value.errors[0].field == "deadline"
    assert excinfo.value.errors[0].rule == "choice"


def test_programme_and_platform_rows_override_the_defaults(four_cases, programme):
    overdue, due_soon, on_track, paused = four_cases
    assert overdue.programme_id == programme.pk
    assert paused.programme_id is None
    # Every programme: 'opened' takes 25 days now; this programme: 11 days.
    StageDeadline.objects.create(programme=None, stage="opened", days=25, warning_days=3)
    StageDeadline.objects.create(programme=programme, stage="opened", days=11, warning_days=2)
    everything = RelocationCase.objects.all()
    assert ids(filter_by_deadline(everything, "overdue")) == {overdue.pk, due_soon.pk}
    assert ids(filter_by_deadline(everything, "due_soon")) == set()
    # The case without a programme follows the platform row: 20 days in, 10 paused, 25 allowed.
    assert ids(filter_by_deadline(everything, "on_track")) == {on_track.pk, paused.pk}
    assert sla.deadline_for(paused).due_at.date() == (paused.stage_entered_at + timedelta(days=35)).date()


def test_stage_deadline_rows_are_checked():
    for bad in (
        StageDeadline(stage="opened", days=5, warning_days=5),
        StageDeadline(stage="closed", days=5, warning_days=1),
        StageDeadline(stage="opened", days=0, warning_days=0),
    ):
        with pytest.raises(ValidationError):
            bad.full_clean()


def test_terminal_cases_have_no_deadline(make_case, officer):
    from talentgate.cases import services

    case, _ = make_case()
    entered_days_ago(case, 30)
    services.reject(officer, case.pk, reason="Not eligible", legal_ground="Decree 1")
    case.refresh_from_db()
    assert sla.deadline_for(case) is None
    assert ids(filter_by_deadline(RelocationCase.objects.all(), "overdue")) == set()


def test_staff_queues_and_refusals(four_cases, officer, make_user):
    overdue, due_soon, _, _ = four_cases
    assert ids(sla.cases_overdue(officer)) == {overdue.pk}
    assert ids(sla.cases_due_soon(officer)) == {due_soon.pk}
    for role in (Role.CANDIDATE, Role.HOST_ADMIN, Role.ANALYST):
        with pytest.raises(PermissionRefused):
            sla.cases_overdue(make_user(role))


def test_escalation_reaches_every_supervisor_once_per_stay(four_cases, supervisor, make_user):
    overdue = four_cases[0]
    second = make_user(Role.SUPERVISOR)
    assert sla.escalate_overdue_cases() == 1
    assert sla.escalate_overdue_cases() == 0
    (escalation,) = SlaEscalation.objects.all()
    assert (escalation.case_id, escalation.stage, escalation.notified) == (overdue.pk, "opened", 2)
    for person in (supervisor, second):
        (notice,) = Notification.objects.filter(recipient=person, kind="deadline_passed")
        assert notice.context["object_id"] == overdue.pk
        assert notice.essential
    message = render_notification(notice, "en").message
    assert f"The stage 'opened' for Case {overdue.pk} was due by" in message
    entry = AuditEntry.objects.get(chain=f"case:{overdue.pk}", action="case.sla_escalated")
    assert entry.actor_id is None
    assert "due_at" in entry.fields
    # A new stay in the stage (the case re-entered it later) can be escalated again.
    entered_days_ago(overdue, 19)
    assert sla.escalate_overdue_cases() == 1


def test_escalation_task_runs_through_the_task_backend(four_cases):
    result = sla.escalate_overdue_cases_task.enqueue()
    assert result.return_value == 1


def test_time_in_stage_summarises_finished_stays(make_case, drive, make_user):
    first, _ = make_case()
    second, _ = make_case()
    entered_days_ago(first, 4)
    entered_days_ago(second, 2)
    drive(first, "prepared")
    drive(second, "prepared")
    (opened,) = [row for row in sla.time_in_stage(make_user(Role.ANALYST)) if row.stage == "opened"]
    assert opened.count == 2
    assert abs(opened.mean_seconds - 3 * 86400) < 120
    assert abs(opened.max_seconds - 4 * 86400) < 120
    assert abs(opened.p90_seconds - (2 * 86400 + 0.9 * 2 * 86400)) < 120
    with pytest.raises(PermissionRefused):
        sla.time_in_stage(make_user(Role.CANDIDATE))
    assert sla.time_in_stage(None, since=timezone.now() + timedelta(days=1)) == []
