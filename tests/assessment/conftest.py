"""Fixtures for the assessment tests: a programme assessed with programme-merit, candidates whose profiles
are saved through the candidates service, and applications moved through the programmes services."""

from __future__ import annotations

import itertools

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.programmes import services as programme_services

_ids = itertools.count(1)


def profile_payload(*, level=7, field_code="0716", years=8, sector="space.launch", sex="female", country="KZ", **extra):
    """A canonical profile that can be submitted; ``years`` of current work in ``sector``."""
    payload = {
        "id": f"cand-{next(_ids)}",
        "identity": {
            "given_names_latin": "Amara",
            "family_name_latin": "Okafor",
            "date_of_birth": "1990-04-12",
            "sex": sex,
            "residence_country": country,
        },
        "education": [
            {"level": level, "field_code": field_code, "institution": "MIPT", "country": "RU", "graduation_year": 2014}
        ],
        "work_history": [
            {
                "title": "Propulsion engineer",
                "isco08_code": "2144",
                "sector": sector,
                "country": "RU",
                "start_date": f"{2026 - years}-01-01",
            }
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "language": "en",
                "listening": 7.5,
                "reading": 7,
                "writing": 6.5,
                "speaking": 7,
            }
        ],
    }
    payload.update(extra)
    return payload


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def second_officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def second_supervisor(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def sector(administrator):
    return programme_services.create_priority_sector(
        administrator, code="space", name_en="Space industry", name_ru="Космическая отрасль"
    )


@pytest.fixture
def programme(administrator, sector):
    return programme_services.create_programme(
        administrator, code="talent", name_en="Talent attraction", name_ru="Привлечение талантов"
    )


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(**profile_options)`` -> (user, profile) saved through the candidates service."""

    def _make(**options):
        user = make_user(Role.CANDIDATE)
        profile, _ = save_profile(user, CandidateProfile.model_validate(profile_payload(**options)))
        give_consent(user, profile, "authority_handoff", "1")
        return user, profile

    return _make


@pytest.fixture
def make_application(make_candidate, programme, officer):
    """Factory: ``make_application(until="submitted"|"assessed", **profile_options)`` -> (application, owner).

    Submission's on_commit hook does not run inside a test transaction, so these applications carry
    no assessment until a test asks for one.
    """

    def _make(until: str = "submitted", **options):
        owner, _ = make_candidate(**options)
        application = programme_services.create_application(owner, programme_id=programme.pk)
        application = programme_services.submit_application(owner, application.pk)
        if until == "assessed":
            programme_services.start_screening(officer, application.pk)
            application = programme_services.mark_application_assessed(officer, application.pk)
        assert application.status == until
        return application, owner

    return _make
