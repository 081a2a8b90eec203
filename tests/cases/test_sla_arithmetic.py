"""The deadline arithmetic: pauses clipped to the stage and counted once, due dates moving with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from talentgate.cases.sla import DEFAULT_STAGE_DEADLINES, DeadlineState, StageSla, deadline_from

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_no_pauses_means_no_paused_time():
    assert deadline_from("opened", T0, StageSla(10, 2), [], now=day(10)).paused == timedelta(0)


def test_overlapping_pauses_count_once():
    pauses = [(day(1), day(4)), (day(2), day(3)), (day(3.5), day(5))]
    assert deadline_from("opened", T0, StageSla(10, 2), pauses, now=day(10)).paused == timedelta(days=4)


def test_pauses_are_clipped_to_the_stage_and_to_now():
    pauses = [(day(-3), day(2)), (day(8), None)]
    # Before the stage began nothing counts; the open pause runs only until now.
    deadline = deadline_from("opened", T0, StageSla(10, 2), pauses, now=day(9))
    assert deadline.paused == timedelta(days=3)
    assert deadline.is_paused


def test_pause_entirely_before_the_stage_is_ignored():
    assert deadline_from("opened", T0, StageSla(10, 2), [(day(-5), day(-1))], now=day(3)).paused == timedelta(0)


def test_due_date_moves_by_the_paused_time():
    sla = StageSla(days=10, warning_days=2)
    unpaused = deadline_from("opened", T0, sla, [], now=day(5))
    paused = deadline_from("opened", T0, sla, [(day(1), day(4))], now=day(5))
    assert unpaused.due_at == day(10)
    assert paused.due_at == day(13)
    assert paused.active_time == timedelta(days=2)
    assert not paused.is_paused


def test_states_on_track_due_soon_overdue():
    sla = StageSla(days=10, warning_days=2)
    assert deadline_from("opened", T0, sla, [], now=day(7.9)).state == DeadlineState.ON_TRACK
    assert deadline_from("opened", T0, sla, [], now=day(8)).state == DeadlineState.DUE_SOON
    assert deadline_from("opened", T0, sla, [], now=day(10)).state == DeadlineState.DUE_SOON
    assert deadline_from("opened", T0, sla, [], now=day(10.01)).state == DeadlineState.OVERDUE


def test_open_pause_keeps_a_case_from_becoming_overdue():
    sla = StageSla(days=10, warning_days=2)
    waiting = deadline_from("opened", T0, sla, [(day(5), None)], now=day(40))
    assert waiting.is_paused
    assert waiting.state == DeadlineState.ON_TRACK
    assert waiting.due_at == day(45)


def test_defaults_cover_every_open_stage_and_warn_before_the_end():
    assert set(DEFAULT_STAGE_DEADLINES) == {
        "opened",
        "prepared",
        "approved",
        "submitted",
        "permit_granted",
        "relocating",
        "arrived",
        "follow_up_6m",
        "follow_up_12m",
    }
    assert all(0 < sla.warning_days < sla.days for sla in DEFAULT_STAGE_DEADLINES.values())
