"""A small, known programme for the analytics tests (pages, API and command too), written row by row with chosen dates.

The figures need histories at exact moments (a stage left on a given day after so many active
seconds), which the services stamp with "now"; so the rows are written directly, each one as the
services would leave it. ``world`` returns the objects the tests filter by; ``raw`` runs a SQL
query with datetime parameters adapted for the database in use, for the independent counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from talentgate.candidates.models import Consent, Profile
from talentgate.cases.models import CaseTransition, Decision, RelocationCase
from talentgate.cooperation.models import Bloc, BlocMembership
from talentgate.hosts.models import Offer, Opportunity, Organisation
from talentgate.programmes.models import (
    Application,
    ApplicationTransition,
    PrioritySector,
    Programme,
    SectorTarget,
)

UTC = dt.UTC
TODAY = dt.date(2027, 6, 30)
DAY = 86_400


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=UTC)


@dataclass
class World:
    programme: Programme
    sectors: dict[str, PrioritySector]
    hosts: dict[str, Organisation]
    bloc: Bloc
    profiles: dict[str, Profile] = field(default_factory=dict)
    cases: dict[str, RelocationCase] = field(default_factory=dict)
    withdrawn: Profile | None = None


def raw(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run ``sql`` (``%s`` placeholders) with datetimes and dates adapted as Django stores them."""
    adapted = []
    for value in params:
        if isinstance(value, dt.datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        elif isinstance(value, dt.date):
            value = connection.ops.adapt_datefield_value(value)
        adapted.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted)
        return list(cursor.fetchall())


def _application(profile: Profile, programme: Programme, sector: PrioritySector, path: list[tuple[str, str]]) -> None:
    """An application moved along ``path`` [(status, day)...]; the first step is its submission."""
    status = path[-1][0]
    application = Application.objects.create(
        profile=profile, programme=programme, sector_preference=sector, status=status, submitted_at=at(path[0][1])
    )
    previous = "draft"
    for step, (state, day) in enumerate(path):
        ApplicationTransition.objects.create(
            application=application,
            transition=f"to_{state}",
            from_state=previous,
            to_state=state,
            at=at(day, 9 + step),
        )
        previous = state


def _case(
    world: World,
    name: str,
    *,
    host: str,
    sector: str,
    origin: str,
    path: list[tuple[str, str, int]],
    accepted: str,
    arrived_on: str | None = None,
    departed_on: str | None = None,
    decisions: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> RelocationCase:
    """A case opened from an accepted offer, moved along ``path`` [(stage, day entered, active days in the stage
    it left)...]; ``decisions`` are (kind, day)."""
    profile = world.profiles[name]
    opportunity = Opportunity.objects.filter(organisation=world.hosts[host], sector=world.sectors[sector]).first()
    if opportunity is None:
        opportunity = Opportunity.objects.create(
            organisation=world.hosts[host],
            title="Engineer",
            kind="position",
            sector=world.sectors[sector],
            country_id="RU",
        )
    offer = Offer.objects.create(
        opportunity=opportunity,
        profile=profile,
        terms="Two years",
        expires_at=at(accepted) + dt.timedelta(days=7),
        status="accepted",
        decided_at=at(accepted, 15),
    )
    Offer.objects.filter(pk=offer.pk).update(created_at=at(accepted, 8))
    case = RelocationCase.objects.create(
        programme=world.programme,
        kind="specialist",
        source="offer",
        profile=profile,
        offer=offer,
        organisation=world.hosts[host],
        sector=world.sectors[sector],
        origin_country=origin,
        stage=path[-1][0],
        opened_at=at(path[0][1]),
        stage_entered_at=at(path[-1][1]),
        arrived_on=dt.date.fromisoformat(arrived_on) if arrived_on else None,
        departed_on=dt.date.fromisoformat(departed_on) if departed_on else None,
        departure_reason="Family reasons" if departed_on else "",
        end_reason="Changed plans" if path[-1][0] == "withdrawn" else "",
    )
    previous, entered = "", at(path[0][1])
    for version, (stage, day, active_days) in enumerate(path, start=1):
        CaseTransition.objects.create(
            case=case,
            transition=f"to_{stage}",
            from_stage=previous,
            to_stage=stage,
            entered_at=entered,
            left_at=at(day),
            active_seconds=active_days * DAY,
            version=version,
        )
        previous, entered = stage, at(day)
    for kind, day in decisions:
        Decision.objects.create(
            case=case, kind=kind, legal_ground="Federal law", reasons="As the law requires.", decided_at=at(day)
        )
    world.cases[name] = case
    return case


def build_world() -> World:
    programme = Programme.objects.create(code="talent", name_en="Talent attraction", name_ru="Привлечение талантов")
    sectors = {
        "space": PrioritySector.objects.create(code="space", name_en="Space industry", name_ru="Космическая отрасль"),
        "ai": PrioritySector.objects.create(
            code="ai", name_en="Artificial intelligence", name_ru="Искусственный интеллект"
        ),
    }
    for sector, year, region, target in [
        ("space", 2026, "", 10),
        ("ai", 2026, "", 4),
        ("space", 2027, "", 12),
        ("space", 2026, "Moscow", 3),  # a regional target: not part of the whole-country figure
    ]:
        SectorTarget.objects.create(
            programme=programme, sector=sectors[sector], year=year, region=region, target_count=target
        )
    hosts = {
        name: Organisation.objects.create(name=name, kind="private_company", country_id="RU", verification="verified")
        for name in ("Orbital Works", "Neural Labs")
    }
    bloc = Bloc.objects.create(code="test-bloc", acronym_en="TB", acronym_ru="ТБ", name_en="Test bloc", kind="bloc")
    # NG a member since 2020; IN joins mid-2026, so it counts for a period ending after 1 July only.
    BlocMembership.objects.create(bloc=bloc, country_id="NG", start_date=dt.date(2020, 1, 1))
    BlocMembership.objects.create(bloc=bloc, country_id="IN", start_date=dt.date(2026, 7, 1))
    BlocMembership.objects.create(
        bloc=bloc, country_id="BR", start_date=dt.date(2010, 1, 1), end_date=dt.date(2025, 1, 1)
    )
    w = World(programme, sectors, hosts, bloc)
    for index, (name, country) in enumerate(
        [("ada", "NG"), ("bo", "NG"), ("chen", "IN"), ("dita", "DE"), ("eli", "BR"), ("fay", "IN"), ("gus", "")]
    ):
        w.profiles[name] = Profile.objects.create(
            external_id=f"analytics-{index}",
            given_names_latin=name.title(),
            date_of_birth=dt.date(1990, 1, 1),
            sex="female",
            residence_country=country,
        )

    space, ai = sectors["space"], sectors["ai"]
    _application(
        w.profiles["ada"],
        programme,
        space,
        [
            ("submitted", "2026-01-10"),
            ("screening", "2026-01-20"),
            ("assessed", "2026-02-01"),
            ("invited", "2026-02-10"),
            ("matched", "2026-02-20"),
        ],
    )
    _application(
        w.profiles["bo"],
        programme,
        space,
        [
            ("submitted", "2026-03-01"),
            ("screening", "2026-03-04"),
            ("assessed", "2026-03-30"),
            ("invited", "2026-04-02"),
            ("matched", "2026-04-12"),
        ],
    )
    _application(
        w.profiles["chen"],
        programme,
        ai,
        [
            ("submitted", "2026-05-05"),
            ("screening", "2026-05-06"),
            ("assessed", "2026-05-26"),
            ("invited", "2026-06-01"),
            ("matched", "2026-06-03"),
        ],
    )
    _application(
        w.profiles["dita"],
        programme,
        ai,
        [("submitted", "2026-07-07"), ("screening", "2026-07-30"), ("rejected", "2026-08-15")],
    )
    _application(
        w.profiles["eli"],
        programme,
        space,
        [
            ("submitted", "2025-12-20"),
            ("screening", "2026-01-05"),
            ("assessed", "2026-01-19"),
            ("invited", "2026-01-25"),
            ("matched", "2026-02-02"),
        ],
    )
    _application(w.profiles["fay"], programme, space, [("submitted", "2026-11-11")])
    _application(w.profiles["gus"], programme, ai, [("submitted", "2027-01-03"), ("screening", "2027-01-09")])

    happy = ["opened", "prepared", "approved", "submitted", "permit_granted", "relocating", "arrived"]
    _case(
        w,
        "ada",
        host="Orbital Works",
        sector="space",
        origin="NG",
        accepted="2026-02-25",
        path=[
            ("opened", "2026-02-26", 0),
            ("prepared", "2026-03-10", 9),
            ("approved", "2026-03-15", 4),
            ("submitted", "2026-03-20", 5),
            ("permit_granted", "2026-04-20", 30),
            ("relocating", "2026-05-01", 11),
            ("arrived", "2026-05-20", 19),
            ("follow_up_6m", "2026-11-20", 184),
            ("follow_up_12m", "2027-05-20", 181),
        ],
        arrived_on="2026-05-20",
        decisions=[("approval", "2026-03-15"), ("grant", "2026-04-20")],
    )
    _case(
        w,
        "bo",
        host="Orbital Works",
        sector="space",
        origin="NG",
        accepted="2026-04-15",
        path=[
            ("opened", "2026-04-16", 0),
            ("prepared", "2026-04-30", 12),
            ("approved", "2026-05-02", 2),
            ("submitted", "2026-05-05", 3),
            ("permit_granted", "2026-06-10", 33),
            ("relocating", "2026-06-15", 5),
            ("arrived", "2026-07-01", 16),
            ("follow_up_6m", "2027-01-02", 185),
        ],
        arrived_on="2026-07-01",
        departed_on="2027-03-01",
        decisions=[("grant", "2026-06-10")],
    )
    _case(
        w,
        "chen",
        host="Neural Labs",
        sector="ai",
        origin="IN",
        accepted="2026-06-05",
        path=[
            ("opened", "2026-06-06", 0),
            ("prepared", "2026-06-20", 14),
            ("approved", "2026-06-22", 2),
            ("submitted", "2026-06-25", 3),
            ("permit_granted", "2026-07-30", 35),
            ("relocating", "2026-08-02", 3),
            ("arrived", "2026-08-20", 18),
        ],
        arrived_on="2026-08-20",
        departed_on="2026-12-01",
        decisions=[("grant", "2026-07-30")],
    )
    _case(
        w,
        "eli",
        host="Neural Labs",
        sector="space",
        origin="BR",
        accepted="2026-02-05",
        path=[
            ("opened", "2026-02-06", 0),
            ("prepared", "2026-02-28", 22),
            ("approved", "2026-03-03", 3),
            ("submitted", "2026-03-06", 3),
            ("permit_refused", "2026-04-16", 41),
        ],
        decisions=[("refusal", "2026-04-16")],
    )
    _case(
        w,
        "dita",
        host="Orbital Works",
        sector="ai",
        origin="DE",
        accepted="2026-09-01",
        path=[
            (stage, day, n)
            for (stage, day, n) in zip(
                happy,
                ["2026-09-02", "2026-09-12", "2026-09-14", "2026-09-20", "2026-10-25", "2026-11-01", "2026-12-10"],
                [0, 10, 2, 6, 35, 7, 39],
                strict=True,
            )
        ],
        arrived_on="2026-12-10",
        decisions=[("grant", "2026-10-25")],
    )
    _case(
        w,
        "gus",
        host="Neural Labs",
        sector="ai",
        origin="",
        accepted="2026-12-20",
        path=[("opened", "2026-12-21", 0), ("withdrawn", "2027-01-15", 25)],
    )
    # Dita withdrew her consent to anonymised analytics; Ada withdrew and gave it again.
    Consent.objects.create(
        profile=w.profiles["dita"],
        purpose="anonymised_analytics",
        version="1",
        given_at=at("2026-01-01"),
        withdrawn_at=at("2026-06-01"),
    )
    Consent.objects.create(
        profile=w.profiles["ada"],
        purpose="anonymised_analytics",
        version="1",
        given_at=at("2026-01-01"),
        withdrawn_at=at("2026-02-01"),
    )
    Consent.objects.create(
        profile=w.profiles["ada"], purpose="anonymised_analytics", version="2", given_at=at("2026-02-02")
    )
    w.withdrawn = w.profiles["dita"]
    return w
