"""The competitions API: happy paths from call to award, anonymous 401, an unassigned reviewer 404 with nothing
changed, a bad field named with nothing changed, and the Russian error text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.common.models import AuditEntry
from talentgate.competitions.models import Award, Call, Review, ReviewAssignment, Submission

pytestmark = pytest.mark.django_db

API = "/api/competitions"
CRITERIA = [
    {"code": "quality", "label": "Quality", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "fit", "label": "Fit", "weight": 1, "min_score": 1, "max_score": 5},
]


def client_for(user=None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(f"{API}{path}")
    return getattr(client, method)(f"{API}{path}", json.dumps(body), content_type="application/json")


def state():
    return (
        Call.objects.count(),
        Submission.objects.count(),
        Review.objects.count(),
        Award.objects.count(),
        AuditEntry.objects.count(),
    )


def call_body(**extra):
    today = timezone.localdate()
    return {
        "title": "Fellowship",
        "kind": "fellowship",
        "opens_on": (today - dt.timedelta(days=1)).isoformat(),
        "closes_on": (today + dt.timedelta(days=10)).isoformat(),
        "review_deadline": (today + dt.timedelta(days=20)).isoformat(),
        "policy_id": "early-career-fellowship",
        "policy_version": "2026-01-01",
        "reviews_per_submission": 1,
        "criteria": CRITERIA,
        **extra,
    }


def candidate(make_user):
    user = make_user(Role.CANDIDATE)
    Profile.objects.create(
        user=user, external_id=f"c{user.pk}", given_names_latin="Kim", date_of_birth=dt.date(1990, 1, 1), sex="male"
    )
    return user


def test_call_to_award_through_the_api(make_user):
    officer = client_for(make_user(Role.OFFICER))
    reviewer_user = make_user(Role.REVIEWER)
    created = send(officer, "post", "/calls", call_body())
    assert created.status_code == 201, created.content
    call_id = created.json()["id"]
    assert [c["code"] for c in created.json()["criteria"]] == ["quality", "fit"]
    panel = send(
        officer,
        "post",
        f"/calls/{call_id}/panel",
        {"reviewer_id": reviewer_user.pk, "institution": "Inst R", "country": "DE"},
    )
    assert panel.status_code == 201
    entrant = client_for(candidate(make_user))
    submitted = send(
        entrant,
        "post",
        f"/calls/{call_id}/submissions",
        {
            "title": "Tracking debris",
            "abstract": "A",
            "institution": "Inst C",
            "country": "BR",
            "eligibility_inputs": {"highest_isced_level": 8, "years_since_doctorate": 3},
        },
    )
    assert submitted.status_code == 201, submitted.content
    submission_id = submitted.json()["id"]
    assert submitted.json()["eligible"] is True
    run = send(officer, "post", f"/calls/{call_id}/assignment-runs")
    assert run.status_code == 201
    assert run.json()["feasible"] is True
    assert run.json()["assignments"][0]["reviewer_id"] == reviewer_user.pk
    reviewer = client_for(reviewer_user)
    mine = send(reviewer, "get", "/assignments")
    assert [a["submission_id"] for a in mine.json()["items"]] == [submission_id]
    reviewed = send(reviewer, "put", f"/submissions/{submission_id}/review", {"scores": {"quality": 9, "fit": 4}})
    assert reviewed.status_code == 200
    ranking = send(officer, "get", f"/calls/{call_id}/ranking")
    assert ranking.json()[0]["weighted_mean"] == pytest.approx((2 * 9 + 4) / 3, abs=1e-6)
    award = send(officer, "post", f"/calls/{call_id}/awards", {"submission_id": submission_id})
    assert award.status_code == 201
    assert award.json()["case_id"] is not None


def test_anonymous_gets_401(make_user):
    for method, path in (("get", "/calls"), ("post", "/calls"), ("get", "/assignments")):
        response = send(client_for(), method, path, {} if method == "post" else None)
        assert response.status_code == 401


def _world(make_user):
    officer_user = make_user(Role.OFFICER)
    officer = client_for(officer_user)
    call_id = send(officer, "post", "/calls", call_body()).json()["id"]
    reviewers = [make_user(Role.REVIEWER) for _ in range(2)]
    for r in reviewers:
        send(
            officer,
            "post",
            f"/calls/{call_id}/panel",
            {"reviewer_id": r.pk, "institution": f"I{r.pk}", "country": "DE"},
        )
    ids = []
    for _ in range(2):
        body = {
            "title": "T",
            "abstract": "A",
            "institution": "C",
            "country": "BR",
            "eligibility_inputs": {"highest_isced_level": 8, "years_since_doctorate": 1},
        }
        ids.append(send(client_for(candidate(make_user)), "post", f"/calls/{call_id}/submissions", body).json()["id"])
    send(officer, "post", f"/calls/{call_id}/assignment-runs")
    return officer, call_id, reviewers, ids


def test_unassigned_reviewer_gets_404_and_nothing_changes(make_user):
    _, _, reviewers, ids = _world(make_user)
    mine = ReviewAssignment.objects.get(reviewer=reviewers[0]).submission_id
    other = next(i for i in ids if i != mine)
    client = client_for(reviewers[0])
    before = state()
    assert send(client, "get", f"/submissions/{other}").status_code == 404
    assert send(client, "put", f"/submissions/{other}/review", {"scores": {"quality": 5, "fit": 3}}).status_code == 404
    assert state() == before
    assert send(client, "get", f"/submissions/{mine}").status_code == 200


def test_score_out_of_range_names_the_criterion_and_changes_nothing(make_user):
    _, _, reviewers, _ = _world(make_user)
    mine = ReviewAssignment.objects.get(reviewer=reviewers[0]).submission_id
    before = state()
    response = send(
        client_for(reviewers[0]), "put", f"/submissions/{mine}/review", {"scores": {"quality": 12, "fit": 3}}
    )
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("scores.quality", "range")]
    assert "Quality" in response.json()["errors"][0]["message"]
    assert state() == before


def test_bad_field_on_create_call_is_named_in_russian_too(make_user):
    officer = client_for(make_user(Role.OFFICER), language="ru")
    before = state()
    response = send(officer, "post", "/calls", call_body(policy_version="1900-01-01"))
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("policy_version", "published")
    assert state() == before


def test_reviewer_cannot_create_a_call_or_run_assignment(make_user):
    _officer, call_id, reviewers, _ = _world(make_user)
    client = client_for(reviewers[0])
    before = state()
    assert send(client, "post", "/calls", call_body()).status_code == 403
    assert send(client, "post", f"/calls/{call_id}/assignment-runs").status_code == 403
    assert send(client, "get", f"/calls/{call_id}/ranking").status_code == 403
    assert state() == before
