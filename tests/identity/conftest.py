"""Fixtures for the identity tests: the cases tests' fixtures (people, applications and cases made through the
services) reused as they are, plus a factory for a second profile of the same person."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile

_spec = importlib.util.spec_from_file_location(
    "_identity_cases_fixtures", Path(__file__).parents[1] / "cases" / "conftest.py"
)
assert _spec is not None
assert _spec.loader is not None
_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cases)

# Re-exporting the fixture functions registers them for this directory.
globals().update({name: value for name, value in vars(_cases).items() if not name.startswith("_")})

_ids = itertools.count(1)
PASSPORT = {"kind": "passport", "number": "75 1234567", "issuing_country": "RU"}


@pytest.fixture
def make_person(make_user, django_capture_on_commit_callbacks):
    """Factory: ``make_person(identity={...}, account=True, **parts)`` -> profile saved through the service,
    with duplicate detection run as it runs after the commit."""

    def _make(account: bool = True, **parts):
        identity = {
            "given_names_latin": "Yuri",
            "family_name_latin": "Ivanov",
            "date_of_birth": "1990-05-01",
            "sex": "male",
        }
        identity.update(parts.pop("identity", {}))
        payload = {"id": f"person-{next(_ids)}", "identity": identity, **parts}
        with django_capture_on_commit_callbacks(execute=True):
            profile, _ = save_profile(
                make_user(Role.CANDIDATE) if account else None, CandidateProfile.model_validate(payload)
            )
        return profile

    return _make
