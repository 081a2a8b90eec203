"""Matrix entries of competitions: calls are read by everyone signed in; staff run the competition; candidates
submit; a reviewer declares, reads and scores only what is assigned to them (another submission is 404).

World: ``call_a`` (the candidate's eligible submission assigned to the reviewer; the other candidate's ineligible
one never assigned), ``call_b`` (the other candidate's submission, reviewed, ready for an award as a mobility
slot) and ``call_c`` (open, empty: for submitting).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from permission_matrix.harness import ALL_SIGNED_IN, PROGRAMME_STAFF, Endpoint, World
from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.competitions import services

REVIEWER = frozenset({"reviewer"})
CANDIDATES = frozenset({"candidate", "other_candidate"})
ELIGIBLE = {"highest_isced_level": 8, "years_since_doctorate": 2}
CRITERIA = [{"code": "quality", "label": "Quality", "weight": "1", "min_score": 0, "max_score": 10}]


def _call(officer: User, title: str, **extra: object) -> object:
    today = timezone.localdate()
    return services.create_call(
        officer,
        criteria=CRITERIA,
        title=title,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=30),
        policy_id="early-career-fellowship",
        policy_version="2026-01-01",
        reviews_per_submission=1,
        **extra,
    )


def _submit(user: User, call: object, inputs: dict[str, int]) -> object:
    return services.submit_entry(
        user,
        call.pk,
        title=f"Entry of {user.email}",
        abstract="Matrix.",
        institution="Matrix U",
        country="BR",
        eligibility_inputs=inputs,
    )


def build(world: World) -> None:
    officer, reviewer = world.users["officer"], world.users["reviewer"]
    call_a = _call(officer, "Matrix call A")
    services.add_panel_member(officer, call_a.pk, reviewer_id=reviewer.pk, institution="Reviewer U", country="DE")
    world.objects["competition_submission"] = _submit(world.users["candidate"], call_a, ELIGIBLE)
    world.objects["unassigned_submission"] = _submit(world.users["other_candidate"], call_a, {"highest_isced_level": 7})
    services.run_assignment(officer, call_a.pk)
    call_b = _call(officer, "Matrix call B", award_outcome="mobility_slot")
    services.add_panel_member(officer, call_b.pk, reviewer_id=reviewer.pk, institution="Reviewer U", country="DE")
    world.objects["reviewed_submission"] = _submit(world.users["other_candidate"], call_b, ELIGIBLE)
    services.run_assignment(officer, call_b.pk)
    services.submit_review(reviewer, world.objects["reviewed_submission"].pk, scores={"quality": 7})
    world.objects["call_a"], world.objects["call_b"] = call_a, call_b
    world.objects["call_c"] = _call(officer, "Matrix call C")
    world.objects["spare_reviewer"] = User.objects.create_user(
        "spare-reviewer@example.test", "pw-Test-12345", role=Role.REVIEWER
    )


def _call_id(name: str):
    return lambda w: {"call_id": w.obj(name).pk}


def _submission_id(name: str):
    return lambda w: {"submission_id": w.obj(name).pk}


ENDPOINTS = [
    Endpoint("api:competitions_list_calls", ALL_SIGNED_IN),
    Endpoint("api:competitions_get_competition_call", ALL_SIGNED_IN, kwargs=_call_id("call_a")),
    Endpoint(
        "api:competitions_create_competition_call",
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {
            "title": "Matrix new call",
            "opens_on": "2026-01-01",
            "closes_on": "2026-02-01",
            "review_deadline": "2026-03-01",
            "policy_id": "early-career-fellowship",
            "policy_version": "2026-01-01",
            "criteria": CRITERIA,
        },
    ),
    Endpoint(
        "api:competitions_add_call_panel_member",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_call_id("call_a"),
        body=lambda w: {"reviewer_id": w.obj("spare_reviewer").pk, "institution": "Elsewhere", "country": "FR"},
    ),
    Endpoint(
        "api:competitions_submit_call_entry",
        CANDIDATES,
        method="POST",
        kwargs=_call_id("call_c"),
        body=lambda w: {
            "title": "T",
            "abstract": "A",
            "institution": "U",
            "country": "BR",
            "eligibility_inputs": ELIGIBLE,
        },
    ),
    Endpoint("api:competitions_list_competition_submissions", ALL_SIGNED_IN),
    Endpoint(
        "api:competitions_get_competition_submission",
        PROGRAMME_STAFF | REVIEWER | {"candidate"},
        kwargs=_submission_id("competition_submission"),
        label="assigned",
    ),
    Endpoint(
        "api:competitions_get_competition_submission",
        PROGRAMME_STAFF | {"other_candidate"},
        kwargs=_submission_id("unassigned_submission"),
        label="unassigned",
    ),
    Endpoint(
        "api:competitions_declare_reviewer_conflict",
        REVIEWER,
        method="POST",
        kwargs=_call_id("call_a"),
        body=lambda w: {"kind": "coauthorship", "person_email": "someone@example.test", "year": 2025},
    ),
    Endpoint("api:competitions_list_call_conflicts", PROGRAMME_STAFF, kwargs=_call_id("call_a")),
    Endpoint("api:competitions_run_reviewer_assignment", PROGRAMME_STAFF, method="POST", kwargs=_call_id("call_a")),
    Endpoint("api:competitions_get_latest_assignment_run", PROGRAMME_STAFF, kwargs=_call_id("call_a")),
    Endpoint("api:competitions_list_my_review_assignments", ALL_SIGNED_IN),
    Endpoint(
        "api:competitions_submit_submission_review",
        REVIEWER,
        method="PUT",
        kwargs=_submission_id("competition_submission"),
        body=lambda w: {"scores": {"quality": 8}, "comment": "Sound."},
    ),
    Endpoint("api:competitions_get_call_ranking", PROGRAMME_STAFF, kwargs=_call_id("call_b")),
    Endpoint(
        "api:competitions_make_call_award",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_call_id("call_b"),
        body=lambda w: {"submission_id": w.obj("reviewed_submission").pk, "mobility_slot": "Matrix slot 1"},
    ),
]

# Portal pages: the same rules as the API.
ENDPOINTS += [
    Endpoint("portal:competitions:calls", ALL_SIGNED_IN),
    Endpoint("portal:competitions:call", ALL_SIGNED_IN, kwargs=_call_id("call_a")),
    Endpoint(
        "portal:competitions:submit",
        CANDIDATES,
        method="POST",
        kwargs=_call_id("call_c"),
        body=lambda w: {
            "title": "T",
            "abstract": "A",
            "institution": "U",
            "country": "BR",
            "input_highest_isced_level": 8,
            "input_years_since_doctorate": 2,
        },
    ),
    Endpoint(
        "portal:competitions:declare",
        REVIEWER,
        method="POST",
        kwargs=_call_id("call_a"),
        body=lambda w: {"kind": "conflict", "person_email": "someone@example.test"},
    ),
    Endpoint("portal:competitions:assign", PROGRAMME_STAFF, method="POST", kwargs=_call_id("call_a")),
    Endpoint(
        "portal:competitions:award",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_call_id("call_b"),
        body=lambda w: {"submission_id": w.obj("reviewed_submission").pk, "mobility_slot": "Matrix slot 2"},
    ),
    Endpoint("portal:competitions:assignments", ALL_SIGNED_IN),
    Endpoint(
        "portal:competitions:submission",
        PROGRAMME_STAFF | REVIEWER | {"candidate"},
        kwargs=_submission_id("competition_submission"),
        label="assigned",
    ),
    Endpoint(
        "portal:competitions:submission",
        PROGRAMME_STAFF | {"other_candidate"},
        kwargs=_submission_id("unassigned_submission"),
        label="unassigned",
    ),
    Endpoint(
        "portal:competitions:submission",
        REVIEWER,
        method="POST",
        kwargs=_submission_id("competition_submission"),
        body=lambda w: {"score_quality": 6},
        label="review",
    ),
    Endpoint(
        "portal:competitions:validate_score",
        REVIEWER,
        method="POST",
        kwargs=lambda w: {"submission_id": w.obj("competition_submission").pk, "field": "score_quality"},
        body=lambda w: {"score_quality": 4},
    ),
]
