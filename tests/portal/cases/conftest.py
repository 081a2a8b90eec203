"""Fixtures for the relocation-case pages: a case opened the real way (a host's offer accepted) and moved
through the services with the people each step needs."""

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
            user, CandidateProfile.model_validate({"id": f"page-case-{next(_ids)}", "identity": identity})
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


@pytest.fixture
def prepared(officer, officer2):
    """``prepared(case)``: documents provided and verified, then prepared by ``officer``."""

    def _prepared(case):
        provide_documents(case, officer, verify_with=officer2)
        return services.prepare(officer, case.pk)

    return _prepared


@pytest.fixture
def granted(prepared, officer, supervisor, authority):
    """``granted(case)``: prepared, approved, submitted, and the permit granted."""

    def _granted(case):
        prepared(case)
        services.approve(supervisor, case.pk, legal_ground="Decree 1")
        services.submit_to_authority(officer, case.pk)
        today = timezone.localdate()
        permit = services.PermitIn("highly_qualified", "HQ-77-123456", today, today, today + timedelta(days=1000))
        return services.grant_permit(authority, case.pk, permit=permit, legal_ground="Law 115-FZ art. 13.2")

    return _granted


@pytest.fixture
def provide(officer, officer2):
    """``provide(case, verify=True)``: every required document provided by ``officer`` (verified by ``officer2``)."""

    def _provide(case, verify: bool = True):
        provide_documents(case, officer, verify_with=officer2 if verify else None)

    return _provide
