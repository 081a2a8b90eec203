"""Fixtures for the candidate's offer pages: an offer made through the hosts services to a candidate who consented."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services


@pytest.fixture
def make_candidate(make_user):
    def _make(external_id: str):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": external_id,
            "identity": {"given_names_latin": "Amara", "date_of_birth": "1990-04-12", "sex": "female"},
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def offer_setting(make_user, make_candidate):
    """(candidate user, their offer, the staff member who made it) on a two-place published opportunity."""
    admin, staff = make_user(Role.HOST_ADMIN), make_user(Role.HOST_STAFF)
    organisation = services.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    services.verify_organisation(make_user(Role.OFFICER), organisation.pk)
    _invitation, token = services.invite_staff(admin, organisation.pk, email=staff.email)
    services.accept_invitation(token, staff)
    opportunity = services.create_opportunity(staff, title="GNC engineer", kind="position", country="RU", capacity=2)
    services.publish_opportunity(staff, opportunity.pk)
    user, profile = make_candidate("offer-page-1")
    offer = services.make_offer(
        staff,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Two-year contract in Korolev.",
        expires_at=timezone.now() + timedelta(days=7),
    )
    return user, offer, staff
