"""``talentgate duplicate detect | reindex``: detection over stored profiles, and identity keys rebuilt with a new key."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from talentgate.candidates import services as candidates
from talentgate.candidates.models import IdentityDocument, Profile
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.cli import app
from talentgate.engines.identity import blind_index
from talentgate.identity.models import DuplicateSuspicion

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def _import_same_person_twice() -> None:
    first, second = example_profile(1), example_profile(1)
    second["id"] = "example-again"
    second["identity"]["email"] = None
    second["identity_documents"][0]["number"] = " " + second["identity_documents"][0]["number"].lower()
    # An import's detection runs after its commit: inside this test's transaction it has not run.
    candidates.import_profiles(None, [CandidateProfile.model_validate(first), CandidateProfile.model_validate(second)])


def test_detect_records_the_suspicions_of_stored_profiles_once():
    _import_same_person_twice()
    assert not DuplicateSuspicion.objects.exists()
    result = run("duplicate", "detect")
    assert result.exit_code == 0, result.output
    assert "2 profiles compared, 1 open suspicions" in result.output
    suspicion = DuplicateSuspicion.objects.get()
    assert suspicion.reasons[0] == "same_identity_document"
    assert run("duplicate", "detect").exit_code == 0
    assert DuplicateSuspicion.objects.count() == 1


def test_reindex_rebuilds_the_keys_with_the_new_key(settings):
    _import_same_person_twice()
    Profile.objects.update(name_search_key="")
    settings.BLIND_INDEX_KEY = "a rotated blind index key"
    result = run("duplicate", "reindex")
    assert result.exit_code == 0, result.output
    assert "2 name search keys and 2 blind indexes rebuilt" in result.output
    for document in IdentityDocument.objects.all():
        assert document.number_blind_index == blind_index(
            document.number, document.issuing_country, "a rotated blind index key"
        )
    assert all(profile.name_search_key for profile in Profile.objects.all())
