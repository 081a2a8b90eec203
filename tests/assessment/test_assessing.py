"""Assessing applications: at submission (on commit), one by one, a whole pool as a job; stored once per inputs;
who sees them; and "where would I qualify?" across every published policy."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.accounts.roles import Role
from talentgate.assessment import selectors, services
from talentgate.assessment.models import Assessment
from talentgate.common.errors import NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry, Job
from talentgate.programmes import services as programme_services

pytestmark = pytest.mark.django_db


def test_submitting_assesses_the_application_once_the_submission_commits(
    make_candidate, programme, django_capture_on_commit_callbacks
):
    owner, _ = make_candidate(years=8)
    application = programme_services.create_application(owner, programme_id=programme.pk)
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.submit_application(owner, application.pk)
        assert not Assessment.objects.filter(application=application).exists()
    stored = Assessment.objects.get(application=application)
    # programme-merit: priority profession 20 + 5-9 years 10 (profession, 30); master's 15 + STEM field; C1 English.
    assert (stored.policy_id, stored.version, stored.eligible) == ("programme-merit", "2026-01-01", True)
    assert stored.groups["profession"] == 30
    assert {f["factor"]: f["rule"] for f in stored.factors}["priority_profession"] == "priority"
    assert stored.factors[0]["reason"]["ru"]
    assert stored.factors[0]["reason"]["en"]
    assert AuditEntry.objects.filter(action="assessment.create", object_id=str(stored.pk)).count() == 1


def test_a_failing_assessment_never_undoes_the_submission(
    make_candidate, programme, django_capture_on_commit_callbacks
):
    from talentgate.assessment.models import PolicyVersion

    PolicyVersion.objects.filter(policy_id="programme-merit").delete()
    owner, _ = make_candidate()
    application = programme_services.create_application(owner, programme_id=programme.pk)
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.submit_application(owner, application.pk)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not Assessment.objects.filter(application=application).exists()


def test_assessing_the_same_inputs_again_keeps_one_row(make_application, officer):
    application, owner = make_application()
    first = services.assess_application(owner, application.pk)
    again = services.assess_application(officer, application.pk)
    assert again.pk == first.pk
    assert Assessment.objects.filter(application=application).count() == 1


def test_a_draft_is_not_assessed_and_strangers_may_not_ask(make_candidate, programme, make_user):
    owner, _ = make_candidate()
    draft = programme_services.create_application(owner, programme_id=programme.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.assess_application(owner, draft.pk)
    assert refused.value.errors[0].field == "status"
    with pytest.raises(NotFound):
        services.assess_application(make_user(Role.CANDIDATE), draft.pk)
    with pytest.raises(NotFound):
        services.assess_application(make_user(Role.HOST_STAFF), draft.pk)


def test_candidates_see_only_their_own_assessments(make_application, make_user):
    mine, me = make_application()
    theirs, them = make_application()
    own = services.assess_application(me, mine.pk)
    other = services.assess_application(them, theirs.pk)
    assert list(selectors.assessments_visible_to(me)) == [own]
    with pytest.raises(NotFound):
        selectors.get_assessment_for(me, other.pk)
    assert selectors.assessments_visible_to(make_user(Role.HOST_ADMIN)).count() == 0
    assert selectors.latest_assessment(make_user(Role.SUPERVISOR), theirs.pk) == other
    russian = selectors.explained(own, "ru")
    assert russian["factors"][0]["reason"] == own.factors[0]["reason"]["ru"]


def test_reassessing_a_pool_runs_as_a_job_with_progress_and_stores_each_result_once(make_application, officer):
    for years in (2, 6, 11):
        make_application(years=years)
    job = services.reassess_pool(officer, _programme_of(make_application))
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == (Job.Status.SUCCEEDED, 3, 3)
    assert job.result == {
        "policy": "programme-merit",
        "version": "2026-01-01",
        "on": job.result["on"],
        "assessed": 3,
        "new": 3,
    }
    again = services.reassess_pool(officer, _programme_of(make_application))
    again.refresh_from_db()
    assert again.result["new"] == 0
    assert Assessment.objects.count() == 3


def _programme_of(make_application):
    from talentgate.programmes.models import Programme

    return Programme.objects.get(code="talent").pk


def test_reassessing_needs_an_officer_and_a_published_policy(programme, make_user, officer):
    with pytest.raises(PermissionRefused):
        services.reassess_pool(make_user(Role.CANDIDATE), programme.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.reassess_pool(officer, programme.pk, "no-such-policy")
    assert refused.value.errors[0].field == "policy_id"
    assert Job.objects.count() == 0


def test_compare_policies_assesses_one_profile_under_every_published_policy(make_candidate, make_user, officer):
    owner, profile = make_candidate(years=8)
    rows = services.compare_policies(owner)
    assert [row["policy"] for row in rows] == [
        "canada-crs",
        "early-career-fellowship",
        "germany-opportunity-card",
        "japan-hsp",
        "programme-merit",
    ]
    merit = rows[-1]
    assert merit["eligible"] is True
    assert merit["max_total"] == 100
    assert merit["title"]["ru"].startswith("Программа")
    assert services.compare_policies(officer, profile.external_id)[-1]["total"] == merit["total"]
    other, _ = make_candidate()
    with pytest.raises(NotFound):
        services.compare_policies(other, profile.external_id)
    with pytest.raises(NotFound):
        services.compare_policies(make_user(Role.HOST_STAFF), profile.external_id)


def test_a_stored_assessment_names_the_exchange_rate_table_and_year_it_converted_with(
    make_application, officer, administrator
):
    application, _ = make_application(
        salary_offers=[{"amount": "7000", "currency": "EUR", "period": "month", "offered_on": "2025-11-01"}]
    )
    services.set_programme_policy(administrator, application.programme_id, "japan-hsp")
    stored = services.assess_application(officer, application.pk, on=dt.date(2025, 12, 1))
    assert stored.policy_id == "japan-hsp"
    assert stored.notes == ["converted from EUR with annual-average-usd 2025"]
    assert selectors.explained(stored, "ru")["notes"] == stored.notes
    assert "salary_offers" not in stored.missing
