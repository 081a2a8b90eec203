"""Every dashboard figure equals an independent count: a raw SQL query over the same tables (the percentiles
sorted in Python from raw rows), for several filter sets, on SQLite and PostgreSQL alike; counted live by
``queries`` and read from the summaries after a refresh (``summaries.SummaryFigures``), which keep stays
in tenths of a day, the dashboard's precision."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict

import pytest

from talentgate.analytics import queries
from talentgate.analytics.filters import Filters, parse_filters
from talentgate.analytics.refresh import refresh_summaries
from talentgate.analytics.summaries import SummaryFigures
from talentgate.cases.models import CaseTransition, Decision, RelocationCase
from talentgate.cooperation.models import BlocMembership
from talentgate.hosts.models import Offer, Opportunity
from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, SectorTarget
from talentgate.reference.models import Country

from .world import TODAY, raw

pytestmark = pytest.mark.django_db

APP_T = ApplicationTransition._meta.db_table
APP = Application._meta.db_table
OFFER = Offer._meta.db_table
OPP = Opportunity._meta.db_table
CASE = RelocationCase._meta.db_table
CASE_T = CaseTransition._meta.db_table
DECISION = Decision._meta.db_table
SECTOR = PrioritySector._meta.db_table
TARGET = SectorTarget._meta.db_table
MEMBER = BlocMembership._meta.db_table
COUNTRY = Country._meta.db_table

FILTER_SETS = {
    "everything in 2026": {"period": "2026"},
    "space": {"period": "2026", "sector": "space"},
    "the bloc": {"period": "2026", "bloc": "test-bloc"},
    "the bloc before India joined": {"period": "2026-01-01..2026-06-30", "bloc": "test-bloc"},
    "one quarter": {"period": "2026-Q3"},
    "one host and year": {"period": "2026", "host": "Orbital Works"},
    "2027": {"period": "2027"},
}


@pytest.fixture(params=list(FILTER_SETS))
def filters(request, world) -> Filters:
    given = dict(FILTER_SETS[request.param])
    if "host" in given:
        given["host"] = str(world.hosts[given["host"]].pk)
    return parse_filters(**given)


@pytest.fixture(params=["live", "summary"])
def figures(request, world):
    """The figures' source: the live queries, or the summaries of a refresh made after the world was built."""
    return queries if request.param == "live" else SummaryFigures(refresh_summaries())


def _expected_spread(figures, values: list[int]) -> queries.Spread:
    median, p90 = _nearest_rank(values, 0.5), _nearest_rank(values, 0.9)
    if figures is not queries:  # summaries keep tenths of a day, given back in seconds
        median, p90 = (queries.tenths_of_day(v) * 8640 for v in (median, p90))
    return queries.Spread(len(values), median, p90)


def _bounds(f: Filters) -> list[dt.datetime]:
    return list(f.bounds())


def _sector_ids(f: Filters) -> list[int]:
    rows = raw(
        f"SELECT id FROM {SECTOR} WHERE code = %s OR parent_id IN (SELECT id FROM {SECTOR} WHERE code = %s)",
        [f.sector, f.sector],
    )
    return [row[0] for row in rows]


def _bloc_sql(f: Filters) -> tuple[str, list[object]]:
    return (
        f"SELECT m.country_id FROM {MEMBER} m JOIN cooperation_bloc b ON b.id = m.bloc_id WHERE b.code = %s "
        "AND m.kind = 'member' AND m.country_id IS NOT NULL AND m.start_date <= %s "
        "AND (m.end_date IS NULL OR m.end_date > %s)",
        [f.bloc, f.end, f.end],
    )


def _case_where(f: Filters, alias: str = "c") -> tuple[str, list[object]]:
    clauses, params = ["1 = 1"], []
    if f.sector:
        ids = _sector_ids(f)
        clauses.append(f"{alias}.sector_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if f.bloc:
        sql, bloc_params = _bloc_sql(f)
        clauses.append(f"{alias}.origin_country IN ({sql})")
        params += bloc_params
    if f.host is not None:
        clauses.append(f"{alias}.organisation_id = %s")
        params.append(f.host)
    return " AND ".join(clauses), params


def _application_where(f: Filters) -> tuple[str, list[object]]:
    clauses, params = ["1 = 1"], []
    if f.sector:
        ids = _sector_ids(f)
        clauses.append(f"a.sector_preference_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if f.bloc:
        sql, bloc_params = _bloc_sql(f)
        clauses.append(f"a.profile_id IN (SELECT id FROM candidates_profile WHERE residence_country IN ({sql}))")
        params += bloc_params
    if f.host is not None:
        clauses.append(
            f"EXISTS (SELECT 1 FROM {OFFER} o JOIN {OPP} op ON op.id = o.opportunity_id "
            "WHERE o.profile_id = a.profile_id AND op.organisation_id = %s)"
        )
        params.append(f.host)
    return " AND ".join(clauses), params


def _offer_where(f: Filters) -> tuple[str, list[object]]:
    clauses, params = ["1 = 1"], []
    if f.sector:
        ids = _sector_ids(f)
        clauses.append(f"op.sector_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if f.bloc:
        sql, bloc_params = _bloc_sql(f)
        clauses.append(f"o.profile_id IN (SELECT id FROM candidates_profile WHERE residence_country IN ({sql}))")
        params += bloc_params
    if f.host is not None:
        clauses.append("op.organisation_id = %s")
        params.append(f.host)
    return " AND ".join(clauses), params


def test_applications_by_status_reached_equal_sql(filters, figures):
    where, params = _application_where(filters)
    rows = raw(
        f"SELECT t.to_state, COUNT(DISTINCT t.application_id) FROM {APP_T} t JOIN {APP} a ON a.id = t.application_id "
        f"WHERE t.at >= %s AND t.at < %s AND {where} GROUP BY t.to_state",
        [*_bounds(filters), *params],
    )
    expected = {state: n for state, n in rows if state in queries.APPLICATION_FUNNEL}
    got = figures.applications_by_status_reached(filters)
    assert {k: v for k, v in got.items() if v} == expected
    assert list(got) == [str(s) for s in queries.APPLICATION_FUNNEL]


def test_offers_made_and_accepted_equal_sql(filters, figures):
    where, params = _offer_where(filters)
    base = f"SELECT COUNT(*) FROM {OFFER} o JOIN {OPP} op ON op.id = o.opportunity_id WHERE {where}"
    made = raw(f"{base} AND o.created_at >= %s AND o.created_at < %s", [*params, *_bounds(filters)])[0][0]
    accepted = raw(
        f"{base} AND o.status = 'accepted' AND o.decided_at >= %s AND o.decided_at < %s", [*params, *_bounds(filters)]
    )[0][0]
    assert figures.offers_made(filters) == made
    assert figures.offers_accepted(filters) == accepted


def test_cases_by_stage_reached_equal_sql(filters, figures):
    where, params = _case_where(filters)
    rows = raw(
        f"SELECT t.to_stage, COUNT(DISTINCT t.case_id) FROM {CASE_T} t JOIN {CASE} c ON c.id = t.case_id "
        f"WHERE t.left_at >= %s AND t.left_at < %s AND {where} GROUP BY t.to_stage",
        [*_bounds(filters), *params],
    )
    got = figures.cases_by_stage_reached(filters)
    assert {k: v for k, v in got.items() if v} == dict(rows)


def _nearest_rank(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def test_case_time_in_stage_equals_sorted_sql_rows(filters, figures):
    where, params = _case_where(filters)
    rows = raw(
        f"SELECT t.from_stage, t.active_seconds FROM {CASE_T} t JOIN {CASE} c ON c.id = t.case_id "
        f"WHERE t.left_at >= %s AND t.left_at < %s AND t.from_stage <> '' AND {where}",
        [*_bounds(filters), *params],
    )
    by_stage: dict[str, list[int]] = defaultdict(list)
    for stage, seconds in rows:
        by_stage[stage].append(int(seconds))
    got = figures.case_time_in_stage(filters)
    assert set(got) == set(by_stage)
    for stage, values in by_stage.items():
        assert got[stage] == _expected_spread(figures, values)


def test_application_time_in_status_equals_stays_from_sql_rows(filters, figures):
    where, params = _application_where(filters)
    rows = raw(
        f"SELECT t.application_id, t.to_state, t.at, t.id FROM {APP_T} t JOIN {APP} a ON a.id = t.application_id "
        f"WHERE {where} ORDER BY t.application_id, t.at, t.id",
        params,
    )
    first, after = filters.bounds()
    stays: dict[str, list[int]] = defaultdict(list)
    for current, following in itertools.pairwise(rows):
        if current[0] != following[0]:
            continue
        entered, left = _as_datetime(current[2]), _as_datetime(following[2])
        if first <= left < after:
            stays[current[1]].append(int((left - entered).total_seconds()))
    got = figures.application_time_in_status(filters)
    assert set(got) == set(stays)
    for status, values in stays.items():
        assert got[status] == _expected_spread(figures, values)


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def _arrived_sql(filters: Filters) -> tuple[str, list[object]]:
    where, params = _case_where(filters)
    return f"FROM {CASE} c WHERE c.arrived_on >= %s AND c.arrived_on <= %s AND {where}", [
        filters.start,
        filters.end,
        *params,
    ]


def test_arrivals_by_country_region_sector_and_bloc_equal_sql(filters, figures):
    body, params = _arrived_sql(filters)
    assert figures.arrivals(filters) == raw(f"SELECT COUNT(*) {body}", params)[0][0]
    assert figures.arrivals_by_country(filters) == dict(
        raw(f"SELECT c.origin_country, COUNT(*) {body} GROUP BY c.origin_country", params)
    )
    regions = raw(
        f"SELECT COALESCE(k.region, ''), COUNT(*) FROM {CASE} c LEFT JOIN {COUNTRY} k ON k.iso_alpha2 = c.origin_country "
        f"WHERE c.id IN (SELECT c.id {body}) GROUP BY COALESCE(k.region, '')",
        params,
    )
    assert figures.arrivals_by_region(filters) == dict(regions)
    sectors = raw(
        f"SELECT COALESCE(s.code, ''), COUNT(*) FROM {CASE} c LEFT JOIN {SECTOR} s ON s.id = c.sector_id "
        f"WHERE c.id IN (SELECT c.id {body}) GROUP BY COALESCE(s.code, '')",
        params,
    )
    assert figures.arrivals_by_sector(filters) == dict(sectors)
    by_bloc = figures.arrivals_by_bloc(filters)
    for code in ("test-bloc", "brics"):
        members = raw(
            f"SELECT m.country_id FROM {MEMBER} m JOIN cooperation_bloc b ON b.id = m.bloc_id WHERE b.code = %s "
            "AND m.kind = 'member' AND m.country_id IS NOT NULL AND m.start_date <= %s "
            "AND (m.end_date IS NULL OR m.end_date > %s)",
            [code, filters.end, filters.end],
        )
        codes = {row[0] for row in members}
        origins = raw(f"SELECT c.origin_country {body}", params)
        assert by_bloc[code] == sum(1 for (origin,) in origins if origin in codes)


def test_sector_targets_equal_sql(filters, figures):
    clauses, params = "", list(filters.years)
    if filters.sector:
        ids = _sector_ids(filters)
        clauses = f" AND t.sector_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    rows = raw(
        f"SELECT s.code, SUM(t.target_count) FROM {TARGET} t JOIN {SECTOR} s ON s.id = t.sector_id "
        f"WHERE t.year IN ({', '.join(['%s'] * len(filters.years))}) AND t.region = ''{clauses} GROUP BY s.code",
        params,
    )
    assert figures.sector_targets(filters) == {code: int(total) for code, total in rows}


def test_permit_outcomes_equal_sql(filters, figures):
    where, params = _case_where(filters)
    rows = dict(
        raw(
            f"SELECT d.kind, COUNT(*) FROM {DECISION} d JOIN {CASE} c ON c.id = d.case_id "
            f"WHERE d.decided_at >= %s AND d.decided_at < %s AND {where} GROUP BY d.kind",
            [*_bounds(filters), *params],
        )
    )
    assert figures.permit_outcomes(filters) == {"granted": rows.get("grant", 0), "refused": rows.get("refusal", 0)}


@pytest.mark.parametrize("months", [6, 12])
def test_retention_equals_sql(filters, figures, months):
    body, params = _arrived_sql(filters)
    cutoff = queries.months_before(TODAY, months)
    stage = f"follow_up_{months}m"
    arrived = raw(f"SELECT c.id, c.arrived_on, c.departed_on {body}", params)
    followed = {
        case_id: _as_datetime(left).date()
        for case_id, left in raw(f"SELECT case_id, left_at FROM {CASE_T} WHERE to_stage = %s", [stage])
    }
    due = [row for row in arrived if _as_date(row[1]) <= cutoff]
    retained = [row for row in due if row[0] in followed and (row[2] is None or _as_date(row[2]) >= followed[row[0]])]
    got = figures.retention(filters, months, today=TODAY)
    assert (got.arrived, got.due, got.retained) == (len(arrived), len(due), len(retained))


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- the known world, by hand: the filters move the figures as they should ------------------------------------------------


def test_known_figures_for_2026(world, figures):
    f = parse_filters("2026")
    assert figures.arrivals(f) == 4  # ada, bo, chen, dita
    assert figures.arrivals_by_country(f) == {"NG": 2, "IN": 1, "DE": 1}
    assert figures.arrivals_by_region(f) == {"Africa": 2, "Asia": 1, "Europe": 1}
    assert figures.arrivals_by_sector(f) == {"ai": 2, "space": 2}
    assert figures.sector_targets(f) == {"ai": 4, "space": 10}
    assert figures.permit_outcomes(f) == {"granted": 4, "refused": 1}
    assert figures.offers_accepted(f) == 6
    assert figures.applications_by_status_reached(f)["submitted"] == 5  # eli submitted in 2025, gus in 2027
    assert figures.cases_by_stage_reached(f)["arrived"] == 4


def test_the_bloc_counts_members_as_of_the_periods_last_day(world, figures):
    whole_year = parse_filters("2026", bloc="test-bloc")
    first_half = parse_filters("2026-01-01..2026-06-30", bloc="test-bloc")
    assert figures.arrivals(whole_year) == 3  # NG twice, and IN (a member from 1 July)
    assert figures.arrivals(first_half) == 1  # ada (NG) arrived in May; India not yet a member
    assert figures.arrivals_by_bloc(parse_filters("2024"))["test-bloc"] == 0


def test_sector_and_host_filters_narrow_the_figures(world, figures):
    space = parse_filters("2026", sector="space")
    assert figures.arrivals(space) == 2
    assert figures.sector_targets(space) == {"space": 10}
    assert figures.permit_outcomes(space) == {"granted": 2, "refused": 1}
    orbital = parse_filters("2026", host=str(world.hosts["Orbital Works"].pk))
    assert figures.arrivals(orbital) == 3
    assert figures.offers_accepted(orbital) == 3


def test_retention_counts_early_departures_out(world):
    f = parse_filters("2026")
    six = queries.retention(f, 6, today=TODAY)
    # Due by 2026-12-30: all four. Chen left in December before any follow-up and Dita had none yet;
    # Bo left in March 2027, after her 6-month follow-up, so she counts as retained at six months.
    assert (six.arrived, six.due, six.retained) == (4, 4, 2)
    assert six.rate == 50.0
    twelve = queries.retention(f, 12, today=TODAY)
    assert (twelve.due, twelve.retained) == (1, 1)  # ada only (arrived by 2026-06-30)


def test_case_time_in_stage_known_median(world):
    spread = queries.case_time_in_stage(parse_filters("2026"))["submitted"]
    # Days in 'submitted' (left for a decision in 2026): 30, 33, 35, 41, 35 -> median 35, p90 41.
    assert spread == queries.Spread(5, 35 * 86_400, 41 * 86_400)


def test_nearest_rank_and_months_before():
    assert [queries.nearest_rank(10, 0.5), queries.nearest_rank(10, 0.9), queries.nearest_rank(1, 0.9)] == [5, 9, 1]
    assert queries.months_before(dt.date(2027, 8, 31), 6) == dt.date(2027, 2, 28)
    assert queries.months_before(dt.date(2027, 1, 15), 12) == dt.date(2026, 1, 15)
