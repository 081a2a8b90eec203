"""Competition services: calls, eligibility explained, conflicts with reasons, assignment, reviews, ranking, awards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentgate.accounts.roles import Role
from talentgate.cases.models import CaseSource, RelocationCase
from talentgate.common.audit import entries_for
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.competitions import selectors, services, wording
from talentgate.competitions.models import Award, Call, ConflictOfInterest, Review, ReviewAssignment, Submission

from .conftest import CRITERIA, OPENS

pytestmark = pytest.mark.django_db


def _fields(error):
    return {(e.field, e.rule) for e in error.value.errors}


def test_create_call_refuses_an_unpublished_policy_and_a_bad_criterion_naming_them(make_user):
    officer = make_user(Role.OFFICER)
    with pytest.raises(ValidationFailed) as error:
        services.create_call(
            officer,
            criteria=[{**CRITERIA[0], "max_score": 0}],
            title="X",
            opens_on=OPENS,
            closes_on=OPENS,
            review_deadline=OPENS,
            policy_id="early-career-fellowship",
            policy_version="1999-01-01",
        )
    assert ("policy_version", "published") in _fields(error)
    assert ("criteria.0.max_score", "range") in _fields(error)
    assert Call.objects.count() == 0


def test_only_staff_create_calls(make_user):
    with pytest.raises(PermissionRefused):
        services.create_call(make_user(Role.REVIEWER), criteria=CRITERIA, title="X")


def test_eligibility_is_the_policy_verdict_with_its_explanation(competition):
    c = competition()
    eligible = c.submit()
    too_late = c.submit(inputs={"highest_isced_level": 8, "years_since_doctorate": 12})
    assert eligible.eligible is True
    assert too_late.eligible is False
    assert too_late.eligibility_explanation["gates"] == {"doctorate": True, "early_career": False}
    sentences = " ".join(too_late.eligibility_explanation["sentences"]["en"])
    assert "at most 10 years ago" in sentences
    assert "не более 10 лет назад" in " ".join(too_late.eligibility_explanation["sentences"]["ru"])
    assert entries_for(eligible).filter(action="submission.create").count() == 1


def test_bad_eligibility_input_is_named_and_nothing_is_saved(competition):
    c = competition()
    with pytest.raises(ValidationFailed) as error:
        c.submit(inputs={"highest_isced_level": "doctor", "favourite_colour": 1})
    assert ("eligibility_inputs.highest_isced_level", "type") in _fields(error)
    assert ("eligibility_inputs.favourite_colour", "unknown") in _fields(error)
    assert Submission.objects.count() == 0


def test_one_submission_per_candidate_and_only_while_open(competition):
    c = competition()
    first = c.submit()
    with pytest.raises(Conflict) as error:
        services.submit_entry(
            first.candidate,
            c.call.pk,
            title="Again",
            abstract="a",
            institution="U",
            country="BR",
            eligibility_inputs={},
            today=OPENS,
        )
    assert _fields(error) == {("call", "one_per_candidate")}
    with pytest.raises(Conflict) as closed:
        c.submit(day=OPENS + dt.timedelta(days=31))
    assert _fields(closed) == {("call", "open")}
    assert Submission.objects.count() == 1


def test_attachment_must_be_a_real_pdf(competition):
    c = competition()
    with pytest.raises(ValidationFailed) as error:
        c.submit(attachment=SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))
    assert _fields(error) == {("attachment", "type")}
    saved = c.submit(attachment=SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf"))
    assert saved.attachment.name.endswith(".pdf")
    assert saved.attachment.read().startswith(b"%PDF-")


def test_conflicts_are_detected_with_every_reason(competition):
    c = competition(
        same_country_conflict=True, institutions=["University A", "Lab B", "Lab C"], countries=["DE", "BR", "FR"]
    )
    s = c.submit(institution="  university a ", country="BR")
    services.declare(c.reviewers[2], c.call.pk, kind="coauthorship", person_email=s.candidate.email.upper(), year=2024)
    services.declare(c.reviewers[2], c.call.pk, kind="coauthorship", person_email=s.candidate.email, year=2020)
    services.detect_conflicts(c.officer, c.call.pk)
    found = {x.reviewer_id: [r["code"] for r in x.reasons] for x in ConflictOfInterest.objects.all()}
    # 2024 is within 3 years of 2026; 2020 is not.
    assert found == {
        c.reviewers[0].pk: ["same_institution"],
        c.reviewers[1].pk: ["same_country"],
        c.reviewers[2].pk: ["coauthorship"],
    }


def test_coauthorship_needs_a_year_and_only_panel_reviewers_declare(competition, make_user):
    c = competition()
    with pytest.raises(ValidationFailed) as error:
        services.declare(c.reviewers[0], c.call.pk, kind="coauthorship", person_email="x@example.test")
    assert ("year", "required") in _fields(error)
    with pytest.raises(NotFound):
        services.declare(make_user(Role.REVIEWER), c.call.pk, kind="conflict", person_email="x@example.test")


def test_assignment_never_gives_a_conflicted_pair_and_meets_k(competition):
    c = competition(reviewers=4, institutions=["University A", "U1", "U2", "U3"])
    subs = [c.submit(institution="University A") for _ in range(3)] + [c.submit(institution="Elsewhere")]
    services.declare(
        c.reviewers[1], c.call.pk, kind="conflict", person_email=subs[3].candidate.email, note="former student"
    )
    run = services.run_assignment(c.officer, c.call.pk)
    assert run.feasible
    pairs = set(ReviewAssignment.objects.values_list("reviewer_id", "submission_id"))
    conflicted = set(ConflictOfInterest.objects.values_list("reviewer_id", "submission_id"))
    assert pairs
    assert not pairs & conflicted
    assert (c.reviewers[0].pk, subs[0].pk) in conflicted
    per_sub = {s.pk: sum(1 for _, x in pairs if x == s.pk) for s in subs}
    assert set(per_sub.values()) == {2}
    # 8 reviews; reviewer 0 may only take the one submission from elsewhere, so 7 fall on 3 reviewers: 3 is optimal.
    assert run.max_load == 3
    assert sorted(ReviewAssignment.objects.filter(reviewer=c.reviewers[0]).values_list("submission_id", flat=True)) == [
        subs[3].pk
    ]
    assert {tuple(e["reasons"]) for e in run.exclusions} >= {("declared",), ("same_institution",)}
    declared = ConflictOfInterest.objects.get(reviewer=c.reviewers[1], submission=subs[3])
    assert declared.reasons == [{"code": "declared", "note": "former student"}]
    assert wording.conflict_reasons(declared.reasons) == "declared conflict: former student"
    assert entries_for(run).filter(action="call.assign").count() == 1


def test_infeasible_assignment_is_stored_naming_the_uncovered_submission(competition):
    c = competition(reviewers=2, institutions=["University A", "U1"])
    covered = c.submit(institution="Elsewhere")
    stuck = c.submit(institution="University A")
    run = services.run_assignment(c.officer, c.call.pk)
    assert not run.feasible
    assert [u["submission_id"] for u in run.uncovered] == [stuck.pk]
    assert run.uncovered[0]["code"] == "too_few_eligible"
    assert wording.uncovered_reason(run.uncovered[0]) == "only 1 of 2 reviewers are free of conflicts; 2 needed"
    assert run.summary == "1 submission cannot get its reviews; 3 assigned, largest load 2."
    assert ReviewAssignment.objects.filter(submission=covered).count() == 2


def _assigned(c, count=2):
    subs = [c.submit(institution=f"Campus {i}") for i in range(count)]
    services.run_assignment(c.officer, c.call.pk)
    return subs


def test_reviewer_sees_only_assigned_submissions_and_cannot_review_others(competition):
    c = competition(reviews_per_submission=1, reviewers=2)
    subs = _assigned(c)
    a = ReviewAssignment.objects.get(submission=subs[0])
    other_reviewer = next(r for r in c.reviewers if r.pk != a.reviewer_id)
    assert list(selectors.submissions_visible_to(other_reviewer)) == [subs[1]]
    with pytest.raises(NotFound):
        selectors.get_submission_for(other_reviewer, subs[0].pk)
    with pytest.raises(NotFound):
        services.submit_review(other_reviewer, subs[0].pk, scores={"excellence": 5, "impact": 3}, today=OPENS)
    assert Review.objects.count() == 0


def test_score_outside_the_range_is_refused_naming_the_criterion(competition):
    c = competition(reviews_per_submission=1, reviewers=1)
    (s,) = _assigned(c, 1)
    reviewer = c.reviewers[0]
    with pytest.raises(ValidationFailed) as error:
        services.submit_review(reviewer, s.pk, scores={"excellence": 11, "impact": 0, "novelty": 2}, today=OPENS)
    assert _fields(error) == {("scores.excellence", "range"), ("scores.impact", "range"), ("scores.novelty", "unknown")}
    assert "Scientific excellence" in str(error.value)
    assert "between 0 and 10" in str(error.value)
    assert Review.objects.count() == 0
    with pytest.raises(ValidationFailed) as not_numbers:
        services.submit_review(reviewer, s.pk, scores={"excellence": "NaN", "impact": "lots"}, today=OPENS)
    assert _fields(not_numbers) == {("scores.excellence", "number"), ("scores.impact", "number")}
    review = services.submit_review(reviewer, s.pk, scores={"excellence": 10, "impact": 1}, today=OPENS)
    assert review.scores == {"excellence": 10.0, "impact": 1.0}
    with pytest.raises(Conflict):
        services.run_assignment(c.officer, c.call.pk)


def _score(c, submission, excellence, impact):
    for a in ReviewAssignment.objects.filter(submission=submission):
        services.submit_review(
            a.reviewer, submission.pk, scores={"excellence": excellence, "impact": impact}, today=OPENS
        )


def test_ranking_by_weighted_mean_then_tie_rules(competition):
    c = competition(reviews_per_submission=1, reviewers=3, institutions=["Campus 9", "X", "Y"])
    subs = [c.submit(institution=f"Campus {i}") for i in range(4)] + [c.submit(institution="Campus 9")]
    services.run_assignment(c.officer, c.call.pk)
    # weighted means: (2*e + i) / 3
    _score(c, subs[0], 6, 3)  # 5.0
    _score(c, subs[1], 7, 1)  # 5.0, higher on the first criterion -> above subs[0]
    _score(c, subs[2], 9, 3)  # 7.0 -> first
    _score(c, subs[3], 6, 3)  # 5.0, ties subs[0] on both criteria and conflicts: later submission -> below
    _score(c, subs[4], 6, 3)  # 5.0 with one recorded conflict (Campus 9) -> below subs[0] and subs[3]
    ranking = selectors.panel_ranking(c.officer, c.call.pk)
    assert [r.submission.pk for r in ranking] == [subs[2].pk, subs[1].pk, subs[0].pk, subs[3].pk, subs[4].pk]
    assert [r.weighted_mean for r in ranking] == [7.0, 5.0, 5.0, 5.0, 5.0]
    assert [r.rank for r in ranking] == [1, 2, 3, 4, 5]


def test_award_opens_a_relocation_case_through_the_cases_service(competition):
    c = competition(reviews_per_submission=1, reviewers=2, award_count=1)
    subs = _assigned(c)
    _score(c, subs[0], 9, 5)
    award = services.make_award(c.officer, c.call.pk, subs[0].pk)
    case = RelocationCase.objects.get(pk=award.case_id)
    assert case.source == CaseSource.AWARD
    assert case.award == award
    assert case.profile == subs[0].candidate.profile
    assert award.rank == 1
    assert entries_for(award).filter(action="award.create").count() == 1
    with pytest.raises(ValidationFailed) as unranked:
        services.make_award(c.officer, c.call.pk, subs[1].pk)
    assert _fields(unranked) == {("submission_id", "ranked")}
    _score(c, subs[1], 5, 5)
    with pytest.raises(Conflict) as full:
        services.make_award(c.officer, c.call.pk, subs[1].pk)
    assert _fields(full) == {("call", "award_count")}
    assert Award.objects.count() == 1
    assert RelocationCase.objects.count() == 1


def test_award_as_a_mobility_slot_needs_the_slot(competition):
    c = competition(reviews_per_submission=1, reviewers=1, award_outcome="mobility_slot")
    (s,) = _assigned(c, 1)
    _score(c, s, 8, 4)
    with pytest.raises(ValidationFailed) as error:
        services.make_award(c.officer, c.call.pk, s.pk)
    assert _fields(error) == {("mobility_slot", "required")}
    award = services.make_award(c.officer, c.call.pk, s.pk, mobility_slot="BRICS exchange 2026 / slot 4")
    assert award.case_id is None
    assert award.mobility_slot == "BRICS exchange 2026 / slot 4"
    assert RelocationCase.objects.count() == 0


def test_reviewers_and_candidates_cannot_run_assignment_or_award(competition):
    c = competition(reviewers=1)
    for actor in (c.reviewers[0],):
        with pytest.raises(PermissionRefused):
            services.run_assignment(actor, c.call.pk)
        with pytest.raises(PermissionRefused):
            selectors.panel_ranking(actor, c.call.pk)
