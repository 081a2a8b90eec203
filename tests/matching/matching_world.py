"""A small matching world built through the services, shared by the matching, API and portal tests.

Four invited applicants and three published opportunities of two verified organisations::

    skill A, B, C (ESCO-shaped URIs)
    ann: A, B      bob: A      cat: B, C and Russian B2      dan: nothing, secondary school only
    org 1: "Propulsion" (capacity 1, needs A), "Avionics" (capacity 2, needs B)
    org 2: "Comms" (capacity 1, needs C and Russian B1)
    every opportunity needs a bachelor's degree, so dan is eligible nowhere; only cat is eligible for Comms.

Import with ``sys.path`` pointing at this folder (pytest's importlib mode has no package here).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services as host_services
from talentgate.matching import services
from talentgate.programmes import services as programme_services

SKILL = {name: f"http://data.europa.eu/esco/skill/{n:08x}-0000-4000-8000-000000000000" for n, name in enumerate("ABC")}
_ids = itertools.count(1)


@dataclass
class World:
    officer: Any
    supervisor: Any
    administrator: Any
    programme: Any
    candidates: dict[str, Any] = field(default_factory=dict)  # name -> user
    applications: dict[str, Any] = field(default_factory=dict)  # name -> application
    hosts: dict[str, Any] = field(default_factory=dict)  # "org1"/"org2" -> admin user
    organisations: dict[str, Any] = field(default_factory=dict)
    opportunities: dict[str, Any] = field(default_factory=dict)  # title -> opportunity

    def draft_run(self, seed: int = 0) -> Any:
        return services.create_matching_run(
            self.officer,
            programme_id=self.programme.pk,
            preferences_deadline=timezone.now() + timedelta(days=3),
            seed=seed,
        )


def _candidate(world: World, make_user: Any, name: str, skills: str, level: int = 7, russian: bool = False) -> None:
    user = make_user(Role.CANDIDATE)
    payload = {
        "id": f"match-{name}-{next(_ids)}",
        "identity": {
            "given_names_latin": name.capitalize(),
            "family_name_latin": "Tester",
            "date_of_birth": "1990-04-12",
            "sex": "female",
        },
        "education": [
            {"level": level, "field_code": "0716", "institution": "MIPT", "country": "RU", "graduation_year": 2014}
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "language": "en",
                "listening": 7,
                "reading": 7,
                "writing": 7,
                "speaking": 7,
            },
            *([{"test": "cefr_self", "test_date": "2025-05-01", "language": "ru", "level": "B2"}] if russian else []),
        ],
        "skills": [{"phrase": f"skill {s}", "esco_skill_uri": SKILL[s]} for s in skills],
    }
    profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
    give_consent(user, profile, "authority_handoff", "1")
    application = programme_services.create_application(user, programme_id=world.programme.pk)
    programme_services.submit_application(user, application.pk)
    programme_services.start_screening(world.officer, application.pk)
    programme_services.mark_application_assessed(world.officer, application.pk)
    application = programme_services.invite_applicant(world.supervisor, application.pk)
    world.candidates[name] = user
    world.applications[name] = application


def _opportunity(world: World, org: str, title: str, capacity: int, skill: str, russian: bool = False) -> None:
    actor = world.hosts[org]
    opportunity = host_services.create_opportunity(
        actor,
        title=title,
        kind="position",
        country="RU",
        city="Korolev",
        sector_id=world.programme_sector.pk,  # type: ignore[attr-defined]
        capacity=capacity,
        occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
        skills=[{"esco_uri": SKILL[skill], "label": f"skill {skill}", "essential": True}],
        languages=[{"language": "ru", "min_level": "B1"}] if russian else [],
        min_education_level=6,
    )
    world.opportunities[title] = host_services.publish_opportunity(actor, opportunity.pk)


def build_world(make_user: Any) -> World:
    administrator = make_user(Role.ADMINISTRATOR)
    officer, supervisor = make_user(Role.OFFICER), make_user(Role.SUPERVISOR)
    programme = programme_services.create_programme(
        administrator, code=f"match-{next(_ids)}", name_en="Matching programme", name_ru="Программа подбора"
    )
    world = World(officer, supervisor, administrator, programme)
    world.programme_sector = programme_services.create_priority_sector(  # type: ignore[attr-defined]
        administrator, code=f"space-{next(_ids)}", name_en="Space", name_ru="Космос"
    )
    _candidate(world, make_user, "ann", "AB")
    _candidate(world, make_user, "bob", "A")
    _candidate(world, make_user, "cat", "BC", russian=True)
    _candidate(world, make_user, "dan", "", level=3)
    for org in ("org1", "org2"):
        admin = make_user(Role.HOST_ADMIN)
        organisation = host_services.register_organisation(
            admin,
            name=f"Orbital {org} {next(_ids)}",
            kind="private_company",
            country="RU",
            region="Moscow Oblast",
            website="https://orbital.example",
            sector_id=world.programme_sector.pk,  # type: ignore[attr-defined]
        )
        world.organisations[org] = host_services.verify_organisation(officer, organisation.pk)
        world.hosts[org] = admin
    _opportunity(world, "org1", "Propulsion", 1, "A")
    _opportunity(world, "org1", "Avionics", 2, "B")
    _opportunity(world, "org2", "Comms", 1, "C", russian=True)
    return world
