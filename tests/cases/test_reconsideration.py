"""Reconsideration: the candidate asks within the window, a different officer reviews; upheld and overturned
outcomes are decisions of their own, overturning reopens the case; everything audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from talentgate.accounts.roles import Role
from talentgate.cases import letters, reconsideration, services
from talentgate.cases.models import Decision, Reconsideration, ReconsiderationWindow, Stage
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejection(make_case, officer):
    case, candidate = make_case()
    services.reject(officer, case.pk, reason="Salary under the threshold.", legal_ground="Decree 42")
    return Decision.objects.get(case=case, kind="rejection"), candidate


def _rule(excinfo) -> str:
    return excinfo.value.errors[0].rule


def test_same_officer_may_not_review_a_different_one_may(rejection, officer, officer2):
    decision, candidate = rejection
    request = reconsideration.request_reconsideration(candidate, decision.pk, grounds="The salary was raised.")
    assert request.status == "pending"
    assert list(reconsideration.reconsiderations_pending(officer)) == []
    assert list(reconsideration.reconsiderations_pending(officer2)) == [request]
    with pytest.raises(PermissionRefused) as excinfo:
        reconsideration.review_reconsideration(officer, request.pk, outcome="upheld", reasons="Still low.")
    assert _rule(excinfo) == "different_officer"
    request.refresh_from_db()
    assert request.status == "pending"
    assert Decision.objects.filter(case=decision.case).count() == 1

    reconsideration.review_reconsideration(officer2, request.pk, outcome="upheld", reasons="The raise is not signed.")
    request.refresh_from_db()
    outcome = request.outcome
    assert request.status == "upheld"
    assert request.reviewed_by == officer2
    assert (outcome.kind, outcome.officer, outcome.legal_ground) == ("rejection", officer2, "Decree 42")
    decision.case.refresh_from_db()
    assert decision.case.stage == Stage.REJECTED
    # The outcome is final: its own letter says what it reconsiders and offers no further round.
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letters.letter_pdf(candidate, outcome.pk))).pages)
    assert "Reconsideration: rejection upheld" in text
    assert "Request reconsideration" not in text
    with pytest.raises(Conflict) as excinfo:
        reconsideration.request_reconsideration(candidate, outcome.pk, grounds="Again")
    assert _rule(excinfo) == "not_reconsiderable"
    with pytest.raises(Conflict) as excinfo:
        reconsideration.review_reconsideration(officer2, request.pk, outcome="overturned", reasons="Changed my mind")
    assert _rule(excinfo) == "already_reviewed"
    actions = set(AuditEntry.objects.filter(chain=f"case:{decision.case_id}").values_list("action", flat=True))
    assert {"case.reconsideration_requested", "case.reconsideration_upheld", "decision.rejection"} <= actions


def test_overturning_reopens_a_rejected_case(rejection, officer2):
    decision, candidate = rejection
    request = reconsideration.request_reconsideration(candidate, decision.pk, grounds="Wrong salary figure used.")
    reconsideration.review_reconsideration(officer2, request.pk, outcome="overturned", reasons="The figure was wrong.")
    request.refresh_from_db()
    case = decision.case
    case.refresh_from_db()
    assert case.stage == Stage.OPENED
    assert case.end_reason == ""
    reopen = case.history.order_by("-version").first()
    assert reopen.transition == "reopen"
    assert reopen.actor == officer2
    assert request.outcome.kind == "approval"
    assert request.outcome.transition == reopen


def test_overturning_a_refused_permit_sends_the_case_back_for_resubmission(make_case, drive, authority, officer2):
    case, candidate = make_case()
    drive(case, "submitted")
    services.refuse_permit(authority, case.pk, legal_ground="Law art. 9", reasons="Quota exhausted")
    refusal = Decision.objects.get(case=case, kind="refusal")
    request = reconsideration.request_reconsideration(candidate, refusal.pk, grounds="The quota was renewed.")
    reconsideration.review_reconsideration(officer2, request.pk, outcome="overturned", reasons="Quota renewed in May.")
    case.refresh_from_db()
    assert case.stage == Stage.APPROVED


def test_request_outside_the_window_is_refused(rejection):
    decision, candidate = rejection
    decided = timezone.localdate(decision.decided_at)
    with pytest.raises(Conflict) as excinfo:
        reconsideration.request_reconsideration(
            candidate, decision.pk, grounds="Late", today=decided + timedelta(days=31)
        )
    assert _rule(excinfo) == "window_closed"
    assert not Reconsideration.objects.exists()
    # The last day of the window is still in time; a programme may give longer.
    ReconsiderationWindow.objects.create(programme=decision.case.programme, days=60)
    reconsideration.request_reconsideration(
        candidate, decision.pk, grounds="In time", today=decided + timedelta(days=60)
    )


def test_only_the_candidate_asks_once_with_grounds(rejection, officer, make_candidate):
    decision, candidate = rejection
    with pytest.raises(PermissionRefused):
        reconsideration.request_reconsideration(officer, decision.pk, grounds="x")
    stranger, _ = make_candidate()
    with pytest.raises(NotFound):
        reconsideration.request_reconsideration(stranger, decision.pk, grounds="x")
    with pytest.raises(ValidationFailed) as excinfo:
        reconsideration.request_reconsideration(candidate, decision.pk, grounds="  ")
    assert excinfo.value.errors[0].field == "grounds"
    reconsideration.request_reconsideration(candidate, decision.pk, grounds="Please look again.")
    with pytest.raises(Conflict) as excinfo:
        reconsideration.request_reconsideration(candidate, decision.pk, grounds="Please look again.")
    assert _rule(excinfo) == "already_requested"
    with pytest.raises(NotFound):
        reconsideration.get_reconsideration_for(stranger, Reconsideration.objects.get().pk)


def test_approvals_cannot_be_reconsidered(make_case, drive):
    case, candidate = make_case()
    drive(case, "approved")
    approval = Decision.objects.get(case=case, kind="approval")
    with pytest.raises(Conflict) as excinfo:
        reconsideration.request_reconsideration(candidate, approval.pk, grounds="I like it")
    assert _rule(excinfo) == "not_reconsiderable"


def test_review_input_is_checked_before_anything_changes(rejection, officer2, make_user):
    decision, candidate = rejection
    request = reconsideration.request_reconsideration(candidate, decision.pk, grounds="Please.")
    with pytest.raises(ValidationFailed) as excinfo:
        reconsideration.review_reconsideration(officer2, request.pk, outcome="maybe", reasons="")
    assert {e.field for e in excinfo.value.errors} == {"outcome", "reasons"}
    with pytest.raises(ValidationFailed) as excinfo:
        reconsideration.review_reconsideration(officer2, request.pk, outcome="upheld", reasons="x", policy_id="p1")
    with pytest.raises(PermissionRefused):
        reconsideration.review_reconsideration(make_user(Role.ANALYST), request.pk, outcome="upheld", reasons="x")
    request.refresh_from_db()
    assert request.status == "pending"
    assert Decision.objects.filter(case=decision.case).count() == 1
