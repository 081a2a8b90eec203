"""Fixtures for the notifications tests: an application and an offer, made through their apps' services."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes
from talentgate.programmes.models import PrioritySector

_ids = itertools.count(1)

# What submitting an application needs besides the identity (see programmes.guards.PROFILE_READY).
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


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(language="")`` -> (user, profile ready to apply and open to hosts)."""

    def _make(language: str = ""):
        user = make_user(Role.CANDIDATE)
        if language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        payload = {
            "id": f"notif-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
            },
            **READY,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        give_consent(user, profile, "authority_handoff", "1")
        give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def submitted_application(make_user, make_candidate):
    """(application submitted by its candidate, the candidate)."""
    administrator = make_user(Role.ADMINISTRATOR)
    programme = programmes.create_programme(
        administrator, code="talent", name_en="Talent attraction", name_ru="Привлечение талантов"
    )
    candidate, _profile = make_candidate()
    application = programmes.create_application(candidate, programme_id=programme.pk)
    application = programmes.submit_application(candidate, application.pk)
    return application, candidate


@pytest.fixture
def offer_setting(make_user, make_candidate, officer):
    """A verified organisation (admin + one staff member), a published opportunity and a candidate open to hosts."""
    sector = PrioritySector.objects.create(code="space.propulsion", name_en="Propulsion", name_ru="Двигатели")
    admin = make_user(Role.HOST_ADMIN)
    org = hosts.register_organisation(
        admin,
        name="Orbital Works",
        kind="private_company",
        country="RU",
        region="Moscow Oblast",
        website="https://orbital.example",
        sector_id=sector.pk,
    )
    hosts.verify_organisation(officer, org.pk)
    staff = make_user(Role.HOST_STAFF)
    _, token = hosts.invite_staff(admin, org.pk, email=staff.email, role="staff")
    hosts.accept_invitation(token, staff)
    opportunity = hosts.create_opportunity(
        staff,
        title="Propulsion engineer",
        kind="position",
        country="RU",
        city="Korolev",
        sector_id=sector.pk,
        occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
        languages=[{"language": "ru", "min_level": "B1"}],
        capacity=1,
    )
    opportunity = hosts.publish_opportunity(staff, opportunity.pk)
    candidate, profile = make_candidate()
    return {"admin": admin, "staff": staff, "opportunity": opportunity, "candidate": candidate, "profile": profile}


@pytest.fixture
def make_offer(offer_setting):
    """Factory: ``make_offer()`` -> an offer by the staff member to the candidate, expiring in a week."""

    def _make():
        return hosts.make_offer(
            offer_setting["staff"],
            opportunity_id=offer_setting["opportunity"].pk,
            profile_id=offer_setting["profile"].pk,
            terms="Two-year contract",
            expires_at=timezone.now() + timedelta(days=7),
        )

    return _make
