"""The relocation-case state machine: every transition's happy path, every guard's refusal naming its rule,
four-eyes on and off, decisions, history with time in stage, and the audit chain of the case."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.candidates.services import withdraw_consent
from talentgate.cases import selectors, services
from talentgate.cases.models import (
    CaseTransition,
    Decision,
    Permit,
    ProgrammeCaseSettings,
    RelocationCase,
    Stage,
)
from talentgate.common import audit
from talentgate.common.errors import PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry

from .conftest import complete_items, permit_in

pytestmark = pytest.mark.django_db


def _rule(excinfo) -> str:
    return excinfo.value.errors[0].rule


# --- opening -------------------------------------------------------------------------------------------------------


def test_accepting_an_offer_opens_a_case_linked_to_offer_and_application(make_case, programme):
    case, _user = make_case()
    assert case.stage == Stage.OPENED
    assert case.version == 1
    assert case.source == "offer"
    assert case.offer.status == "accepted"
    assert case.application.status == "matched"
    assert case.programme == programme
    assert case.kind == "specialist"
    assert case.organisation == case.offer.opportunity.organisation
    assert case.origin_country == "NG"
    assert case.destination_country_id == "RU"
    codes = set(case.checklist.values_list("code", flat=True))
    assert {"passport", "medical", "police_clearance", "employment_contract", "diploma", "housing_arranged"} <= codes
    (opening,) = case.history.all()
    assert (opening.transition, opening.from_stage, opening.to_stage, opening.version) == ("open", "", "opened", 1)
    assert AuditEntry.objects.filter(chain=f"case:{case.pk}", action="case.opened").count() == 1


def test_case_kind_and_checklist_follow_the_opportunity(make_case):
    case, _ = make_case(kind="fellowship")
    assert case.kind == "researcher"
    assert case.checklist.filter(code="hosting_agreement").exists()
    assert not case.checklist.filter(code="employment_contract").exists()


def test_family_members_come_with_their_own_checklists(make_case):
    case, _ = make_case(
        family=[
            {"relation": "spouse", "given_names_latin": "Chidi", "date_of_birth": "1989-02-01"},
            {"relation": "child", "given_names_latin": "Ada", "date_of_birth": "2018-06-30"},
        ]
    )
    spouse, child = case.family.order_by("pk")
    assert set(spouse.checklist.values_list("code", flat=True)) == {"passport", "marriage_certificate"}
    assert set(child.checklist.values_list("code", flat=True)) == {"passport", "birth_certificate", "school_place"}
    assert child.checklist.get(code="passport").label == "Passport of the child"


def test_a_case_opens_without_an_application_when_there_is_none(make_case):
    case, _ = make_case(with_application=False)
    assert case.application is None
    assert case.programme is None


def test_award_opens_a_case_with_its_reference(make_candidate, officer, programme):
    _, profile = make_candidate()
    case = services.open_case_from_award(
        officer,
        profile_id=profile.pk,
        kind="achiever",
        programme_id=programme.pk,
        award_reference="Space Olympiad 2026",
    )
    assert (case.source, case.award_reference, case.offer, case.stage) == (
        "award",
        "Space Olympiad 2026",
        None,
        "opened",
    )
    assert case.checklist.filter(code="award_evidence").exists()


def test_award_without_a_reference_or_with_a_bad_kind_is_refused_naming_fields(make_candidate, officer):
    _, profile = make_candidate()
    with pytest.raises(ValidationFailed) as excinfo:
        services.open_case_from_award(officer, profile_id=profile.pk, kind="astronaut")
    assert {e.field for e in excinfo.value.errors} == {"kind", "award"}
    assert not RelocationCase.objects.exists()


def test_only_staff_open_cases_from_awards(make_candidate):
    user, profile = make_candidate()
    with pytest.raises(PermissionRefused):
        services.open_case_from_award(user, profile_id=profile.pk, kind="achiever", award_reference="X")


# --- the happy path ------------------------------------------------------------------------------------------------


def test_main_path_from_opened_to_closed(make_case, drive):
    case, _ = make_case()
    case = drive(case, Stage.CLOSED)
    stages = list(case.history.order_by("version").values_list("to_stage", flat=True))
    assert stages == [
        "opened",
        "prepared",
        "approved",
        "submitted",
        "permit_granted",
        "relocating",
        "arrived",
        "follow_up_6m",
        "follow_up_12m",
        "closed",
    ]
    assert selectors.history_gaps(case) == []
    assert case.closed_at is not None
    kinds = list(case.decisions.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["approval", "grant"]
    assert audit.verify([services.case_chain(case)]) == []
    actions = list(AuditEntry.objects.filter(chain=f"case:{case.pk}").values_list("action", flat=True))
    for name in ("case.prepare", "case.approve", "case.submit_to_authority", "case.grant_permit", "case.close"):
        assert name in actions
    assert "decision.grant" in actions
    assert "permit.recorded" in actions


def test_each_transition_records_history_with_the_versions(make_case, drive):
    case, _ = make_case()
    case = drive(case, Stage.SUBMITTED)
    rows = list(case.history.order_by("version"))
    assert [r.version for r in rows] == list(range(1, case.version + 1))
    for earlier, later in itertools.pairwise(rows):
        assert later.entered_at == earlier.left_at
        assert later.from_stage == earlier.to_stage


def test_time_in_stage_excludes_clock_pauses(make_case, officer):
    case, _ = make_case()
    start = case.stage_entered_at
    pause = services.pause_clock(case, "waiting for the candidate's diploma")
    services.resume_clock(pause, at=pause.started_at + timedelta(hours=5))
    RelocationCase.objects.filter(pk=case.pk).update(stage_entered_at=start - timedelta(hours=10))
    from talentgate.cases.models import ClockPause

    ClockPause.objects.filter(pk=pause.pk).update(
        started_at=start - timedelta(hours=8), ended_at=start - timedelta(hours=3)
    )
    provide_documents(case, officer)
    services.prepare(officer, case.pk)
    row = CaseTransition.objects.get(case=case, transition="prepare")
    assert row.paused_seconds == 5 * 3600
    assert abs(row.active_seconds - 5 * 3600) < 60


def test_approval_decision_cites_the_basis_given(make_case, drive, supervisor, officer):
    case, _ = make_case()
    drive(case, Stage.PREPARED)
    services.approve(supervisor, case.pk, policy_id="talent-merit", policy_version="2026.1", reasons="Strong record")
    decision = Decision.objects.get(case=case, kind="approval")
    assert (decision.policy_id, decision.policy_version, decision.officer, decision.reasons) == (
        "talent-merit",
        "2026.1",
        supervisor,
        "Strong record",
    )
    assert decision.transition.to_stage == "approved"


def test_approval_without_any_basis_is_refused_and_changes_nothing(make_case, drive, supervisor):
    case, _ = make_case()
    drive(case, Stage.PREPARED)
    with pytest.raises(ValidationFailed) as excinfo:
        services.approve(supervisor, case.pk)
    assert excinfo.value.errors[0].field == "legal_ground"
    case.refresh_from_db()
    assert case.stage == Stage.PREPARED
    assert not Decision.objects.exists()


def test_approval_falls_back_to_the_programmes_legal_ground(make_case, drive, supervisor, programme):
    ProgrammeCaseSettings.objects.create(programme=programme, legal_ground="Presidential decree No. 1")
    case, _ = make_case()
    drive(case, Stage.PREPARED)
    services.approve(supervisor, case.pk)
    assert Decision.objects.get(case=case).legal_ground == "Presidential decree No. 1"


# --- guards --------------------------------------------------------------------------------------------------------


def test_prepare_refuses_while_checklist_items_are_open_naming_them(make_case, officer):
    case, _ = make_case()
    with pytest.raises(TransitionRefused) as excinfo:
        services.prepare(officer, case.pk)
    assert _rule(excinfo) == "checklist_complete"
    assert "Passport (valid for the whole stay)" in str(excinfo.value.errors[0].message)
    case.refresh_from_db()
    assert case.stage == Stage.OPENED
    assert case.version == 1


def test_prepare_needs_an_officer(make_case, officer):
    case, user = make_case()
    provide_documents(case, officer)
    with pytest.raises(PermissionRefused) as excinfo:
        services.prepare(user, case.pk)
    assert _rule(excinfo) == "role"


def test_four_eyes_refuses_the_preparer_and_accepts_another_officer(make_case, drive, officer, officer2):
    case, _ = make_case()
    drive(case, Stage.PREPARED)
    with pytest.raises(PermissionRefused) as excinfo:
        services.approve(officer, case.pk, legal_ground="Decree 1")
    assert _rule(excinfo) == "four_eyes"
    assert services.approve(officer2, case.pk, legal_ground="Decree 1").stage == Stage.APPROVED


def test_four_eyes_off_lets_the_preparer_approve(make_case, drive, officer, programme):
    ProgrammeCaseSettings.objects.create(programme=programme, four_eyes_approval=False)
    case, _ = make_case()
    drive(case, Stage.PREPARED)
    assert services.approve(officer, case.pk, legal_ground="Decree 1").stage == Stage.APPROVED


def test_submit_refuses_unverified_documents(make_case, officer, supervisor):
    case, _ = make_case()
    provide_documents(case, officer)  # provided, not verified
    services.prepare(officer, case.pk)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    with pytest.raises(TransitionRefused) as excinfo:
        services.submit_to_authority(officer, case.pk)
    assert _rule(excinfo) == "documents_verified"
    assert "Passport (valid for the whole stay)" in excinfo.value.errors[0].message


def test_submit_refuses_expired_documents(make_case, officer, officer2, supervisor):
    case, _ = make_case()
    provide_documents(case, officer, verify_with=officer2)
    services.prepare(officer, case.pk)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    case.documents.filter(kind="passport").update(expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(TransitionRefused) as excinfo:
        services.submit_to_authority(officer, case.pk)
    assert _rule(excinfo) == "documents_not_expired"
    assert "expired: passport (" in excinfo.value.errors[0].message


def test_submit_refuses_without_consent_to_the_hand_off(make_case, drive, officer):
    case, user = make_case()
    drive(case, Stage.APPROVED)
    withdraw_consent(user, case.profile, "authority_handoff")
    with pytest.raises(TransitionRefused) as excinfo:
        services.submit_to_authority(officer, case.pk)
    assert _rule(excinfo) == "consent_authority_handoff"


def test_grant_needs_the_authority(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)
    with pytest.raises(PermissionRefused) as excinfo:
        services.grant_permit(officer, case.pk, permit=permit_in(), legal_ground="Law")
    assert _rule(excinfo) == "role"
    assert not Permit.objects.exists()


def test_grant_by_the_integration_system_actor(make_case, drive):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)
    case = services.grant_permit(None, case.pk, permit=permit_in(), legal_ground="Law 115-FZ")
    assert case.stage == Stage.PERMIT_GRANTED
    assert Decision.objects.get(case=case, kind="grant").officer is None


def test_grant_with_a_bad_permit_names_the_field_and_writes_nothing(make_case, drive, authority):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as excinfo:
        services.grant_permit(
            authority, case.pk, permit=permit_in(valid_until=today - timedelta(days=1)), legal_ground="Law"
        )
    assert excinfo.value.errors[0].rule == "end_before_start"
    case.refresh_from_db()
    assert case.stage == Stage.SUBMITTED
    assert not Permit.objects.exists()
    assert not case.decisions.filter(kind="grant").exists()


def test_refusal_is_a_decision_with_reasons(make_case, drive, authority):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)
    with pytest.raises(ValidationFailed) as excinfo:
        services.refuse_permit(authority, case.pk, legal_ground="Law art. 9", reasons=" ")
    assert excinfo.value.errors[0].field == "reasons"
    case = services.refuse_permit(authority, case.pk, legal_ground="Law art. 9", reasons="Quota exhausted")
    assert case.stage == Stage.PERMIT_REFUSED
    assert case.closed_at is not None
    assert case.decisions.get(kind="refusal").legal_ground == "Law art. 9"


def test_start_relocation_refuses_an_expired_permit(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.PERMIT_GRANTED)
    today = timezone.localdate()
    Permit.objects.filter(case=case).update(
        valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )
    with pytest.raises(TransitionRefused) as excinfo:
        services.start_relocation(officer, case.pk)
    assert _rule(excinfo) == "permit_valid"


def test_arrival_needs_the_relocation_items(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.RELOCATING)
    with pytest.raises(TransitionRefused) as excinfo:
        services.record_arrival(officer, case.pk)
    assert _rule(excinfo) == "relocation_checklist_complete"
    assert "Housing arranged" in excinfo.value.errors[0].message
    complete_items(case, officer, "record_arrival")
    assert services.record_arrival(officer, case.pk).arrived_on == timezone.localdate()


def test_follow_ups_wait_for_six_and_twelve_months(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.RELOCATING)
    complete_items(case, officer, "record_arrival")
    services.record_arrival(officer, case.pk, arrived_on=timezone.localdate() - timedelta(days=200))
    with pytest.raises(ValidationFailed):
        services.record_arrival(officer, case.pk, arrived_on=timezone.localdate() + timedelta(days=1))
    services.record_follow_up_6m(officer, case.pk)
    with pytest.raises(TransitionRefused) as excinfo:
        services.record_follow_up_12m(officer, case.pk)
    assert _rule(excinfo) == "twelve_months_since_arrival"


def test_six_month_follow_up_refused_too_early(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.RELOCATING)
    complete_items(case, officer, "record_arrival")
    services.record_arrival(officer, case.pk)
    with pytest.raises(TransitionRefused) as excinfo:
        services.record_follow_up_6m(officer, case.pk)
    assert _rule(excinfo) == "six_months_since_arrival"


def test_transition_from_the_wrong_stage_names_the_stage(make_case, officer):
    case, _ = make_case()
    with pytest.raises(TransitionRefused) as excinfo:
        services.close(officer, case.pk)
    assert _rule(excinfo) == "source_state"


def test_withdraw_by_the_candidate_needs_a_reason(make_case, make_user):
    case, user = make_case()
    with pytest.raises(ValidationFailed) as excinfo:
        services.withdraw(user, case.pk, reason="")
    assert excinfo.value.errors[0].field == "reason"
    stranger = make_user(Role.CANDIDATE)
    from talentgate.common.errors import NotFound

    with pytest.raises(NotFound):
        services.withdraw(stranger, case.pk, reason="not mine")
    case = services.withdraw(user, case.pk, reason="Family reasons")
    assert case.stage == Stage.WITHDRAWN
    assert case.end_reason == "Family reasons"


def test_host_staff_may_not_withdraw(make_case, make_user):
    case, _ = make_case()
    host_admin = case.organisation.memberships.get().user
    with pytest.raises(PermissionRefused) as excinfo:
        services.withdraw(host_admin, case.pk, reason="no")
    assert _rule(excinfo) == "role"


def test_reject_records_a_rejection_decision(make_case, officer, programme):
    ProgrammeCaseSettings.objects.create(programme=programme, legal_ground="Programme rules s. 4")
    case, _ = make_case()
    case = services.reject(officer, case.pk, reason="Not eligible for relocation support")
    assert case.stage == Stage.REJECTED
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.legal_ground, decision.reasons) == (
        "rejection",
        "Programme rules s. 4",
        "Not eligible for relocation support",
    )


def test_reopen_needs_a_different_officer_from_the_decider(make_case, officer, officer2, programme):
    ProgrammeCaseSettings.objects.create(programme=programme, legal_ground="Programme rules s. 4")
    case, _ = make_case()
    services.reject(officer, case.pk, reason="Incomplete")
    with pytest.raises(PermissionRefused) as excinfo:
        services.reopen(officer, case.pk, reason="Reconsidered")
    assert _rule(excinfo) == "different_officer"
    case = services.reopen(officer2, case.pk, reason="Reconsidered: documents arrived")
    assert case.stage == Stage.OPENED
    assert case.closed_at is None
    assert selectors.history_gaps(case) == []


def test_reopen_a_refused_permit_goes_back_to_approved(make_case, drive, authority, officer):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)
    services.refuse_permit(authority, case.pk, legal_ground="Law", reasons="Missing data")
    case = services.reopen(officer, case.pk, reason="Authority reconsidered")
    assert case.stage == Stage.APPROVED


def test_early_departure_closes_the_case_and_ends_permits(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.ARRIVED)
    case = services.record_departure(
        officer, case.pk, departed_on=timezone.localdate(), reason="Returned home for family care"
    )
    assert case.stage == Stage.CLOSED
    assert case.departed_on == timezone.localdate()
    assert set(case.permits.values_list("status", flat=True)) == {"ended"}
    assert selectors.retention_summary(officer)["departed_early"] == 1


def test_bulk_transition_reports_a_result_per_case(make_case, officer):
    ready, _ = make_case()
    provide_documents(ready, officer)
    not_ready, _ = make_case()
    results = services.bulk_transition(officer, [ready.pk, not_ready.pk, 999999], "prepare")
    assert [(r.case_id, r.ok) for r in results] == [(ready.pk, True), (not_ready.pk, False), (999999, False)]
    assert results[0].stage == "prepared"
    assert results[0].version == 2
    assert results[1].errors[0].rule == "checklist_complete"
    assert results[1].status == 409
    assert results[2].status == 404
    with pytest.raises(ValidationFailed):
        services.bulk_transition(officer, [ready.pk], "teleport")
