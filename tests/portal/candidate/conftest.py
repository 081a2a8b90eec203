"""Fixtures of the candidate pages: a signed-in candidate, with or without a profile saved through the services."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.services import save_own_profile

IDENTITY = {
    "given_names_latin": "Aigerim",
    "family_name_latin": "Seitkali",
    "date_of_birth": "1990-05-17",
    "sex": "female",
    "citizenships": ["KZ"],
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def candidate(make_user):
    return make_user(Role.CANDIDATE)


@pytest.fixture
def signed_in(client, candidate):
    client.force_login(candidate)
    return client


@pytest.fixture
def with_profile(candidate):
    """The candidate's profile: identity, a passport, one education entry and one IELTS result."""
    return save_own_profile(
        candidate,
        {
            "identity": IDENTITY,
            "identity_documents": [{"kind": "passport", "number": "N12345678", "issuing_country": "KZ"}],
            "education": [
                {
                    "level": 7,
                    "field_code": "0716",
                    "institution": "Satbayev University",
                    "country": "KZ",
                    "graduation_year": 2013,
                }
            ],
            "language_tests": [
                {
                    "test": "ielts_academic",
                    "test_date": "2024-03-02",
                    "listening": 8,
                    "reading": 7.5,
                    "writing": 7,
                    "speaking": 7,
                }
            ],
        },
    )
