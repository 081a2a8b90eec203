"""A competition reviewer in a real browser: from the Competitions page to their assignments, where only the
entry assigned to them is listed; they score it (an out-of-range score is flagged live next to its criterion
and saved nothing), save the review and see it counted; the entry assigned to the other panel member is not
found for them, by its address either.

The call, its panel, the two entries and the assignment run are set up through the services, as programme
staff and candidates leave them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.competitions import services as competitions
from talentgate.competitions.models import Review, ReviewAssignment

from .support import check_accessibility, screenshot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "Panel-Review-2031"
CRITERIA = [
    {"code": "quality", "label": "Scientific quality", "weight": "2", "min_score": 0, "max_score": 10},
    {"code": "value", "label": "Strategic value", "weight": "1", "min_score": 0, "max_score": 5},
]


def _person(role: Role, email: str, first: str, last: str):
    return create_user(None, email=email, password=PASSWORD, role=role, first_name=first, last_name=last)


@pytest.fixture
def panel():
    """A fellowship call with two reviewers on its panel and two eligible entries, one assigned to each."""
    officer = _person(Role.OFFICER, "officer@example.test", "Olga", "Officer")
    today = timezone.localdate()
    call = competitions.create_call(
        officer,
        criteria=CRITERIA,
        title="Orbital research fellowship 2026",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10),
        policy_id="early-career-fellowship",
        policy_version="2026-01-01",
        reviews_per_submission=1,
        award_outcome="mobility_slot",
    )
    reviewers = [
        _person(Role.REVIEWER, "rui.reviewer@example.test", "Rui", "Reviewer"),
        _person(Role.REVIEWER, "pia.panel@example.test", "Pia", "Panel"),
    ]
    for reviewer, institution in zip(reviewers, ("University of Lisbon", "ETH Zurich"), strict=True):
        competitions.add_panel_member(officer, call.pk, reviewer_id=reviewer.pk, institution=institution, country="PT")
    for email, title in (
        ("li.wei@example.test", "Laser links between small satellites"),
        ("ana.souza@example.test", "Plasma thrusters for orbit raising"),
    ):
        author = _person(Role.CANDIDATE, email, email.split(".")[0].title(), "Author")
        competitions.submit_entry(
            author,
            call.pk,
            title=title,
            abstract="Two years of work at a mega-science facility.",
            institution="Federal University",
            country="BR",
            eligibility_inputs={"highest_isced_level": 8, "years_since_doctorate": 2},
        )
    competitions.run_assignment(officer, call.pk)
    mine = ReviewAssignment.objects.select_related("submission").get(reviewer=reviewers[0]).submission
    other = ReviewAssignment.objects.select_related("submission").get(reviewer=reviewers[1]).submission
    return {"call": call, "reviewer": reviewers[0], "mine": mine, "other": other}


def test_a_reviewer_scores_the_entry_assigned_to_them_and_cannot_open_another(new_page, artifacts, panel):
    mine, other = panel["mine"], panel["other"]
    page = new_page()
    sign_in(page, "rui.reviewer@example.test", PASSWORD)

    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Competitions").click()
    page.get_by_role("heading", name="Competitions, grants and fellowships").wait_for()
    assert page.get_by_role("link", name="Orbital research fellowship 2026").is_visible()
    check_accessibility(page, "reviewer: calls")
    page.get_by_role("link", name="Your review assignments").click()
    page.get_by_role("heading", name="Your review assignments").wait_for()
    assignments = page.get_by_role("table", name="Submissions assigned to you")
    assert assignments.get_by_role("link", name=mine.title).is_visible()
    assert assignments.get_by_role("link", name=other.title).count() == 0
    assert "no" in assignments.get_by_role("row").filter(has_text=mine.title).inner_text()
    check_accessibility(page, "reviewer: assignments")
    screenshot(page, artifacts, "reviewer-assignments")

    # The entry, its eligibility, and the rubric; a score above the criterion's range is flagged live.
    assignments.get_by_role("link", name=mine.title).click()
    page.get_by_role("heading", name=mine.title).wait_for()
    assert page.get_by_text("Eligible under the call's policy.").is_visible()
    quality = page.get_by_label("Scientific quality")
    quality.fill("11")
    quality.press("Tab")
    page.locator("#id_score_quality_error").wait_for()
    assert "between 0 and 10" in page.locator("#id_score_quality_field").inner_text()
    assert not Review.objects.exists()
    check_accessibility(page, "reviewer: submission with a live error")

    page.get_by_label("Scientific quality").fill("8")
    page.get_by_label("Strategic value").fill("4.5")
    page.get_by_label("Comment").fill("Clear plan; the ground segment needs more detail.")
    page.get_by_role("button", name="Save the review").click()
    page.get_by_text("Your review is saved.").wait_for()
    assert page.get_by_label("Scientific quality").input_value() in ("8", "8.0")
    check_accessibility(page, "reviewer: submission reviewed")
    screenshot(page, artifacts, "reviewer-submission-reviewed")

    review = Review.objects.select_related("assignment").get()
    assert (review.assignment.reviewer_id, review.assignment.submission_id) == (panel["reviewer"].pk, mine.pk)
    assert review.scores == {"quality": 8.0, "value": 4.5}
    assert review.comment == "Clear plan; the ground segment needs more detail."

    page.get_by_role("link", name="Competitions").first.click()
    page.get_by_role("link", name="Your review assignments").click()
    row = page.get_by_role("table", name="Submissions assigned to you").get_by_role("row").filter(has_text=mine.title)
    assert "yes" in row.inner_text()

    # The other panel member's entry: not found, not even its title shown, and nothing written.
    response = page.goto(f"/competitions/submissions/{other.pk}/")
    assert response is not None
    assert response.status == 404
    assert other.title not in page.content()
    assert Review.objects.count() == 1
