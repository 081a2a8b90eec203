"""Requests for information and the case thread: the clock pauses while a request waits and runs again when it is
answered or withdrawn; who may ask, answer, write and read; bad input named and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.cases import requests, sla
from talentgate.cases.models import CaseMessage, CaseTransition, ClockPause, InformationRequest, RelocationCase
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts.models import Membership
from talentgate.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def backdate(case: RelocationCase, days: float) -> RelocationCase:
    """Move the case's opening (and so its stay in 'opened') ``days`` into the past, history included."""
    shift = timedelta(days=days)
    entered = case.stage_entered_at - shift
    RelocationCase.objects.filter(pk=case.pk).update(opened_at=entered, stage_entered_at=entered)
    CaseTransition.objects.filter(case=case).update(entered_at=entered, left_at=entered)
    case.refresh_from_db()
    return case


def host_admin_of(case: RelocationCase):
    return Membership.objects.get(organisation=case.organisation, role="admin").user


def _fields(excinfo) -> set[str]:
    return {error.field for error in excinfo.value.errors}


def test_request_pauses_the_clock_and_the_answer_resumes_it(make_case, officer, drive):
    case, candidate = make_case()
    case = backdate(case, 10)
    request = requests.request_information(
        officer, case.pk, addressee="candidate", question="Send the apostilled diploma.", due_on=_in(7)
    )
    pause = ClockPause.objects.get(pk=request.pause_id)
    assert pause.ended_at is None
    assert pause.stage == "opened"
    # As if the request had been waiting six days.
    asked_at = timezone.now() - timedelta(days=6)
    ClockPause.objects.filter(pk=pause.pk).update(started_at=asked_at)

    waiting = sla.deadline_for(case)
    assert waiting.is_paused
    # However long the answer takes, a waiting case does not become overdue.
    assert sla.deadline_for(case, now=timezone.now() + timedelta(days=60)).state == sla.DeadlineState.ON_TRACK

    message = requests.answer_information_request(
        candidate,
        request.pk,
        body="Here it is.",
        file=ContentFile(PDF, name="diploma.pdf"),
        content_type="application/pdf",
    )
    request.refresh_from_db()
    pause.refresh_from_db()
    assert request.status == "answered"
    assert request.closed_by == candidate
    assert pause.ended_at is not None
    paused = pause.ended_at - asked_at
    assert paused >= timedelta(days=6)
    assert message.information_request == request
    assert message.attachment_type == "application/pdf"
    assert default_storage.exists(message.attachment.name)
    assert message.attachment.name.startswith(f"cases/{case.pk}/messages/")

    deadline = sla.deadline_for(case)
    assert not deadline.is_paused
    # The deadline moved by exactly the time the request waited (to the second).
    expected_due = case.stage_entered_at + timedelta(days=14) + paused
    assert abs((deadline.due_at - expected_due).total_seconds()) < 1

    case = drive(case, "prepared")
    row = case.history.get(transition="prepare")
    # Ten days in the stage, six of them waiting on the candidate: four count.
    assert abs(row.active_seconds - 4 * 86400) < 60
    assert abs(row.paused_seconds - 6 * 86400) < 60


def _in(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_bad_request_names_every_field_and_writes_nothing(make_case, officer):
    case, _ = make_case()
    with pytest.raises(ValidationFailed) as excinfo:
        requests.request_information(
            officer, case.pk, addressee="neighbour", question="  ", due_on=timezone.localdate()
        )
    assert _fields(excinfo) == {"addressee", "question", "due_on"}
    with pytest.raises(ValidationFailed) as excinfo:
        requests.request_information(officer, case.pk, addressee="candidate", question="x", due_on=_in(400))
    assert excinfo.value.errors[0].rule == "max_days"
    assert not InformationRequest.objects.exists()
    assert not ClockPause.objects.exists()
    assert not CaseMessage.objects.exists()


def test_only_programme_officers_ask(make_case, make_user):
    case, candidate = make_case()
    for actor in (candidate, host_admin_of(case), make_user(Role.ANALYST)):
        with pytest.raises(PermissionRefused):
            requests.request_information(actor, case.pk, addressee="candidate", question="?", due_on=_in(3))


def test_closed_case_takes_no_requests(make_case, officer):
    case, _ = make_case()
    from talentgate.cases import services

    services.reject(officer, case.pk, reason="Not eligible", legal_ground="Decree 1")
    with pytest.raises(Conflict) as excinfo:
        requests.request_information(officer, case.pk, addressee="candidate", question="?", due_on=_in(3))
    assert excinfo.value.errors[0].rule == "case_closed"


def test_request_to_the_host_is_answered_by_its_staff_only(make_case, officer):
    case, candidate = make_case()
    host = host_admin_of(case)
    request = requests.request_information(
        officer, case.pk, addressee="host", question="Confirm the start date.", due_on=_in(5)
    )
    with pytest.raises(PermissionRefused) as excinfo:
        requests.answer_information_request(candidate, request.pk, body="1 March")
    assert excinfo.value.errors[0].rule == "addressee"
    assert Notification.objects.filter(recipient=host, kind="information_requested").count() == 1
    requests.answer_information_request(host, request.pk, body="Start on 1 March.")
    request.refresh_from_db()
    assert request.status == "answered"
    assert Notification.objects.filter(recipient=officer, kind="information_provided").count() == 1
    with pytest.raises(Conflict) as excinfo:
        requests.answer_information_request(host, request.pk, body="Again")
    assert excinfo.value.errors[0].rule == "not_open"


def test_thread_visibility_staff_and_candidate_see_all_host_sees_its_side(
    make_case, officer, make_candidate, make_host
):
    case, candidate = make_case()
    host = host_admin_of(case)
    to_candidate = requests.post_message(officer, case.pk, body="Welcome.", audience="candidate")
    to_host = requests.post_message(officer, case.pk, body="Housing?", audience="host")
    from_host = requests.post_message(host, case.pk, body="Flat booked.")
    from_candidate = requests.post_message(candidate, case.pk, body="Thank you.")
    assert (from_host.audience, from_candidate.audience) == ("host", "candidate")

    everything = {to_candidate.pk, to_host.pk, from_host.pk, from_candidate.pk}
    assert set(requests.messages_visible_to(officer, case.pk).values_list("pk", flat=True)) == everything
    assert set(requests.messages_visible_to(candidate, case.pk).values_list("pk", flat=True)) == everything
    assert set(requests.messages_visible_to(host, case.pk).values_list("pk", flat=True)) == {to_host.pk, from_host.pk}
    with pytest.raises(NotFound):
        requests.get_message_for(host, to_candidate.pk)
    assert requests.get_message_for(candidate, to_host.pk) == to_host

    stranger, _ = make_candidate()
    _, other_host, _ = make_host()
    for outsider in (stranger, other_host):
        with pytest.raises(NotFound):
            requests.messages_visible_to(outsider, case.pk)
        with pytest.raises(NotFound):
            requests.get_message_for(outsider, to_host.pk)
        with pytest.raises(NotFound):
            requests.post_message(outsider, case.pk, body="Hello")
    assert Notification.objects.filter(recipient=candidate, kind="message_received").count() == 1


def test_posting_on_the_other_side_or_nothing_is_refused(make_case, officer):
    case, candidate = make_case()
    with pytest.raises(ValidationFailed) as excinfo:
        requests.post_message(candidate, case.pk, body="Hi host", audience="host")
    assert excinfo.value.errors[0].rule == "own_side"
    with pytest.raises(ValidationFailed) as excinfo:
        requests.post_message(officer, case.pk, body="Hi")
    assert _fields(excinfo) == {"audience"}
    with pytest.raises(ValidationFailed) as excinfo:
        requests.post_message(candidate, case.pk, body="   ")
    assert excinfo.value.errors[0].rule == "required"
    assert not CaseMessage.objects.exists()


def test_bad_upload_is_refused_nothing_stored_and_the_clock_stays_paused(make_case, officer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case, candidate = make_case()
    request = requests.request_information(
        officer, case.pk, addressee="candidate", question="Passport scan", due_on=_in(7)
    )
    with pytest.raises(ValidationFailed) as excinfo:
        requests.answer_information_request(
            candidate, request.pk, body="see file", file=ContentFile(b"MZ\x90\x00 not a document", name="scan.pdf")
        )
    assert excinfo.value.errors[0].field == "file"
    assert excinfo.value.errors[0].rule == "content_type"
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationFailed) as excinfo:
        requests.answer_information_request(candidate, request.pk, file=ContentFile(PDF, name="scan.pdf"))
    assert excinfo.value.errors[0].rule == "max_size"
    request.refresh_from_db()
    assert request.status == "open"
    assert ClockPause.objects.get(pk=request.pause_id).ended_at is None
    assert CaseMessage.objects.filter(case=case).count() == 1  # the question only
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_withdrawing_a_request_resumes_the_clock(make_case, officer, make_user):
    case, candidate = make_case()
    request = requests.request_information(officer, case.pk, addressee="candidate", question="CV", due_on=_in(7))
    with pytest.raises(ValidationFailed) as excinfo:
        requests.withdraw_information_request(officer, request.pk, reason=" ")
    assert _fields(excinfo) == {"reason"}
    with pytest.raises(PermissionRefused):
        requests.withdraw_information_request(candidate, request.pk, reason="no")
    requests.withdraw_information_request(officer, request.pk, reason="Found it in the profile.")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert request.withdrawal_reason == "Found it in the profile."
    assert ClockPause.objects.get(pk=request.pause_id).ended_at is not None
    with pytest.raises(Conflict):
        requests.answer_information_request(candidate, request.pk, body="late")


def test_requests_are_audited_with_field_names_only(make_case, officer):
    case, candidate = make_case()
    question = "Please send the marriage certificate of Ms Secret."
    request = requests.request_information(officer, case.pk, addressee="candidate", question=question, due_on=_in(7))
    requests.answer_information_request(candidate, request.pk, body="Sent by post, Secret.")
    entries = AuditEntry.objects.filter(chain=f"case:{case.pk}")
    actions = list(entries.values_list("action", flat=True))
    for action in (
        "case.information_requested",
        "case.clock_paused",
        "case.message_posted",
        "case.information_provided",
        "case.clock_resumed",
    ):
        assert action in actions
    asked = entries.get(action="case.information_requested")
    assert asked.fields == ["addressee", "due_on", "pause", "question"]
    assert all("Secret" not in (entry.reason + " ".join(entry.fields)) for entry in entries)


def test_request_lists_follow_visibility_and_past_due(make_case, officer, make_candidate):
    case, candidate = make_case()
    host = host_admin_of(case)
    to_candidate = requests.request_information(officer, case.pk, addressee="candidate", question="A", due_on=_in(2))
    to_host = requests.request_information(officer, case.pk, addressee="host", question="B", due_on=_in(2))
    assert set(requests.information_requests_visible_to(candidate)) == {to_candidate, to_host}
    assert list(requests.information_requests_visible_to(host)) == [to_host]
    stranger, _ = make_candidate()
    with pytest.raises(NotFound):
        requests.get_information_request_for(stranger, to_candidate.pk)
    assert list(requests.open_requests_past_due(officer)) == []
    assert set(requests.open_requests_past_due(officer, on=_in(3))) == {to_candidate, to_host}
    with pytest.raises(PermissionRefused):
        requests.open_requests_past_due(candidate)


def test_addressees_are_reminded_once_when_the_due_date_is_near(make_case, officer):
    case, candidate = make_case()
    soon = requests.request_information(officer, case.pk, addressee="candidate", question="A", due_on=_in(1))
    later = requests.request_information(officer, case.pk, addressee="candidate", question="B", due_on=_in(5))
    assert requests.remind_information_requests_due() == 1
    assert requests.remind_information_requests_due() == 0
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None
    assert later.reminded_at is None
    (notice,) = Notification.objects.filter(recipient=candidate, kind="deadline_approaching")
    from talentgate.notifications.rendering import render_notification

    assert "Your answer to a request for information" in render_notification(notice, "en").message
    # Answered requests are not chased.
    requests.answer_information_request(candidate, later.pk, body="Done")
    assert requests.remind_information_requests_due(today=_in(10)) == 0
