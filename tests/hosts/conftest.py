"""Fixtures for the hosts tests: organisations, staff, opportunities and candidates made through services."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services
from talentgate.programmes.models import PrioritySector

_ids = itertools.count(1)


@pytest.fixture
def sector(db):
    return PrioritySector.objects.create(code="space.propulsion", name_en="Propulsion research", name_ru="Двигатели")


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def make_org(make_user, officer, sector):
    """Factory: ``make_org(verified=True)`` -> (organisation, its admin user)."""

    def _make(verified: bool = True, name: str | None = None):
        admin = make_user(Role.HOST_ADMIN)
        org = services.register_organisation(
            admin,
            name=name or f"Orbital Works {next(_ids)}",
            kind="private_company",
            country="RU",
            region="Moscow Oblast",
            website="https://orbital.example",
            sector_id=sector.pk,
        )
        if verified:
            org = services.verify_organisation(officer, org.pk)
        return org, admin

    return _make


@pytest.fixture
def make_staff(make_user):
    """Factory: ``make_staff(org, admin)`` -> a host staff user who joined through an invitation."""

    def _make(org, admin, role: str = "staff"):
        user = make_user(Role.HOST_ADMIN if role == "admin" else Role.HOST_STAFF)
        _, token = services.invite_staff(admin, org.pk, email=user.email, role=role)
        services.accept_invitation(token, user)
        return user

    return _make


@pytest.fixture
def make_profile(db):
    """Factory: ``make_profile(user=None)`` -> a minimal profile saved through the candidates service
    (by its owner, or by the system when ``user`` is None, as an import would)."""

    def _make(user=None):
        payload = {
            "id": f"cand-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
            },
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        return profile

    return _make


@pytest.fixture
def make_candidate(make_user, make_profile):
    """Factory: ``make_candidate()`` -> (candidate user, their profile, open to hosts by the 'matched_hosts'
    consent unless ``open_to_hosts=False``)."""

    def _make(open_to_hosts: bool = True):
        user = make_user(Role.CANDIDATE)
        profile = make_profile(user)
        if open_to_hosts:
            # Hosts may make offers only to candidates who applied or gave this consent.
            give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def make_opportunity(sector):
    """Factory: ``make_opportunity(actor, publish=True, capacity=1)`` -> an opportunity of the actor's organisation."""

    def _make(actor, publish: bool = True, **fields):
        fields.setdefault("capacity", 1)
        opportunity = services.create_opportunity(
            actor,
            title="Propulsion engineer",
            kind="position",
            country="RU",
            city="Korolev",
            sector_id=sector.pk,
            occupations=[{"isco08_code": "2144", "label": "Mechanical engineer"}],
            languages=[{"language": "ru", "min_level": "B1"}],
            **fields,
        )
        if publish:
            opportunity = services.publish_opportunity(actor, opportunity.pk)
        return opportunity

    return _make


@pytest.fixture
def in_a_week():
    return timezone.now() + timedelta(days=7)
