"""API routes of the duplicates queue: list and show for officers and supervisors, dismiss with a reason,
merge (409 naming every rule when impossible), the merges list; everyone else refused."""

from __future__ import annotations

import json

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.identity import detection
from talentgate.identity.models import DuplicateSuspicion, ProfileMerge
from talentgate.privacy.services import place_legal_hold, release_legal_hold

pytestmark = pytest.mark.django_db

API = "/api/identity"


@pytest.fixture
def pair():
    people = []
    for index, (given, number) in enumerate([("Yuri", "AB 123"), ("Юрий", "ab-123")]):
        payload = {
            "id": f"api-dup-{index}",
            "identity": {
                "given_names_latin": "Yuri",
                "given_names_native": given if index else "",
                "family_name_latin": "Ivanov",
                "date_of_birth": "1990-05-01",
                "sex": "male",
            },
            "identity_documents": [{"kind": "passport", "number": number, "issuing_country": "RU"}],
        }
        people.append(save_profile(None, CandidateProfile.model_validate(payload))[0])
    (suspicion,) = detection.detect_duplicates(people[1].pk)
    return people, suspicion


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _errors(response):
    return [(e["field"], e["rule"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_staff_list_and_show_a_suspicion(client, make_user, pair, role):
    (low, high), suspicion = pair
    client.force_login(make_user(role))
    listed = client.get(f"{API}/duplicates").json()
    assert [row["id"] for row in listed["items"]] == [suspicion.pk]
    assert listed["items"][0]["reasons"] == ["same_identity_document", "same_birth_date_and_name"]
    shown = client.get(f"{API}/duplicates/{suspicion.pk}").json()
    assert (shown["profile_low"]["id"], shown["profile_high"]["id"]) == (low.pk, high.pk)
    assert shown["strength"] == "strong"
    assert "number" not in json.dumps(shown)
    assert client.get(f"{API}/duplicates", {"status": "dismissed"}).json()["items"] == []


def test_a_bad_filter_names_the_field(client, make_user, pair):
    client.force_login(make_user(Role.OFFICER))
    response = client.get(f"{API}/duplicates", {"status": "closed", "strength": "huge"})
    assert response.status_code == 400
    assert _errors(response) == [("status", "choice"), ("strength", "choice")]


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_STAFF, Role.ANALYST, Role.REVIEWER, Role.ADMINISTRATOR])
def test_other_roles_are_refused_and_change_nothing(client, make_user, pair, role):
    (low, _high), suspicion = pair
    client.force_login(make_user(role))
    assert client.get(f"{API}/duplicates").status_code == 403
    assert client.get(f"{API}/duplicates/{suspicion.pk}").status_code == 403
    assert _post(client, f"{API}/duplicates/{suspicion.pk}/dismiss", {"reason": "x"}).status_code == 403
    assert _post(client, f"{API}/duplicates/{suspicion.pk}/merge", {"survivor_id": low.pk}).status_code == 403
    assert client.get(f"{API}/merges").status_code == 403
    assert DuplicateSuspicion.objects.get().status == "open"


def test_anonymous_is_refused(client, pair):
    assert client.get(f"{API}/duplicates").status_code == 401


def test_dismiss_needs_a_reason(client, make_user, pair):
    _people, suspicion = pair
    client.force_login(make_user(Role.OFFICER))
    bad = _post(client, f"{API}/duplicates/{suspicion.pk}/dismiss", {"reason": " "})
    assert bad.status_code == 400
    assert _errors(bad) == [("reason", "required")]
    done = _post(client, f"{API}/duplicates/{suspicion.pk}/dismiss", {"reason": "Two people"})
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"
    again = _post(client, f"{API}/duplicates/{suspicion.pk}/dismiss", {"reason": "Two people"})
    assert again.status_code == 409
    assert _errors(again) == [("status", "not_open")]
    assert client.get(f"{API}/duplicates/999999").status_code == 404


def test_merge_then_list_merges(client, make_user, pair):
    (low, high), suspicion = pair
    officer = make_user(Role.OFFICER)
    client.force_login(officer)
    bad = _post(client, f"{API}/duplicates/{suspicion.pk}/merge", {"survivor_id": 999999})
    assert bad.status_code == 400
    assert _errors(bad) == [("survivor_id", "one_of_pair")]
    hold = place_legal_hold(officer, high.pk, "Matter 1")
    blocked = _post(client, f"{API}/duplicates/{suspicion.pk}/merge", {"survivor_id": low.pk})
    assert blocked.status_code == 409
    assert _errors(blocked) == [("profile", "legal_hold")]
    assert not ProfileMerge.objects.exists()
    release_legal_hold(officer, hold.pk)
    merged = _post(client, f"{API}/duplicates/{suspicion.pk}/merge", {"survivor_id": low.pk})
    assert merged.status_code == 201
    body = merged.json()
    assert (body["survivor_id"], body["merged_id"], body["account_outcome"]) == (low.pk, high.pk, "none")
    assert Profile.objects.get(pk=high.pk).merged_into_id == low.pk
    assert [m["id"] for m in client.get(f"{API}/merges").json()["items"]] == [body["id"]]
