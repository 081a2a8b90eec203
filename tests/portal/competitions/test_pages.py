"""Competition pages: lists and call pages render in English and Russian, a candidate submits (and a bad input is
shown next to its field), a reviewer scores only what is assigned (404 otherwise, nothing changed), a score out of
range is shown next to its criterion, staff assign and award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.competitions import services
from talentgate.competitions.models import Award, Review, ReviewAssignment, Submission

pytestmark = pytest.mark.django_db

CRITERIA = [{"code": "quality", "label": "Quality", "weight": "1", "min_score": 0, "max_score": 10}]


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def world(make_user):
    officer = make_user(Role.OFFICER)
    today = timezone.localdate()
    call = services.create_call(
        officer,
        criteria=CRITERIA,
        title="Fellowship 2026",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10),
        policy_id="early-career-fellowship",
        policy_version="2026-01-01",
        reviews_per_submission=1,
        award_outcome="mobility_slot",
    )
    reviewers = [make_user(Role.REVIEWER) for _ in range(2)]
    for r in reviewers:
        services.add_panel_member(officer, call.pk, reviewer_id=r.pk, institution=f"I{r.pk}", country="DE")
    candidate = make_user(Role.CANDIDATE)
    Profile.objects.create(
        user=candidate, external_id="p1", given_names_latin="Li", date_of_birth=dt.date(1990, 1, 1), sex="female"
    )
    return {"officer": officer, "call": call, "reviewers": reviewers, "candidate": candidate}


def _submit(make_user, call, n=2):
    subs = []
    for _ in range(n):
        user = make_user(Role.CANDIDATE)
        subs.append(
            services.submit_entry(
                user,
                call.pk,
                title=f"S{user.pk}",
                abstract="A",
                institution="U",
                country="BR",
                eligibility_inputs={"highest_isced_level": 8, "years_since_doctorate": 1},
            )
        )
    return subs


@pytest.mark.parametrize("language", ["en", "ru"])
def test_pages_render_in_english_and_russian(world, make_user, language):
    _submit(make_user, world["call"])
    services.run_assignment(world["officer"], world["call"].pk)
    officer = client_for(world["officer"], language)
    calls = officer.get(reverse("portal:competitions:calls"))
    assert calls.status_code == 200
    assert calls["Content-Language"] == language
    page = officer.get(reverse("portal:competitions:call", args=[world["call"].pk]))
    assert page.status_code == 200
    assert "Fellowship 2026" in page.content.decode()
    candidate_page = client_for(world["candidate"], language).get(
        reverse("portal:competitions:call", args=[world["call"].pk])
    )
    text = candidate_page.content.decode()
    assert ("учёной степени" in text) if language == "ru" else ("doctorate" in text)
    reviewer = client_for(world["reviewers"][0], language)
    assert reviewer.get(reverse("portal:competitions:assignments")).status_code == 200


def test_candidate_submits_and_sees_the_eligibility_explanation(world):
    client = client_for(world["candidate"])
    url = reverse("portal:competitions:submit", args=[world["call"].pk])
    data = {
        "title": "Sat comms",
        "abstract": "A",
        "institution": "U",
        "country": "BR",
        "input_highest_isced_level": 8,
        "input_years_since_doctorate": 14,
    }
    response = client.post(url, data)
    submission = Submission.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Not eligible" in page
    assert "at most 10 years ago" in page
    assert submission.eligible is False


def test_bad_submission_shows_the_error_next_to_the_field_and_saves_nothing(world):
    client = client_for(world["candidate"])
    url = reverse("portal:competitions:submit", args=[world["call"].pk])
    data = {
        "title": "T",
        "abstract": "A",
        "institution": "U",
        "country": "BR",
        "input_highest_isced_level": 8,
        "input_years_since_doctorate": 1,
    }
    bad_file = {"attachment": ("cv.pdf", b"not a pdf")}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {**data, "attachment": SimpleUploadedFile(*bad_file["attachment"])})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_attachment_error"' in html or "id_attachment_error" in html
    assert "Attach a PDF file" in html
    assert Submission.objects.count() == 0


def test_reviewer_gets_404_for_an_unassigned_submission_and_nothing_changes(world, make_user):
    subs = _submit(make_user, world["call"])
    services.run_assignment(world["officer"], world["call"].pk)
    reviewer = world["reviewers"][0]
    mine = ReviewAssignment.objects.get(reviewer=reviewer).submission_id
    other = next(s.pk for s in subs if s.pk != mine)
    client = client_for(reviewer)
    assert client.get(reverse("portal:competitions:submission", args=[other])).status_code == 404
    assert client.post(reverse("portal:competitions:submission", args=[other]), {"score_quality": 5}).status_code == 404
    assert Review.objects.count() == 0
    assert client.get(reverse("portal:competitions:submission", args=[mine])).status_code == 200


def test_score_out_of_range_is_shown_next_to_the_criterion(world, make_user):
    _submit(make_user, world["call"], 1)
    services.run_assignment(world["officer"], world["call"].pk)
    reviewer = (
        world["reviewers"][0]
        if ReviewAssignment.objects.filter(reviewer=world["reviewers"][0]).exists()
        else world["reviewers"][1]
    )
    mine = ReviewAssignment.objects.get(reviewer=reviewer).submission_id
    client = client_for(reviewer)
    url = reverse("portal:competitions:submission", args=[mine])
    response = client.post(url, {"score_quality": "11"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "id_score_quality_error" in html
    assert "between 0 and 10" in html
    assert Review.objects.count() == 0
    live = client.post(
        reverse("portal:competitions:validate_score", args=[mine, "score_quality"]), {"score_quality": "-1"}
    )
    assert live.status_code == 200
    assert "between 0 and 10" in live.content.decode()
    assert client.post(url, {"score_quality": "7"}).status_code == 302
    assert Review.objects.get().scores == {"quality": 7.0}


def test_staff_assign_and_award_a_mobility_slot(world, make_user):
    (s,) = _submit(make_user, world["call"], 1)
    officer = client_for(world["officer"])
    assert officer.post(reverse("portal:competitions:assign", args=[world["call"].pk])).status_code == 302
    a = ReviewAssignment.objects.get()
    services.submit_review(a.reviewer, s.pk, scores={"quality": 8})
    url = reverse("portal:competitions:award", args=[world["call"].pk])
    missing = officer.post(url, {"submission_id": s.pk})
    assert missing.status_code == 400
    assert "Name the mobility slot" in missing.content.decode()
    assert Award.objects.count() == 0
    assert officer.post(url, {"submission_id": s.pk, "mobility_slot": "Slot 1"}).status_code == 302
    assert Award.objects.get().mobility_slot == "Slot 1"


def test_reviewer_cannot_assign_or_award(world):
    client = client_for(world["reviewers"][0])
    assert client.post(reverse("portal:competitions:assign", args=[world["call"].pk])).status_code == 403
    assert (
        client.post(reverse("portal:competitions:award", args=[world["call"].pk]), {"submission_id": 1}).status_code
        == 403
    )
