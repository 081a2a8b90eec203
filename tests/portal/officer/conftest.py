"""Fixtures for the officers' pages: a programme, sectors, staff, and applications moved through the services."""

from __future__ import annotations

import itertools

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.programmes import services

_ids = itertools.count(1)

READY = {
    "education": [{"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Aero"}],
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
STEPS = ("submitted", "screening", "assessed", "invited", "matched")


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def sector(administrator):
    return services.create_priority_sector(administrator, code="space", name_en="Space industry")


@pytest.fixture
def sub_sector(administrator, sector):
    return services.create_priority_sector(
        administrator, code="space.propulsion", name_en="Propulsion", parent_id=sector.pk
    )


@pytest.fixture
def programme(administrator):
    return services.create_programme(administrator, code="talent", name_en="Talent attraction")


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(family_name=..., residence_country=..., **parts)`` -> (user, profile), ready to submit."""

    def _make(family_name: str = "Okafor", residence_country: str = "NG", **parts):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"officer-cand-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": family_name,
                "date_of_birth": "1990-04-12",
                "sex": "female",
                "residence_country": residence_country,
            },
            **READY,
            **parts,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        give_consent(user, profile, "authority_handoff", "1")
        return user, profile

    return _make


@pytest.fixture
def make_application(make_candidate, programme, officer, supervisor):
    """Factory: ``make_application("assessed", sector=..., **candidate)`` -> (application, owner) moved through services."""
    moves = {
        "submitted": lambda app, owner: services.submit_application(owner, app.pk),
        "screening": lambda app, owner: services.start_screening(officer, app.pk),
        "assessed": lambda app, owner: services.mark_application_assessed(officer, app.pk),
        "invited": lambda app, owner: services.invite_applicant(supervisor, app.pk),
        "matched": lambda app, owner: services.mark_application_matched(officer, app.pk),
    }

    def _make(until: str = "submitted", sector=None, programme_id=None, **candidate):
        owner, _ = make_candidate(**candidate)
        application = services.create_application(
            owner, programme_id=programme_id or programme.pk, sector_preference_id=sector.pk if sector else None
        )
        for step in STEPS[: STEPS.index(until) + 1] if until in STEPS else ():
            application = moves[step](application, owner)
        if until == "rejected":
            application = services.reject_application(
                officer, services.submit_application(owner, application.pk).pk, reason="Out of scope"
            )
        if until == "withdrawn":
            application = services.withdraw_application(owner, application.pk)
        assert application.status == until
        return application, owner

    return _make
