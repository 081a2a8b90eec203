"""/api/candidates/me/profile: the signed-in candidate's whole canonical profile (GET, PUT, PATCH)."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import IdentityDocument, Profile
from talentgate.candidates.selectors import to_canonical

pytestmark = pytest.mark.django_db

URL = "/api/candidates/me/profile"


def _profile(**sections):
    body = {
        "identity": {
            "given_names_latin": "Ravi",
            "family_name_latin": "Kumar",
            "date_of_birth": "1988-01-09",
            "sex": "male",
        },
        "identity_documents": [{"kind": "passport", "number": "Z9876543", "issuing_country": "IN"}],
        "education": [
            {"level": 8, "field_code": "0716", "institution": "IISc", "country": "IN", "graduation_year": 2016}
        ],
    }
    body.update(sections)
    return body


def _put(client, body):
    return client.put(URL, body, content_type="application/json")


@pytest.fixture
def candidate_client(client, make_user):
    client.force_login(make_user(Role.CANDIDATE))
    return client


def test_no_profile_yet_is_404(candidate_client):
    response = candidate_client.get(URL)
    assert response.status_code == 404
    assert response.json()["errors"][0]["rule"] == "not_found"


def test_put_creates_then_replaces_and_get_masks_numbers(candidate_client):
    created = _put(candidate_client, _profile())
    assert created.status_code == 201
    assert created.json()["id"].startswith("cand-")
    body = candidate_client.get(URL).json()
    assert body["identity_documents"][0]["number"] == "••••••43"
    assert body["education"][0]["institution"] == "IISc"
    body["skills"] = [{"phrase": "Orbit determination"}]
    replaced = _put(candidate_client, body)
    assert replaced.status_code == 200
    assert IdentityDocument.objects.get().number == "Z9876543"
    assert replaced.json()["skills"] == [{"phrase": "Orbit determination", "esco_skill_uri": None, "level": None}]


def test_put_empties_sections_left_out(candidate_client):
    _put(candidate_client, _profile())
    _put(candidate_client, {"identity": _profile()["identity"]})
    profile = to_canonical(Profile.objects.get())
    assert profile.education == []
    assert profile.identity_documents == []


def test_patch_replaces_only_the_sections_given(candidate_client):
    _put(candidate_client, _profile())
    response = candidate_client.patch(
        URL, {"skills": [{"phrase": "GNC", "level": "expert"}]}, content_type="application/json"
    )
    assert response.status_code == 200
    profile = to_canonical(Profile.objects.get())
    assert [s.phrase for s in profile.skills] == ["GNC"]
    assert profile.education[0].institution == "IISc"


def test_first_patch_needs_the_identity(candidate_client):
    response = candidate_client.patch(URL, {"skills": [{"phrase": "GNC"}]}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "identity"
    assert not Profile.objects.exists()


def test_a_bad_field_is_named_by_its_exact_path_and_nothing_changes(candidate_client):
    _put(candidate_client, _profile())
    bad = _profile(
        language_tests=[
            {
                "test": "ielts_general",
                "test_date": "2024-03-02",
                "listening": 9.5,
                "reading": 7,
                "writing": 7,
                "speaking": 7,
            }
        ]
    )
    response = _put(candidate_client, bad)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "language_tests.0.listening"
    assert response.json()["errors"][0]["rule"] == "score_out_of_scale"
    assert to_canonical(Profile.objects.get()).language_tests == []


def test_a_rule_across_sections_is_named_too(candidate_client):
    _put(candidate_client, _profile())
    response = candidate_client.patch(
        URL, {"identity": {**_profile()["identity"], "date_of_birth": "2010-01-01"}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [
        ("education.0.graduation_year", "before_minimum_age")
    ]
    assert str(Profile.objects.get().date_of_birth) == "1988-01-09"


def test_a_masked_number_that_matches_nothing_is_refused(candidate_client):
    _put(candidate_client, _profile())
    body = _profile(identity_documents=[{"kind": "passport", "number": "•••••99", "issuing_country": "IN"}])
    response = _put(candidate_client, body)
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "identity_documents.0.number",
        "rule": "masked",
        "message": "Type the whole number: the masked number sent matches none of your stored documents.",
    }
    assert IdentityDocument.objects.get().number == "Z9876543"


def test_another_id_is_refused(candidate_client):
    _put(candidate_client, _profile())
    response = _put(candidate_client, {**_profile(), "id": "someone-else"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "id"


def test_documents_and_consents_in_the_body_are_ignored(candidate_client):
    body = _profile(
        documents=[{"kind": "cv", "file_name": "cv.pdf"}],
        consents=[{"purpose": "matched_hosts", "version": "1", "given_at": "2024-01-01T00:00:00Z"}],
    )
    assert _put(candidate_client, body).status_code == 201
    profile = Profile.objects.get()
    assert not profile.documents.exists()
    assert not profile.consents.exists()


def test_anonymous_is_401(client):
    assert client.get(URL).status_code == 401
    assert _put(client, _profile()).status_code == 401


def test_other_roles_are_refused_and_nothing_is_written(client, make_user):
    client.force_login(make_user(Role.OFFICER))
    assert client.get(URL).status_code == 403
    response = _put(client, _profile())
    assert response.status_code == 403
    assert response.json()["errors"][0]["rule"] == "role"
    assert not Profile.objects.exists()


def test_each_candidate_sees_only_their_own(client, make_user):
    first, second = make_user(Role.CANDIDATE), make_user(Role.CANDIDATE)
    client.force_login(first)
    _put(client, _profile())
    client.force_login(second)
    assert client.get(URL).status_code == 404
    _put(client, _profile(identity={**_profile()["identity"], "given_names_latin": "Second"}))
    assert Profile.objects.get(user=first).given_names_latin == "Ravi"
