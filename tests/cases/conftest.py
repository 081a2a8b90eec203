"""Fixtures for the cases tests: a case opened the real way (an accepted offer) and driven through services.

``make_case()`` gives a fresh case at 'opened' for a candidate with a matched application;
``drive(case, until)`` moves it along the main path with the people each step needs (an
officer prepares, a supervisor approves, the authority grants...).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases import services
from talentgate.cases.models import RelocationCase, Stage
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes

_ids = itertools.count(1)

READY = {
    "education": [
        {"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Aerospace"}
    ],
    "language_tests": [
        {
            "test": "ielts_academic",
            "test_date": "2024-05-01",
            "language": "en",
            "listening": 7.5,
            "reading": 7,
            "writing": 6.5,
            "speaking": 7,
        }
    ],
}


# officer, officer2, supervisor and authority come from tests/offer_case_fixtures.py (a suite-wide plugin).


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def programme(administrator):
    return programmes.create_programme(
        administrator, code="talent", name_en="Talent attraction", name_ru="Привлечение талантов"
    )


@pytest.fixture
def sector(administrator):
    return programmes.create_priority_sector(
        administrator, code="space", name_en="Space industry", name_ru="Космическая отрасль"
    )


@pytest.fixture
def make_host(make_user, officer, sector):
    """Factory: ``make_host()`` -> (verified organisation, its admin, a published opportunity with room for 5)."""

    def _make(kind: str = "position"):
        admin = make_user(Role.HOST_ADMIN)
        org = hosts.register_organisation(
            admin,
            name=f"Orbital Works {next(_ids)}",
            kind="private_company",
            country="RU",
            region="Moscow Oblast",
            website="https://orbital.example",
            sector_id=sector.pk,
        )
        org = hosts.verify_organisation(officer, org.pk)
        opportunity = hosts.create_opportunity(
            admin,
            title="Propulsion engineer",
            kind=kind,
            country="RU",
            city="Korolev",
            sector_id=sector.pk,
            capacity=5,
            occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
            languages=[{"language": "ru", "min_level": "B1"}],
        )
        opportunity = hosts.publish_opportunity(admin, opportunity.pk)
        return org, admin, opportunity

    return _make


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(family=[...])`` -> (user, profile) ready to apply, consenting to hosts and hand-off."""

    def _make(**parts):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"cand-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
                "residence_country": "NG",
            },
            **READY,
            **parts,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        give_consent(user, profile, "authority_handoff", "1")
        give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def make_case(make_candidate, make_host, programme, officer, supervisor):
    """Factory: ``make_case()`` -> (case at 'opened', candidate user). The candidate applies (matched), a host
    offers, the candidate accepts: the acceptance opens the case."""

    def _make(
        with_application: bool = True, kind: str = "position", **candidate_parts
    ) -> tuple[RelocationCase, object]:
        user, profile = make_candidate(**candidate_parts)
        if with_application:
            app = programmes.create_application(user, programme_id=programme.pk)
            programmes.submit_application(user, app.pk)
            programmes.start_screening(officer, app.pk)
            programmes.mark_application_assessed(officer, app.pk)
            programmes.invite_applicant(supervisor, app.pk)
            programmes.mark_application_matched(officer, app.pk)
        _, host_admin, opportunity = make_host(kind)
        offer = hosts.make_offer(
            host_admin,
            opportunity_id=opportunity.pk,
            profile_id=profile.pk,
            terms="Two-year contract",
            expires_at=timezone.now() + timedelta(days=7),
        )
        hosts.accept_offer(user, offer.pk)
        return RelocationCase.objects.get(offer=offer), user

    return _make


def complete_items(case: RelocationCase, actor, due_before: str) -> None:
    for item in case.checklist.filter(required=True, due_before=due_before, document_kind="", completed_at=None):
        services.complete_item(actor, case.pk, item.pk)


def permit_in(**overrides) -> services.PermitIn:
    today = timezone.localdate()
    values = {
        "permit_type": "highly_qualified",
        "number": "HQ-77-123456",
        "issued_on": today,
        "valid_from": today,
        "valid_until": today + timedelta(days=3 * 365),
    }
    values.update(overrides)
    return services.PermitIn(**values)


@pytest.fixture
def drive(officer, officer2, supervisor, authority):
    """``drive(case, until)``: move ``case`` along the main path to stage ``until`` through the services."""

    def _drive(case: RelocationCase, until: str) -> RelocationCase:
        steps = {
            Stage.OPENED: lambda c: (
                provide_documents(c, officer, verify_with=officer2),
                services.prepare(officer, c.pk),
            ),
            Stage.PREPARED: lambda c: services.approve(supervisor, c.pk, legal_ground="Decree 1"),
            Stage.APPROVED: lambda c: services.submit_to_authority(officer, c.pk),
            Stage.SUBMITTED: lambda c: services.grant_permit(
                authority, c.pk, permit=permit_in(), legal_ground="Law 115-FZ art. 13.2"
            ),
            Stage.PERMIT_GRANTED: lambda c: services.start_relocation(officer, c.pk),
            Stage.RELOCATING: lambda c: (
                complete_items(c, officer, "record_arrival"),
                services.record_arrival(officer, c.pk, arrived_on=timezone.localdate() - timedelta(days=400)),
            ),
            Stage.ARRIVED: lambda c: services.record_follow_up_6m(officer, c.pk),
            Stage.FOLLOW_UP_6M: lambda c: services.record_follow_up_12m(officer, c.pk),
            Stage.FOLLOW_UP_12M: lambda c: services.close(officer, c.pk),
        }
        case.refresh_from_db()
        while case.stage != until:
            steps[Stage(case.stage)](case)
            case.refresh_from_db()
        return case

    return _drive
