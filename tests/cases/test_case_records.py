"""What hangs off a case: atomic side effects, the case's audit chain and tamper detection, documents and
checklists, family members, the audited reveal of encrypted fields, permits after the grant, a change of
host and notifications of stage changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.cases import selectors, services
from talentgate.cases.models import (
    CaseTransition,
    ChecklistItem,
    Decision,
    HostChange,
    Permit,
    RelocationCase,
    Stage,
)
from talentgate.cases.signals import case_transitioned
from talentgate.cli import app
from talentgate.common import audit
from talentgate.common.crypto import mask
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import services as hosts
from talentgate.notifications.models import Notification

from .conftest import permit_in

pytestmark = pytest.mark.django_db


# --- atomicity -------------------------------------------------------------------------------------------------------


def test_a_failing_side_effect_leaves_nothing_written(make_case, officer):
    case, _ = make_case()
    provide_documents(case, officer)
    entries_before = AuditEntry.objects.filter(chain=services.case_chain(case)).count()
    notifications_before = Notification.objects.count()

    def explode(**kwargs):
        raise RuntimeError("hand-off record could not be written")

    case_transitioned.connect(explode, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            services.prepare(officer, case.pk)
    finally:
        case_transitioned.disconnect(dispatch_uid="test-explode")
    case.refresh_from_db()
    assert case.stage == Stage.OPENED
    assert case.version == 1
    assert case.prepared_by is None
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(chain=services.case_chain(case)).count() == entries_before
    assert Notification.objects.count() == notifications_before


def test_a_failing_decision_leaves_no_transition(make_case, drive, authority, monkeypatch):
    case, _ = make_case()
    drive(case, Stage.SUBMITTED)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Decision, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.grant_permit(authority, case.pk, permit=permit_in(), legal_ground="Law")
    case.refresh_from_db()
    assert case.stage == Stage.SUBMITTED
    assert not Permit.objects.exists()
    assert not CaseTransition.objects.filter(case=case, to_stage=Stage.PERMIT_GRANTED).exists()


def test_accepting_an_offer_and_opening_its_case_commit_together(make_candidate, make_host, monkeypatch):
    user, profile = make_candidate()
    _, host_admin, opportunity = make_host()
    offer = hosts.make_offer(
        host_admin,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Contract",
        expires_at=timezone.now() + timedelta(days=3),
    )

    def broken(*args, **kwargs):
        raise RuntimeError("checklist could not be built")

    monkeypatch.setattr(services, "_build_checklist", broken)
    with pytest.raises(RuntimeError):
        hosts.accept_offer(user, offer.pk)
    offer.refresh_from_db()
    assert offer.status == "offered"
    assert not RelocationCase.objects.exists()


# --- the audit chain ---------------------------------------------------------------------------------------------------


def test_case_chain_verifies_and_detects_an_edited_entry(make_case, drive):
    case, _ = make_case()
    drive(case, Stage.APPROVED)
    chain = services.case_chain(case)
    assert audit.verify([chain]) == []
    entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    # Tamper with the database directly, as someone with write access would.
    target = next(e for e in entries if e.action == "case.prepare")
    AuditEntry.objects.filter(pk=target.pk).update(reason="nothing to see")
    (problem,) = audit.verify([chain])
    assert problem.seq == target.seq
    assert "edited" in problem.problem
    result = CliRunner().invoke(app, ["audit", "verify", "--chain", chain])
    assert result.exit_code == 1
    assert f"{chain}#{target.seq}" in result.output


def test_case_chain_detects_a_deleted_entry(make_case, drive):
    case, _ = make_case()
    drive(case, Stage.APPROVED)
    chain = services.case_chain(case)
    second = AuditEntry.objects.filter(chain=chain).order_by("seq")[1]
    AuditEntry.objects.filter(pk=second.pk).delete()
    (problem,) = audit.verify([chain])
    assert problem.seq == second.seq
    assert "missing" in problem.problem


def test_case_chain_detects_reordered_entries(make_case, drive):
    case, _ = make_case()
    drive(case, Stage.APPROVED)
    chain = services.case_chain(case)
    first, second = AuditEntry.objects.filter(chain=chain).order_by("seq")[:2]
    # Swap two entries' sequence numbers (through a free number, the pair is unique).
    AuditEntry.objects.filter(pk=first.pk).update(seq=10_000)
    AuditEntry.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEntry.objects.filter(pk=first.pk).update(seq=second.seq)
    (problem,) = audit.verify([chain])
    assert problem.seq == 1
    assert "reordered" in problem.problem


def test_audit_entries_hold_field_names_never_values(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.PERMIT_GRANTED)
    member = services.add_family_member(
        officer, case.pk, relation="spouse", given_names_latin="Chidi", identity_number="P-998877"
    )
    services.reveal_field(officer, case.pk, "family_identity_number", object_id=member.pk)
    for entry in AuditEntry.objects.filter(chain=services.case_chain(case)):
        text = f"{entry.fields} {entry.reason}"
        assert "P-998877" not in text
        assert "HQ-77-123456" not in text


# --- documents and checklists ------------------------------------------------------------------------------------------


def test_document_ticks_its_item_and_a_rejection_reopens_it(make_case, officer):
    case, user = make_case()
    item = case.checklist.get(code="medical")
    assert item.completed_at is None
    document = services.add_document(
        user, case.pk, kind="medical", file_name="medical.pdf", expires_on=timezone.localdate() + timedelta(days=90)
    )
    item.refresh_from_db()
    assert item.completed_at is not None
    assert document.checklist_item == item
    with pytest.raises(ValidationFailed) as excinfo:
        services.reject_document(officer, document.pk, reason="")
    assert excinfo.value.errors[0].field == "reason"
    services.reject_document(officer, document.pk, reason="Unreadable scan")
    item.refresh_from_db()
    assert item.completed_at is None


def test_document_with_expiry_before_issue_is_refused_naming_the_rule(make_case):
    case, user = make_case()
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_document(user, case.pk, kind="passport", issued_on=today, expires_on=today - timedelta(days=1))
    assert excinfo.value.errors[0].rule == "end_before_start"
    assert not case.documents.filter(kind="passport", issued_on=today).exists()


def test_candidates_may_not_verify_documents_and_strangers_see_nothing(make_case, make_user):
    case, user = make_case()
    document = services.add_document(user, case.pk, kind="medical", file_name="m.pdf")
    with pytest.raises(PermissionRefused):
        services.verify_document(user, document.pk)
    stranger = make_user(Role.CANDIDATE)
    with pytest.raises(NotFound):
        services.add_document(stranger, case.pk, kind="medical", file_name="m.pdf")


def test_non_document_items_are_ticked_and_document_items_are_not(make_case, officer):
    case, user = make_case()
    housing = case.checklist.get(code="housing_arranged")
    services.complete_item(user, case.pk, housing.pk)
    housing.refresh_from_db()
    assert housing.completed_by == user
    with pytest.raises(Conflict):
        services.complete_item(officer, case.pk, case.checklist.get(code="passport").pk)
    services.reopen_item(officer, case.pk, housing.pk)
    housing.refresh_from_db()
    assert housing.completed_at is None


def test_profile_documents_are_carried_over_with_their_verification(make_case):
    case, _ = make_case(
        with_application=False,
        documents=[
            {"kind": "passport", "file_name": "passport.pdf", "expires_on": "2035-01-01"},
            {"kind": "cv", "file_name": "cv.pdf"},
        ],
    )
    (carried,) = case.documents.all()
    assert carried.kind == "passport"
    assert carried.status == "pending"
    assert carried.checklist_item.code == "passport"
    assert carried.checklist_item.completed_at is not None


def test_documents_expiring_soon(make_case, officer, make_user):
    case, user = make_case()
    today = timezone.localdate()
    soon = services.add_document(
        user, case.pk, kind="medical", file_name="m.pdf", expires_on=today + timedelta(days=10)
    )
    services.add_document(user, case.pk, kind="photo", file_name="p.jpg", expires_on=today + timedelta(days=300))
    assert list(selectors.documents_expiring_soon(officer, within_days=30)) == [soon]
    assert list(selectors.documents_expiring_soon(user, within_days=30)) == [soon]
    assert list(selectors.documents_expiring_soon(make_user(Role.CANDIDATE), within_days=30)) == []


def test_family_member_added_later_gets_a_checklist_and_blocks_preparation(make_case, officer):
    case, user = make_case()
    provide_documents(case, officer)
    child = services.add_family_member(
        user,
        case.pk,
        relation="child",
        given_names_latin="Ada",
        date_of_birth=timezone.localdate() - timedelta(days=2000),
    )
    assert set(child.checklist.values_list("code", flat=True)) == {"passport", "birth_certificate", "school_place"}
    with pytest.raises(TransitionRefused) as excinfo:
        services.prepare(officer, case.pk)
    assert excinfo.value.errors[0].rule == "checklist_complete"
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_family_member(user, case.pk, relation="child", given_names_latin="Obi")
    assert excinfo.value.errors[0].rule == "required"


# --- reveal ------------------------------------------------------------------------------------------------------------


def test_staff_reveal_a_permit_number_and_the_reveal_is_audited(make_case, drive, officer):
    case, _ = make_case()
    drive(case, Stage.PERMIT_GRANTED)
    permit = Permit.objects.get(case=case)
    assert selectors.masked_permits(case)[0]["number"] == mask("HQ-77-123456")
    assert "HQ-77-123456" not in str(permit)
    value = services.reveal_field(officer, case.pk, "permit_number")
    assert value == "HQ-77-123456"
    entry = AuditEntry.objects.filter(chain=services.case_chain(case), action="case.field_revealed").get()
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.fields) == (
        officer.pk,
        "cases.permit",
        str(permit.pk),
        ["number"],
    )


def test_reveal_is_refused_to_others_and_to_unknown_fields(make_case, drive, officer, authority):
    case, user = make_case()
    drive(case, Stage.PERMIT_GRANTED)
    for actor in (user, authority):
        with pytest.raises(PermissionRefused) as excinfo:
            services.reveal_field(actor, case.pk, "permit_number")
        assert excinfo.value.errors[0].rule == "staff_only"
    with pytest.raises(ValidationFailed):
        services.reveal_field(officer, case.pk, "date_of_birth")
    assert not AuditEntry.objects.filter(action="case.field_revealed").exists()


def test_family_identity_numbers_are_encrypted_masked_and_revealed(make_case, officer):
    case, user = make_case()
    member = services.add_family_member(
        user, case.pk, relation="spouse", given_names_latin="Chidi", identity_number="A1234567"
    )
    assert selectors.masked_family(case)[0]["identity_number"] == "••••••67"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_number FROM cases_familymember WHERE id = %s", [member.pk])
        (stored,) = cursor.fetchone()
    assert "A1234567" not in stored
    assert services.reveal_field(officer, case.pk, "family_identity_number", object_id=member.pk) == "A1234567"


# --- permits after the grant ---------------------------------------------------------------------------------------------


def test_family_permits_renewal_and_reminders(make_case, drive, authority, officer):
    case, _ = make_case(family=[{"relation": "spouse", "given_names_latin": "Chidi", "date_of_birth": "1989-02-01"}])
    spouse = case.family.get()
    provide_documents(case, officer, verify_with=None)
    drive(case, Stage.PERMIT_GRANTED)
    today = timezone.localdate()
    family_permit = services.record_family_permit(
        authority,
        case.pk,
        permit=permit_in(
            permit_type="family_residence",
            number="FR-1",
            family_member_id=spouse.pk,
            valid_until=today + timedelta(days=30),
        ),
    )
    due = list(selectors.permits_due_for_renewal(officer, within_days=60))
    assert due == [family_permit]
    renewed = services.renew_permit(
        officer,
        family_permit.pk,
        number="FR-2",
        issued_on=today,
        valid_from=today,
        valid_until=today + timedelta(days=700),
    )
    family_permit.refresh_from_db()
    assert family_permit.status == "superseded"
    assert renewed.status == "active"
    assert renewed.family_member == spouse
    assert list(selectors.permits_due_for_renewal(officer, within_days=60)) == []
    with pytest.raises(Conflict):
        services.record_family_permit(
            authority,
            case.pk,
            permit=permit_in(permit_type="family_residence", number="FR-3", family_member_id=spouse.pk),
        )


def test_change_of_host_needs_an_accepted_offer_from_another_host(make_case, drive, officer, make_host):
    case, user = make_case()
    drive(case, Stage.ARRIVED)
    new_org, new_admin, opportunity = make_host()
    offer = hosts.make_offer(
        new_admin,
        opportunity_id=opportunity.pk,
        profile_id=case.profile_id,
        terms="New contract",
        expires_at=timezone.now() + timedelta(days=5),
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.change_host(officer, case.pk, new_offer_id=offer.pk, effective_on=timezone.localdate())
    assert excinfo.value.errors[0].rule == "not_accepted"
    hosts.accept_offer(user, offer.pk)
    # Accepting a second offer while a case is under way opens no second case; it is noted on this one.
    assert RelocationCase.objects.count() == 1
    assert AuditEntry.objects.filter(chain=services.case_chain(case), action="case.another_offer_accepted").exists()
    change = services.change_host(
        officer, case.pk, new_offer_id=offer.pk, effective_on=timezone.localdate(), reason="Lab moved"
    )
    case.refresh_from_db()
    assert case.organisation == new_org
    assert change.from_organisation != new_org
    assert HostChange.objects.count() == 1
    assert ChecklistItem.objects.get(case=case, code="permit_amendment").completed_at is None
    assert selectors.retention_summary(officer)["changed_host"] == 1
    assert "case.host_changed" in AuditEntry.objects.filter(chain=services.case_chain(case)).values_list(
        "action", flat=True
    )


def test_change_of_host_refused_before_the_permit(make_case, officer):
    case, _ = make_case()
    with pytest.raises(Conflict) as excinfo:
        services.change_host(officer, case.pk, new_offer_id=1, effective_on=timezone.localdate())
    assert excinfo.value.errors[0].rule == "no_permit"


# --- notifications ----------------------------------------------------------------------------------------------------


def test_the_candidate_is_notified_of_stage_changes_and_decisions(make_case, drive):
    case, user = make_case()
    drive(case, Stage.APPROVED)
    notes = list(Notification.objects.filter(recipient=user, context__object="case").order_by("pk"))
    assert [n.context["to_state"] for n in notes] == ["prepared", "approved"]
    assert [n.kind for n in notes] == ["status_changed", "decision_made"]


def test_the_candidate_is_not_notified_of_their_own_move(make_case):
    case, user = make_case()
    services.withdraw(user, case.pk, reason="Changed my mind")
    assert not Notification.objects.filter(recipient=user, context__object="case").exists()


# --- warnings before expiry -----------------------------------------------------------------------------------------


def test_document_expiry_warnings_go_once_per_threshold(make_case):
    from talentgate.cases.tasks import warn_expiring_documents

    case, user = make_case()
    today = timezone.localdate()
    services.add_document(user, case.pk, kind="medical", file_name="m.pdf", expires_on=today + timedelta(days=20))
    services.add_document(user, case.pk, kind="photo", file_name="p.jpg", expires_on=today + timedelta(days=200))
    assert warn_expiring_documents(today) == 1
    assert warn_expiring_documents(today) == 0
    note = Notification.objects.get(recipient=user, kind="deadline_approaching")
    assert note.context["due_date"] == (today + timedelta(days=20)).isoformat()
    assert "medical certificate" in note.context["what_en"]
    # Within a week of expiry: the second, last warning.
    assert warn_expiring_documents(today + timedelta(days=14)) == 1
    assert warn_expiring_documents(today + timedelta(days=15)) == 0


def test_permit_renewal_reminders(make_case, drive):
    from talentgate.cases.tasks import remind_permit_renewals

    case, user = make_case()
    drive(case, Stage.PERMIT_GRANTED)
    permit = Permit.objects.get(case=case)
    assert remind_permit_renewals(permit.valid_until - timedelta(days=100)) == 0
    assert remind_permit_renewals(permit.valid_until - timedelta(days=80)) == 1
    assert remind_permit_renewals(permit.valid_until - timedelta(days=79)) == 0
    assert remind_permit_renewals(permit.valid_until - timedelta(days=10)) == 1
    assert Notification.objects.filter(recipient=user, kind="deadline_approaching").count() == 2
