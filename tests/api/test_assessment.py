"""The assessment API: scores with reasons in the caller's language, where-would-I-qualify, policy governance,
pool reassessment jobs and selection rounds, each with its happy path, anonymous, someone else's object and a
bad field (named, nothing changed)."""

from __future__ import annotations

import itertools
import json

import pytest
from django.test import Client

from talentgate.accounts.roles import Role
from talentgate.assessment import services
from talentgate.assessment.models import Assessment, PolicyVersion, SelectionRound
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.programmes import services as programme_services

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def _payload(years=8):
    return {
        "id": f"api-cand-{next(_ids)}",
        "identity": {
            "given_names_latin": "Ana",
            "date_of_birth": "1990-04-12",
            "sex": "female",
            "residence_country": "BR",
        },
        "education": [
            {"level": 7, "field_code": "0716", "institution": "ITA", "country": "BR", "graduation_year": 2014}
        ],
        "work_history": [
            {
                "title": "GNC engineer",
                "isco08_code": "2144",
                "sector": "space.launch",
                "country": "BR",
                "start_date": f"{2026 - years}-01-01",
            }
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "listening": 8,
                "reading": 7.5,
                "writing": 7,
                "speaking": 7,
            }
        ],
    }


@pytest.fixture
def staff(make_user):
    return {role: make_user(role) for role in (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)}


@pytest.fixture
def programme(staff):
    admin = staff[Role.ADMINISTRATOR]
    programme_services.create_priority_sector(admin, code="space", name_en="Space", name_ru="Космос")
    return programme_services.create_programme(admin, code="talent", name_en="Talent", name_ru="Таланты")


@pytest.fixture
def make_application(make_user, programme, staff):
    def _make(until="submitted", years=8):
        owner = make_user(Role.CANDIDATE)
        profile, _ = save_profile(owner, CandidateProfile.model_validate(_payload(years)))
        give_consent(owner, profile, "authority_handoff", "1")
        application = programme_services.create_application(owner, programme_id=programme.pk)
        programme_services.submit_application(owner, application.pk)
        if until == "assessed":
            programme_services.start_screening(staff[Role.OFFICER], application.pk)
            programme_services.mark_application_assessed(staff[Role.OFFICER], application.pk)
        return application, owner

    return _make


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _fields(response):
    return [(e["field"], e["rule"]) for e in response.json()["errors"]]


# --- scores ---------------------------------------------------------------------------------------


def test_a_candidate_reads_their_score_with_reasons_in_their_language(make_application):
    application, owner = make_application()
    stored = services.assess_application(owner, application.pk)
    client = _client(owner)
    english = client.get(f"/api/assessment/applications/{application.pk}/assessment")
    assert english.status_code == 200
    assert english.json()["total"] == stored.total
    assert english.json()["factors"][0]["reason"].startswith("Profession sought")
    assert english.json()["notes"] == []  # a profile with no salary in another currency converts nothing
    russian = client.get(f"/api/assessment/applications/{application.pk}/assessment", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.json()["factors"][0]["reason"].startswith("Профессия")
    assert client.get(f"/api/assessment/assessments/{stored.pk}?lang=ru").json()["id"] == stored.pk
    listed = client.get(f"/api/assessment/applications/{application.pk}/assessments")
    assert listed.json()["count"] == 1


def test_scores_refuse_anonymous_and_other_candidates(make_application, make_user):
    application, owner = make_application()
    stored = services.assess_application(owner, application.pk)
    assert _client().get(f"/api/assessment/assessments/{stored.pk}").status_code == 401
    stranger = _client(make_user(Role.CANDIDATE))
    assert stranger.get(f"/api/assessment/assessments/{stored.pk}").status_code == 404
    assert stranger.get(f"/api/assessment/applications/{application.pk}/assessment").status_code == 404
    assert _client(make_user(Role.HOST_STAFF)).get(f"/api/assessment/assessments/{stored.pk}").status_code == 404


def test_a_bad_language_is_refused_naming_the_parameter(make_application):
    application, owner = make_application()
    services.assess_application(owner, application.pk)
    response = _client(owner).get(f"/api/assessment/applications/{application.pk}/assessment?lang=de")
    assert response.status_code == 422
    assert _fields(response)[0][0] == "lang"


def test_an_officer_assesses_an_application_on_demand(make_application, staff, make_user):
    application, _owner = make_application()
    response = _post(_client(staff[Role.OFFICER]), f"/api/assessment/applications/{application.pk}/assess")
    assert response.status_code == 200
    assert response.json()["policy"] == "programme-merit"
    assert _post(_client(), f"/api/assessment/applications/{application.pk}/assess").status_code == 401
    other = _post(_client(make_user(Role.CANDIDATE)), f"/api/assessment/applications/{application.pk}/assess")
    assert other.status_code == 404
    assert Assessment.objects.count() == 1


def test_where_would_i_qualify_for_the_candidate_and_side_by_side_for_staff(make_application, staff, make_user):
    application, owner = make_application()
    mine = _client(owner).get("/api/assessment/compare?lang=ru")
    assert mine.status_code == 200
    assert [row["policy"] for row in mine.json()] == [
        "canada-crs",
        "early-career-fellowship",
        "germany-opportunity-card",
        "japan-hsp",
        "programme-merit",
    ]
    assert mine.json()[-1]["title"].startswith("Программа")
    external_id = application.profile.external_id
    staff_view = _client(staff[Role.OFFICER]).get(f"/api/assessment/compare?profile={external_id}")
    assert [r["total"] for r in staff_view.json()] == [r["total"] for r in mine.json()]
    assert _client().get("/api/assessment/compare").status_code == 401
    assert _client(make_user(Role.CANDIDATE)).get(f"/api/assessment/compare?profile={external_id}").status_code == 404


# --- policy versions ------------------------------------------------------------------------------


def _draft_text(version="2027-01-01"):
    text = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01").yaml_text
    return text.replace('version: "2026-01-01"', f'version: "{version}"').replace(
        "effective_from: 2026-01-01", "effective_from: 2027-01-01"
    )


def test_policy_governance_through_the_api(staff, make_user, make_application):
    make_application()
    officer, supervisor = staff[Role.OFFICER], staff[Role.SUPERVISOR]
    created = _post(_client(officer), "/api/assessment/policies", {"yaml_text": _draft_text()})
    assert created.status_code == 201
    version_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    own_review = _post(_client(officer), f"/api/assessment/policies/{version_id}/review")
    assert (own_review.status_code, _fields(own_review)) == (403, [("", "four_eyes")])
    assert _post(_client(supervisor), f"/api/assessment/policies/{version_id}/review").json()["status"] == "reviewed"
    impact = _post(_client(officer), f"/api/assessment/policies/{version_id}/impact")
    assert impact.status_code == 200
    assert impact.json()["pool"] == 1
    # The shipped version is open-ended; it must be retired before the new one can be published.
    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    other_supervisor = make_user(Role.SUPERVISOR)
    refused = _post(_client(other_supervisor), f"/api/assessment/policies/{version_id}/publish")
    assert (refused.status_code, _fields(refused)) == (409, [("status", "effective_dates_overlap")])
    assert _post(_client(other_supervisor), f"/api/assessment/policies/{shipped.pk}/retire").status_code == 200
    published = _post(_client(other_supervisor), f"/api/assessment/policies/{version_id}/publish")
    assert published.json()["status"] == "published"
    listed = _client(officer).get("/api/assessment/policies?policy_id=programme-merit&status=published")
    assert [v["version"] for v in listed.json()["items"]] == ["2027-01-01"]


def test_a_bad_policy_is_refused_naming_the_line_and_nothing_is_stored(staff):
    count = PolicyVersion.objects.count()
    response = _post(
        _client(staff[Role.OFFICER]),
        "/api/assessment/policies",
        {"yaml_text": _draft_text().replace("max_total: 100", "max_total: -5")},
    )
    assert response.status_code == 400
    assert _fields(response)[0] == ("yaml_text", "policy_invalid")
    assert PolicyVersion.objects.count() == count
    missing = _post(_client(staff[Role.OFFICER]), "/api/assessment/policies", {})
    assert (missing.status_code, _fields(missing)[0][0]) == (422, "yaml_text")


def test_candidates_see_published_versions_only_and_may_not_draft(make_user, staff):
    draft = services.create_policy_draft(staff[Role.OFFICER], _draft_text())
    candidate = _client(make_user(Role.CANDIDATE))
    assert candidate.get(f"/api/assessment/policies/{draft.pk}").status_code == 404
    assert candidate.get("/api/assessment/policies?status=draft").json()["count"] == 0
    assert _post(candidate, "/api/assessment/policies", {"yaml_text": _draft_text("x")}).status_code == 403
    assert _client().get("/api/assessment/policies").status_code == 401


# --- pool and rounds ------------------------------------------------------------------------------


def test_pool_reassessment_job_and_its_progress(make_application, staff, programme, make_user):
    make_application()
    make_application(years=2)
    response = _post(_client(staff[Role.OFFICER]), f"/api/assessment/programmes/{programme.pk}/reassess", {})
    assert response.status_code == 202
    job = _client(staff[Role.SUPERVISOR]).get(f"/api/assessment/jobs/{response.json()['id']}").json()
    assert (job["status"], job["done"], job["total"], job["progress"]) == ("succeeded", 2, 2, 1.0)
    bad = _post(
        _client(staff[Role.OFFICER]), f"/api/assessment/programmes/{programme.pk}/reassess", {"policy_id": "nope"}
    )
    assert (bad.status_code, _fields(bad)) == (400, [("policy_id", "not_published")])
    candidate = _client(make_user(Role.CANDIDATE))
    assert _post(candidate, f"/api/assessment/programmes/{programme.pk}/reassess", {}).status_code == 403
    assert candidate.get(f"/api/assessment/jobs/{response.json()['id']}").status_code == 404


def test_a_round_runs_through_the_api_and_running_twice_invites_nobody_twice(
    make_application, staff, programme, make_user
):
    officer, supervisor = staff[Role.OFFICER], staff[Role.SUPERVISOR]
    made = [make_application(until="assessed", years=y)[0] for y in (1, 6, 12)]
    for application in made:
        services.assess_application(officer, application.pk)
    body = {"programme_id": programme.pk, "name": "First draw", "policy_id": "programme-merit", "invitations": 2}
    defined = _post(_client(officer), "/api/assessment/rounds", body)
    assert defined.status_code == 201
    round_id = defined.json()["id"]
    preview = _post(_client(officer), f"/api/assessment/rounds/{round_id}/preview").json()["preview"]
    assert (preview["pool"], preview["invited"]) == (3, 2)
    assert _post(_client(officer), f"/api/assessment/rounds/{round_id}/approve").status_code == 403
    assert _post(_client(supervisor), f"/api/assessment/rounds/{round_id}/approve").json()["status"] == "approved"
    ran = _post(_client(officer), f"/api/assessment/rounds/{round_id}/run")
    assert ran.status_code == 200
    assert ran.json()["result"]["invited"] == 2
    again = _post(_client(officer), f"/api/assessment/rounds/{round_id}/run")
    assert (again.status_code, _fields(again)) == (409, [("status", "already_run")])
    invitations = _client(supervisor).get(f"/api/assessment/rounds/{round_id}/invitations").json()
    assert [i["rank"] for i in invitations["items"]] == [1, 2]
    statuses = sorted(programme_services.selectors.get_application_for(officer, a.pk).status for a in made)
    assert statuses == ["assessed", "invited", "invited"]
    fairness = _client(supervisor).get(f"/api/assessment/rounds/{round_id}/fairness").json()
    assert [row["group"] for row in fairness["by_region"]] == ["Americas"]
    assert _client(officer).get(f"/api/assessment/rounds?status=run&programme_id={programme.pk}").json()["count"] == 1
    assert _client().get(f"/api/assessment/rounds/{round_id}").status_code == 401
    assert _client(make_user(Role.CANDIDATE)).get(f"/api/assessment/rounds/{round_id}").status_code == 404


def test_define_round_refuses_a_bad_field_naming_it_and_stores_nothing(staff, programme):
    body = {
        "programme_id": programme.pk,
        "name": "x",
        "policy_id": "programme-merit",
        "invitations": 3,
        "category": "astronauts",
    }
    response = _post(_client(staff[Role.OFFICER]), "/api/assessment/rounds", body)
    assert response.status_code == 400
    assert _fields(response) == [("category", "unknown_category")]
    assert SelectionRound.objects.count() == 0


def test_an_administrator_sets_a_programme_policy_through_the_api(staff, programme):
    from talentgate.assessment import policies

    path = f"/api/assessment/programmes/{programme.pk}/policy"
    admin = _client(staff[Role.ADMINISTRATOR])
    response = admin.put(path, json.dumps({"policy_id": "canada-crs"}), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"programme_id": programme.pk, "policy_id": "canada-crs"}
    bad = admin.put(path, json.dumps({"policy_id": "nope"}), content_type="application/json")
    assert bad.status_code == 400
    assert _fields(bad) == [("policy_id", "not_published")]
    officer = _client(staff[Role.OFFICER])
    refused = officer.put(path, json.dumps({"policy_id": "japan-hsp"}), content_type="application/json")
    assert refused.status_code == 403
    anonymous = _client().put(path, json.dumps({"policy_id": "japan-hsp"}), content_type="application/json")
    assert anonymous.status_code == 401
    assert policies.policy_id_for_programme(programme.pk) == "canada-crs"
