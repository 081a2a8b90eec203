"""The summaries: after a refresh the dashboard reads them and shows their as-of time, every table equal to the live
count; a change after the refresh shows only after the next one; periods the monthly summaries cannot answer, and
a programme never refreshed, are counted live and say so; the refresh is scheduled and has a command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from typer.testing import CliRunner

from talentgate.analytics import queries, selectors
from talentgate.analytics.dashboard import build_dashboard
from talentgate.analytics.filters import parse_filters
from talentgate.analytics.models import SummaryCount, SummaryRefresh
from talentgate.analytics.refresh import STALE_AFTER, RefreshRunning, refresh_summaries
from talentgate.analytics.summaries import SummaryFigures, covers, current_dashboard
from talentgate.cases.models import RelocationCase
from talentgate.cli import app
from talentgate.common.schedule import HOURLY, entries
from talentgate.programmes.models import Application, ApplicationTransition

from .test_queries import FILTER_SETS
from .world import TODAY, at

pytestmark = pytest.mark.django_db


def _given(world, name: str) -> dict[str, str]:
    given = dict(FILTER_SETS[name])
    if "host" in given:
        given["host"] = str(world.hosts[given["host"]].pk)
    return given


@pytest.mark.parametrize("name", list(FILTER_SETS))
def test_every_table_from_the_summaries_equals_the_live_count(world, name):
    refresh = refresh_summaries()
    filters = parse_filters(**_given(world, name))
    from_summary = current_dashboard(filters, today=TODAY)
    live = build_dashboard(filters, today=TODAY)
    assert from_summary.from_summary
    assert not live.from_summary
    assert from_summary.counted_at == refresh.started_at
    for summary_table, live_table in zip(from_summary.tables, live.tables, strict=True):
        assert summary_table.key == live_table.key
        assert summary_table.rows == live_table.rows, summary_table.key


@pytest.mark.parametrize("period", ["2026", "2026-Q1", "2026-03-01..2026-04-30", "2026-04-01..2026-04-30", "2026-Q2"])
def test_an_application_reentering_a_status_counts_once_per_period(world, period):
    application = Application.objects.filter(history__to_state="screening").first()
    for day in ("2026-03-10", "2026-03-20", "2026-04-05"):
        for state in ("submitted", "screening"):
            ApplicationTransition.objects.create(
                application=application, transition=f"to_{state}", from_state="", to_state=state, at=at(day)
            )
    filters = parse_filters(period)
    summary = SummaryFigures(refresh_summaries())
    assert summary.applications_by_status_reached(filters) == queries.applications_by_status_reached(filters)
    assert summary.application_time_in_status(filters) == {
        status: queries.Spread(s.count, *(queries.tenths_of_day(v) * 8640 for v in (s.median_seconds, s.p90_seconds)))
        for status, s in queries.application_time_in_status(filters).items()
    }


def test_a_change_after_the_refresh_shows_only_after_the_next_one(analyst, world):
    filters = parse_filters("2026")
    first = refresh_summaries()
    before = selectors.dashboard_for(analyst, filters)
    arrivals = dict(before.table("outcomes").rows)["arrivals"]
    late = RelocationCase.objects.filter(arrived_on__isnull=True).first()
    RelocationCase.objects.filter(pk=late.pk).update(arrived_on=dt.date(2026, 11, 2))
    stale = selectors.dashboard_for(analyst, filters)
    assert dict(stale.table("outcomes").rows)["arrivals"] == arrivals
    assert stale.counted_at == first.started_at
    second = refresh_summaries()
    fresh = selectors.dashboard_for(analyst, filters)
    assert dict(fresh.table("outcomes").rows)["arrivals"] == arrivals + 1
    assert fresh.counted_at == second.started_at > first.started_at
    assert list(SummaryRefresh.objects.values_list("pk", flat=True)) == [second.pk]  # the old counts are gone
    assert not SummaryCount.objects.filter(refresh=first.pk).exists()


def test_the_page_and_the_exports_show_the_as_of_time(client, analyst, world):
    client.force_login(analyst)
    analyst_client = client
    refresh = refresh_summaries()
    stamp = refresh.started_at.strftime("%Y-%m-%d %H:%M")
    page = analyst_client.get(reverse("portal:analytics:dashboard"), {"period": "2026"}).content.decode()
    assert f"Figures as of {date_format(refresh.started_at, 'SHORT_DATETIME_FORMAT')} UTC" in page
    csv_text = analyst_client.get(reverse("portal:analytics:export", kwargs={"fmt": "csv"}), {"period": "2026"})
    assert csv_text.content.decode("utf-8-sig").splitlines()[-1] == f"about,figures as of,,{stamp} UTC"


def test_without_a_summary_the_dashboard_counts_live_and_says_why(client, analyst, world):
    client.force_login(analyst)
    analyst_client = client
    board = selectors.dashboard_for(analyst, parse_filters("2026"))
    assert not board.from_summary
    assert "no summary has been refreshed yet" in board.live_reason
    page = analyst_client.get(reverse("portal:analytics:dashboard"), {"period": "2026"}).content.decode()
    assert "Counted live from the records at" in page
    assert "no summary has been refreshed yet" in page


def test_a_period_of_part_months_is_counted_live(analyst, world):
    refresh_summaries()
    part = parse_filters("2026-01-15..2026-06-30")
    assert not covers(part)
    assert covers(parse_filters("2026-Q3"))
    board = selectors.dashboard_for(analyst, part)
    assert not board.from_summary
    assert "whole months" in board.live_reason
    assert board.table("outcomes").rows == build_dashboard(part).table("outcomes").rows


def test_the_refresh_is_scheduled_hourly():
    entry = {e.task_path: e for e in entries()}["talentgate.analytics.tasks.refresh_analytics_summaries"]
    assert entry.interval == HOURLY


def test_the_scheduled_task_refreshes(world):
    from talentgate.analytics.tasks import refresh_analytics_summaries

    result = refresh_analytics_summaries.call()
    refresh = SummaryRefresh.objects.get()
    assert result == {"as_of": refresh.started_at.isoformat(), "rows": refresh.rows, "seconds": refresh.seconds}
    assert refresh.rows == SummaryCount.objects.count() > 0


def test_the_refresh_and_status_commands(world):
    runner = CliRunner()
    never = runner.invoke(app, ["analytics", "status"])
    assert never.exit_code == 1
    assert "no summary yet" in never.output
    done = runner.invoke(app, ["analytics", "refresh"])
    assert done.exit_code == 0, done.output
    refresh = SummaryRefresh.objects.get()
    assert f"{refresh.rows:,} rows" in done.output
    shown = runner.invoke(app, ["analytics", "status"])
    assert shown.exit_code == 0
    assert refresh.started_at.strftime("%Y-%m-%d %H:%M:%S") in shown.output


def test_a_refresh_started_while_another_counts_steps_aside_and_changes_nothing(world):
    kept = refresh_summaries()
    counts = SummaryCount.objects.count()
    running = SummaryRefresh.objects.create(started_at=timezone.now())
    with pytest.raises(RefreshRunning) as refused:
        refresh_summaries()
    assert refused.value.running == running
    assert "is still running" in str(refused.value)
    assert set(SummaryRefresh.objects.values_list("pk", flat=True)) == {kept.pk, running.pk}
    assert SummaryCount.objects.count() == counts
    from talentgate.analytics.tasks import refresh_analytics_summaries

    assert refresh_analytics_summaries.call()["running_since"] == running.started_at.isoformat()
    refused_cli = CliRunner().invoke(app, ["analytics", "refresh"])
    assert refused_cli.exit_code == 1
    assert "not refreshed" in refused_cli.output
    assert SummaryRefresh.objects.count() == 2


def test_a_refresh_left_unfinished_long_ago_is_taken_as_dead_and_dropped(world):
    dead = SummaryRefresh.objects.create(started_at=timezone.now() - STALE_AFTER - dt.timedelta(minutes=1))
    SummaryCount.objects.create(refresh=dead, grain=0, measure="offer_made", key="", month=dt.date(2026, 1, 1), n=1)
    done = refresh_summaries()
    assert list(SummaryRefresh.objects.values_list("pk", flat=True)) == [done.pk]
    assert not SummaryCount.objects.filter(refresh=dead.pk).exists()


def test_a_refresh_that_fails_drops_itself_so_the_next_one_is_not_held_off(world, monkeypatch):
    from talentgate.analytics import refresh as refresh_module

    def broken(tally, zone):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(refresh_module, "_case_facts", broken)
    with pytest.raises(RuntimeError):
        refresh_summaries()
    assert not SummaryRefresh.objects.exists()
    assert not SummaryCount.objects.exists()
    monkeypatch.undo()
    assert refresh_summaries().rows == SummaryCount.objects.count() > 0


# --- targets for part of a year are prorated ----------------------------------------------------------------------


def test_prorated_target_rounds_half_up_by_days():
    assert queries.prorated_target(825, 181, 365) == 409  # 825 × 181 / 365 = 409.1
    assert queries.prorated_target(10, 73, 365) == 2  # exactly 2.0
    assert queries.prorated_target(1, 183, 366) == 1  # exactly one half: up
    assert queries.prorated_target(12, 0, 365) == 0


@pytest.mark.parametrize("refreshed", [False, True], ids=["live", "from the summaries"])
def test_a_part_year_period_shows_its_prorated_target_beside_the_whole_year(world, refreshed):
    if refreshed:
        refresh_summaries()
    half = current_dashboard(parse_filters("2026-01-01..2026-06-30"), today=TODAY).table("arrivals_by_sector")
    assert half.columns[2:] == ["Target for the period", "Of target, %", "Whole-year target"]
    rows = {row[0]: row[1:] for row in half.rows}
    # 181 of 2026's 365 days: space 10 × 181 / 365 = 4.96 -> 5, AI 4 × 181 / 365 = 1.98 -> 2.
    assert rows["Space industry"][1:] == [5, round(100 * rows["Space industry"][0] / 5, 1), 10]
    assert rows["Artificial intelligence"][1] == 2
    assert rows["Artificial intelligence"][3] == 4
    assert "2026: 181 of 365 days" in half.note
    across = current_dashboard(parse_filters("2026-07-01..2027-06-30"), today=TODAY).table("arrivals_by_sector")
    space = next(row for row in across.rows if row[0] == "Space industry")
    # 2026: 10 × 184 / 365 = 5.04 -> 5; 2027: 12 × 181 / 365 = 5.95 -> 6; the whole years: 10 + 12.
    assert (space[2], space[4]) == (11, 22)
    assert "2026: 184 of 365 days; 2027: 181 of 365 days" in across.note
    whole = current_dashboard(parse_filters("2026"), today=TODAY).table("arrivals_by_sector")
    assert next(row for row in whole.rows if row[0] == "Space industry")[2] == 10
    assert "prorated" not in whole.note


def test_the_page_says_how_the_target_was_prorated(client, analyst, world):
    client.force_login(analyst)
    page = client.get(reverse("portal:analytics:dashboard"), {"period": "2026-Q1"}).content.decode()
    # 90 of 365 days: space 10 × 90 / 365 = 2.47 -> 2.
    assert "prorated by days (2026: 90 of 365 days)" in page
    assert "Target for the period" in page
