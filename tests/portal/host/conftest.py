"""Fixtures for the host organisation pages: an organisation with its admin and staff, an opportunity and a
candidate open to hosts, all made through the domain services."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services

_ids = itertools.count(1)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def make_org(make_user, officer):
    """Factory: ``make_org(verified=True)`` -> (organisation, admin, staff member)."""

    def _make(verified: bool = True):
        admin, staff = make_user(Role.HOST_ADMIN), make_user(Role.HOST_STAFF)
        org = services.register_organisation(
            admin, name=f"Orbital Works {next(_ids)}", kind="private_company", country="RU"
        )
        if verified:
            org = services.verify_organisation(officer, org.pk)
        _invitation, token = services.invite_staff(admin, org.pk, email=staff.email)
        services.accept_invitation(token, staff)
        return org, admin, staff

    return _make


@pytest.fixture
def org(make_org):
    return make_org()


@pytest.fixture
def make_opportunity():
    def _make(actor, publish: bool = True, **fields):
        opportunity = services.create_opportunity(
            actor,
            title=fields.pop("title", "Propulsion engineer"),
            kind="position",
            country="RU",
            capacity=fields.pop("capacity", 1),
            occupations=[{"isco08_code": "2144", "label": "Propulsion engineer"}],
            skills=[{"label": "turbopump design"}],
            languages=[{"language": "ru", "min_level": "B1"}],
            **fields,
        )
        return services.publish_opportunity(actor, opportunity.pk) if publish else opportunity

    return _make


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(open_to_hosts=True)`` -> (user, profile)."""

    def _make(open_to_hosts: bool = True, given: str = "Amara"):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"cand-{next(_ids)}",
            "identity": {
                "given_names_latin": given,
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
            },
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        if open_to_hosts:
            give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def in_a_week():
    return timezone.now() + timedelta(days=7)
