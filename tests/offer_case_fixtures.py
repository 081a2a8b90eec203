"""A relocation case opened the real way, a host's offer accepted by the candidate, with the staff each step
needs: the fixtures the case pages and the case API share, registered for the whole suite as a plugin by
tests/conftest.py."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.cases.models import RelocationCase
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes

_ids = itertools.count(1)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def officer2(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def authority(make_user):
    return make_user(Role.AUTHORITY)


@pytest.fixture
def sector(make_user):
    return programmes.create_priority_sector(make_user(Role.ADMINISTRATOR), code="space", name_en="Space industry")


@pytest.fixture
def make_case(make_user, officer, sector):
    """Factory: ``make_case(residence_country=...)`` -> (case at 'opened', candidate, host admin)."""

    def _make(residence_country: str = "NG"):
        admin = make_user(Role.HOST_ADMIN)
        organisation = hosts.register_organisation(
            admin, name=f"Orbital Works {next(_ids)}", kind="private_company", country="RU", sector_id=sector.pk
        )
        hosts.verify_organisation(officer, organisation.pk)
        opportunity = hosts.create_opportunity(admin, title="Propulsion engineer", kind="position", country="RU")
        hosts.publish_opportunity(admin, opportunity.pk)
        user = make_user(Role.CANDIDATE)
        identity = {
            "given_names_latin": "Amara",
            "family_name_latin": f"Okafor{next(_ids)}",
            "date_of_birth": "1990-04-12",
            "sex": "female",
            "residence_country": residence_country,
        }
        profile, _ = save_profile(
            user, CandidateProfile.model_validate({"id": f"case-{next(_ids)}", "identity": identity})
        )
        give_consent(user, profile, "authority_handoff", "1")
        give_consent(user, profile, "matched_hosts", "1")
        offer = hosts.make_offer(
            admin,
            opportunity_id=opportunity.pk,
            profile_id=profile.pk,
            terms="Two-year contract",
            expires_at=timezone.now() + timedelta(days=7),
        )
        hosts.accept_offer(user, offer.pk)
        return RelocationCase.objects.get(offer=offer), user, admin

    return _make
