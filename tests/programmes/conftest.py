"""Fixtures for the programmes tests: programmes and sectors made through services, candidates with
profiles saved through the candidates service."""

from __future__ import annotations

import itertools

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.programmes import services

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
    "consents": [{"purpose": "authority_handoff", "version": "1", "given_at": "2025-01-01T00:00:00Z"}],
}


@pytest.fixture
def configurer(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def sector(configurer):
    return services.create_priority_sector(
        configurer, code="space", name_en="Space industry", name_ru="Космическая отрасль"
    )


@pytest.fixture
def programme(configurer):
    return services.create_programme(
        configurer, code="talent", name_en="Talent attraction", name_ru="Привлечение талантов"
    )


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(without=(), **parts)`` -> (user, profile). The profile has what submitting
    needs except the lists named in ``without``; ``parts`` add canonical lists (e.g. ``documents=[...]``)."""

    def _make(without: tuple[str, ...] = (), **parts):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"cand-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
            },
            **{name: rows for name, rows in READY.items() if name not in without},
            **parts,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        # A candidate's own payload carries no consents (save_profile ignores them): consent is given at the time.
        if "consents" not in without:
            give_consent(user, profile, "authority_handoff", "1")
        return user, profile

    return _make


@pytest.fixture
def make_application(make_candidate, programme, officer, supervisor):
    """Factory: ``make_application(until="assessed")`` -> an application moved through services up to that status."""
    steps = [
        lambda app, owner: services.submit_application(owner, app.pk),
        lambda app, owner: services.start_screening(officer, app.pk),
        lambda app, owner: services.mark_application_assessed(officer, app.pk),
        lambda app, owner: services.invite_applicant(supervisor, app.pk),
        lambda app, owner: services.mark_application_matched(officer, app.pk),
    ]

    def _make(until: str = "draft", **candidate_parts):
        owner, _ = make_candidate(**candidate_parts)
        application = services.create_application(owner, programme_id=programme.pk)
        for step in steps:
            if application.status == until:
                break
            application = step(application, owner)
        assert application.status == until
        return application, owner

    return _make
