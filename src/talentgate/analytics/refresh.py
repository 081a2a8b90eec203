"""Rebuilding the summary counts: one pass over each domain table, counted per month and per grain.

The pass streams the rows in primary-key or history order and counts in memory (a ``Counter`` keyed by
the summary row), because two of the figures need the history's order, which no portable GROUP BY
gives: an application's stay in a status ends at its *next* transition, and a record counts once per
period however often it re-entered a status (``prev_month``). Months and days are taken in the
site's time zone, as the live queries bound their periods. The new rows are written under a new
:class:`SummaryRefresh`; readers switch to it only once it is marked finished, and the older
refreshes are deleted after that, so a reader never sees a half-written summary. One refresh counts at a
time: a second one started meanwhile steps aside (:class:`RefreshRunning`) rather than racing the first.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from django.db import transaction
from django.utils import timezone

from talentgate.analytics import queries
from talentgate.analytics.models import SummaryCount, SummaryRefresh
from talentgate.cases.models import CaseTransition, Decision, RelocationCase, Stage
from talentgate.hosts.models import Offer, OfferStatus
from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector

#: Grain bits: which filter dimensions a summary row keeps.
SECTOR, COUNTRY, HOST = 1, 2, 4
GRAINS = range(8)
_BATCH = 5_000
#: An unfinished refresh started longer ago than this is taken to have died (a killed worker; a refresh that
#: fails drops itself at once): the next one runs and drops it. A whole rebuild over 1,000,000 candidates
#: takes minutes, not hours.
STALE_AFTER = dt.timedelta(hours=2)
_FOLLOW_UPS: dict[str, str] = {Stage.FOLLOW_UP_6M: "retained_6", Stage.FOLLOW_UP_12M: "retained_12"}

# A summary row's identity: (grain, measure, key, month, prev_month, bucket, day, sector, country, host).
RowKey = tuple[int, str, str, dt.date, dt.date | None, int | None, int | None, str | None, str | None, int | None]


def _month(moment: dt.datetime, zone: Any) -> dt.date:
    return moment.astimezone(zone).date().replace(day=1)


class _Tally:
    """The counts of one refresh, each occurrence spread over every grain it belongs to."""

    def __init__(self) -> None:
        self.counts: Counter[RowKey] = Counter()

    def add(
        self,
        measure: str,
        key: str,
        month: dt.date,
        sector: str,
        country: str,
        hosts: Iterable[int],
        *,
        prev_month: dt.date | None = None,
        bucket: int | None = None,
        day: int | None = None,
    ) -> None:
        hosts = tuple(hosts)
        for grain in GRAINS:
            kept_sector = sector if grain & SECTOR else None
            kept_country = country if grain & COUNTRY else None
            for host in hosts if grain & HOST else (None,):
                self.counts[(grain, measure, key, month, prev_month, bucket, day, kept_sector, kept_country, host)] += 1


def _sector_codes() -> dict[int, str]:
    return dict(PrioritySector.objects.values_list("pk", "code"))


def _application_facts(tally: _Tally, zone: Any) -> None:
    """Entries into funnel statuses and stays in statuses, per application, with the applicant's dimensions."""
    sectors = _sector_codes()
    hosts_of: dict[int, set[int]] = defaultdict(set)
    for profile_id, host in Offer.objects.values_list("profile_id", "opportunity__organisation_id").iterator(
        chunk_size=20_000
    ):
        hosts_of[profile_id].add(host)
    about: dict[int, tuple[str, str, tuple[int, ...]]] = {}
    for pk, sector_id, country, profile_id in Application.objects.values_list(
        "pk", "sector_preference_id", "profile__residence_country", "profile_id"
    ).iterator(chunk_size=20_000):
        about[pk] = (sectors.get(sector_id, ""), country or "", tuple(sorted(hosts_of.get(profile_id, ()))))
    funnel = {str(status) for status in queries.APPLICATION_FUNNEL}
    stays = {str(status) for status in queries.APPLICATION_STAYS}
    history = (
        ApplicationTransition.objects.order_by("application_id", "at", "pk")
        .values_list("application_id", "to_state", "at")
        .iterator(chunk_size=20_000)
    )
    for application_id, rows in groupby(history, key=lambda row: row[0]):
        sector, country, hosts = about[application_id]
        last_entry: dict[str, dt.date] = {}
        previous: tuple[str, dt.datetime] | None = None
        for _, state, at in rows:
            month = _month(at, zone)
            if state in funnel:
                tally.add("app_entry", state, month, sector, country, hosts, prev_month=last_entry.get(state))
                last_entry[state] = month
            if previous is not None and previous[0] in stays:
                seconds = int((at - previous[1]).total_seconds())
                tally.add("app_stay", previous[0], month, sector, country, hosts, bucket=queries.tenths_of_day(seconds))
            previous = (state, at)


def _case_facts(tally: _Tally, zone: Any) -> None:
    """Entries into stages, stays in stages, permit decisions, arrivals and the retained, per case."""
    sectors = _sector_codes()
    about: dict[int, tuple[str, str, tuple[int, ...], dt.date | None, dt.date | None]] = {}
    for pk, sector_id, country, host, arrived_on, departed_on in RelocationCase.objects.values_list(
        "pk", "sector_id", "origin_country", "organisation_id", "arrived_on", "departed_on"
    ).iterator(chunk_size=20_000):
        about[pk] = (sectors.get(sector_id, ""), country or "", (host,) if host else (), arrived_on, departed_on)
    funnel = {str(stage) for stage in queries.CASE_FUNNEL}
    retained: dict[int, set[str]] = defaultdict(set)
    history = (
        CaseTransition.objects.order_by("case_id", "left_at", "pk")
        .values_list("case_id", "from_stage", "to_stage", "left_at", "active_seconds")
        .iterator(chunk_size=20_000)
    )
    for case_id, rows in groupby(history, key=lambda row: row[0]):
        sector, country, hosts, _, departed_on = about[case_id]
        last_entry: dict[str, dt.date] = {}
        for _, from_stage, to_stage, left_at, active_seconds in rows:
            month = _month(left_at, zone)
            if to_stage in funnel:
                tally.add("case_entry", to_stage, month, sector, country, hosts, prev_month=last_entry.get(to_stage))
                last_entry[to_stage] = month
            if from_stage in funnel:
                bucket = queries.tenths_of_day(int(active_seconds))
                tally.add("case_stay", from_stage, month, sector, country, hosts, bucket=bucket)
            if to_stage in _FOLLOW_UPS and (departed_on is None or departed_on >= left_at.astimezone(zone).date()):
                retained[case_id].add(_FOLLOW_UPS[to_stage])
    for case_id, (sector, country, hosts, arrived_on, _) in about.items():
        if arrived_on is None:
            continue
        month = arrived_on.replace(day=1)
        for measure in ("arrival", *sorted(retained.get(case_id, ()))):
            tally.add(measure, "", month, sector, country, hosts, day=arrived_on.day)
    decisions = Decision.objects.filter(kind__in=[Decision.Kind.GRANT, Decision.Kind.REFUSAL]).values_list(
        "case_id", "kind", "decided_at"
    )
    for case_id, kind, decided_at in decisions.iterator(chunk_size=20_000):
        sector, country, hosts, _, _ = about[case_id]
        tally.add("permit", kind, _month(decided_at, zone), sector, country, hosts)


def _offer_facts(tally: _Tally, zone: Any) -> None:
    """Offers made and offers accepted, with the opportunity's sector and host and the person's residence."""
    sectors = _sector_codes()
    offers = Offer.objects.values_list(
        "opportunity__sector_id", "profile__residence_country", "opportunity__organisation_id",
        "created_at", "decided_at", "status",
    )  # fmt: skip
    for sector_id, country, host, created_at, decided_at, status in offers.iterator(chunk_size=20_000):
        sector = sectors.get(sector_id, "")
        tally.add("offer_made", "", _month(created_at, zone), sector, country or "", (host,))
        if status == OfferStatus.ACCEPTED and decided_at is not None:
            tally.add("offer_accepted", "", _month(decided_at, zone), sector, country or "", (host,))


def _lookup_order(item: tuple[RowKey, int]) -> tuple[int, str, dt.date, str]:
    grain, measure, key, month = item[0][:4]
    return grain, measure, month, key


def _summary_rows(refresh: SummaryRefresh, counts: Counter[RowKey]) -> Iterator[SummaryCount]:
    # Written in the order of the lookup index (grain, measure, month), so the rows one figure reads sit
    # together on disk: written in counting order, a year of one sector's stays (53,000 rows at 1,000,000
    # candidates) was spread over 42,000 pages.
    for (grain, measure, key, month, prev_month, bucket, day, sector, country, host), n in sorted(
        counts.items(), key=_lookup_order
    ):
        yield SummaryCount(
            refresh=refresh, grain=grain, measure=measure, key=key, month=month, prev_month=prev_month,
            bucket=bucket, day=day, sector=sector, country=country, host=host, n=n,
        )  # fmt: skip


class RefreshRunning(Exception):
    """Another refresh is still counting, so this one did not start; ``running`` is the other one."""

    def __init__(self, running: SummaryRefresh) -> None:
        super().__init__(f"a summary refresh started at {running.started_at:%Y-%m-%d %H:%M:%S} UTC is still running")
        self.running = running


def _claim(refresh: SummaryRefresh) -> None:
    """Step aside when an earlier, live refresh exists. Each refresh's row is committed before it looks, so of
    two started together the later row always sees the earlier one: exactly one of them goes on."""
    earlier = SummaryRefresh.objects.filter(
        pk__lt=refresh.pk, finished_at__isnull=True, started_at__gte=refresh.started_at - STALE_AFTER
    )
    running = earlier.order_by("pk").first()
    if running is not None:
        refresh.delete()
        raise RefreshRunning(running)


def _count(refresh: SummaryRefresh) -> _Tally:
    zone = timezone.get_current_timezone()
    tally = _Tally()
    _application_facts(tally, zone)
    _case_facts(tally, zone)
    _offer_facts(tally, zone)
    rows = _summary_rows(refresh, tally.counts)
    while batch := [row for _, row in zip(range(_BATCH), rows, strict=False)]:
        SummaryCount.objects.bulk_create(batch)
    return tally


def refresh_summaries() -> SummaryRefresh:
    """Count every figure's occurrences afresh, switch the dashboard to the new counts, drop the old ones.

    Raises :class:`RefreshRunning` (and changes nothing) while another refresh is counting."""
    clock = time.perf_counter()
    refresh = SummaryRefresh.objects.create(started_at=timezone.now())
    _claim(refresh)
    try:
        tally = _count(refresh)
    except BaseException:
        # A failed refresh must not hold off the next ones until it looks stale: drop it and its rows now.
        SummaryCount.objects.filter(refresh=refresh.pk).delete()
        refresh.delete()
        raise
    with transaction.atomic():
        refresh.finished_at = timezone.now()
        refresh.rows = len(tally.counts)
        refresh.seconds = round(time.perf_counter() - clock, 3)
        refresh.save(update_fields=["finished_at", "rows", "seconds"])
    older = SummaryRefresh.objects.exclude(pk=refresh.pk).filter(started_at__lte=refresh.started_at)
    SummaryCount.objects.filter(refresh__in=older).delete()
    older.delete()
    return refresh
