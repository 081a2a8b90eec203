"""The relocation-case pages: the staff queue (filters, deadlines, bulk results per case), the case page for staff,
the candidate, host staff and the authority, transitions with the version check, documents, the audited reveal,
requests for information and the thread, reconsideration, and the Russian page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from talentgate.cases import services
from talentgate.cases.models import CaseDocument, CaseTransition, InformationRequest, RelocationCase
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def _case_url(case, view="case", **kwargs):
    return reverse(f"portal:cases:{view}", kwargs={"case_id": case.pk, **kwargs})


def _state(case):
    row = RelocationCase.objects.get(pk=case.pk)
    return (
        row.stage,
        row.version,
        CaseTransition.objects.filter(case=case).count(),
        CaseDocument.objects.filter(case=case).count(),
        InformationRequest.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
    )


# --- the queue ---------------------------------------------------------------------------------------------------------


def test_the_queue_filters_by_stage_and_country(client, officer, make_case, prepared):
    nigerian, _, _ = make_case(residence_country="NG")
    indian, _, _ = make_case(residence_country="IN")
    ready, _, _ = make_case(residence_country="IN")
    prepared(ready)
    client.force_login(officer)
    response = client.get(reverse("portal:cases:list"), {"stage": "opened", "country": "in"})
    assert response.status_code == 200
    assert [case.pk for case, _deadline in response.context["rows"]] == [indian.pk]
    tabs = {tab["stage"]: tab["count"] for tab in response.context["stage_tabs"]}
    assert (tabs["opened"], tabs["prepared"]) == (1, 1)
    html = response.content.decode()
    assert _case_url(indian) in html
    assert _case_url(nigerian) not in html


def test_a_bad_filter_is_shown_next_to_its_field(client, officer, make_case):
    make_case()
    client.force_login(officer)
    response = client.get(reverse("portal:cases:list"), {"country": "India"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_country_error"' in html
    assert "Give the country as two letters" in html


def test_the_overdue_filter_keeps_only_cases_past_their_stage_deadline(client, officer, make_case):
    late, _, _ = make_case()
    make_case()
    RelocationCase.objects.filter(pk=late.pk).update(stage_entered_at=timezone.now() - timedelta(days=40))
    client.force_login(officer)
    response = client.get(reverse("portal:cases:list"), {"deadline": "overdue"})
    assert [case.pk for case, _ in response.context["rows"]] == [late.pk]
    assert "overdue" in response.content.decode()


def test_bulk_action_reports_ok_or_refused_with_the_reason_per_case(client, officer, make_case, provide):
    ready, _, _ = make_case()
    provide(ready)
    not_ready, _, _ = make_case()
    client.force_login(officer)
    response = client.post(reverse("portal:cases:bulk"), {"case": [ready.pk, not_ready.pk], "action": "prepare"})
    assert response.status_code == 200
    results = {outcome.case_id: outcome for outcome, _case in response.context["results"]}
    assert results[ready.pk].ok
    assert results[ready.pk].stage == "prepared"
    assert not results[not_ready.pk].ok
    assert results[not_ready.pk].errors[0].rule == "checklist_complete"
    html = response.content.decode()
    assert "Moved: 1. Refused: 1." in html
    assert "prepare needs every required checklist item due before preparation done" in html


def test_bulk_reject_without_a_reason_is_refused_next_to_the_field(client, officer, make_case):
    case, _, _ = make_case()
    before = _state(case)
    client.force_login(officer)
    response = client.post(reverse("portal:cases:bulk"), {"case": [case.pk], "action": "reject", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason_error"' in html
    assert f'value="{case.pk}" id="select-{case.pk}" checked' in html
    assert _state(case) == before


def test_candidates_and_hosts_get_their_own_list_not_the_queue(client, make_case):
    case, candidate, host_admin = make_case()
    make_case()
    for person in (candidate, host_admin):
        client.force_login(person)
        response = client.get(reverse("portal:cases:list"))
        assert response.status_code == 200
        assert [c.pk for c in response.context["page"]] == [case.pk]
        assert "portal/cases/list.html" in [t.name for t in response.templates]


# --- the case page -----------------------------------------------------------------------------------------------------


def test_staff_see_the_file_and_blocked_transitions_with_their_reason(client, officer, make_case):
    case, _, _ = make_case()
    client.force_login(officer)
    response = client.get(_case_url(case))
    assert response.status_code == 200
    names = [t["option"].name for t in response.context["transitions"]]
    assert names == ["prepare", "reject", "withdraw"]
    html = response.content.decode()
    assert "Not possible now:" in html
    assert "open: Passport (valid for the whole stay)" in html
    assert f'name="expected_version" value="{case.version}"' in html
    assert "Police clearance certificate" in html


def test_a_transition_moves_the_case_and_comes_back_to_the_page(client, officer, make_case, provide):
    case, _, _ = make_case()
    provide(case)
    version = RelocationCase.objects.get(pk=case.pk).version
    client.force_login(officer)
    response = client.post(_case_url(case, "transition", name="prepare"), {"expected_version": version, "reason": "ok"})
    assert response.status_code == 302
    assert response["Location"] == _case_url(case)
    assert RelocationCase.objects.get(pk=case.pk).stage == "prepared"
    assert "Done: Mark prepared." in client.get(response["Location"]).content.decode()


def test_a_stale_form_says_someone_changed_the_case_and_shows_the_stage_now(
    client, officer, supervisor, make_case, prepared
):
    case, _, _ = make_case()
    prepared(case)
    stale = RelocationCase.objects.get(pk=case.pk).version - 1
    before = _state(case)
    client.force_login(supervisor)
    response = client.post(_case_url(case, "transition", name="approve"), {"expected_version": stale})
    assert response.status_code == 409
    html = response.content.decode()
    assert "This case changed since you loaded it: it is now at stage &#x27;prepared&#x27;" in html
    current = RelocationCase.objects.get(pk=case.pk).version
    assert f'name="expected_version" value="{current}"' in html
    assert _state(case) == before


def test_a_refused_transition_names_the_failed_condition(client, officer, make_case):
    case, _, _ = make_case()
    before = _state(case)
    client.force_login(officer)
    response = client.post(_case_url(case, "transition", name="prepare"), {"expected_version": case.version})
    assert response.status_code == 409
    assert "Refused:" in response.content.decode()
    assert _state(case) == before


def test_rejecting_needs_a_reason_shown_next_to_the_field(client, officer, make_case):
    case, _, _ = make_case()
    before = _state(case)
    client.force_login(officer)
    response = client.post(_case_url(case, "transition", name="reject"), {"expected_version": case.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="transition-reject-reason_error"' in html
    assert _state(case) == before


def test_the_candidate_withdraws_with_a_reason_and_sees_what_is_needed(client, make_case):
    case, candidate, _ = make_case()
    client.force_login(candidate)
    page = client.get(_case_url(case))
    assert [t["option"].name for t in page.context["transitions"]] == ["withdraw"]
    assert "What is needed" in page.content.decode()
    response = client.post(
        _case_url(case, "transition", name="withdraw"), {"expected_version": case.version, "reason": "Family reasons"}
    )
    assert response.status_code == 302
    assert RelocationCase.objects.get(pk=case.pk).stage == "withdrawn"


def test_the_candidate_uploads_a_document_and_an_officer_verifies_it(client, officer, make_case):
    case, candidate, _ = make_case()
    client.force_login(candidate)
    upload = SimpleUploadedFile("passport.pdf", b"%PDF-1.4\n% passport\n", content_type="application/pdf")
    response = client.post(
        _case_url(case, "upload_document"), {"kind": "passport", "file": upload, "expires_on": "2031-01-01"}
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case, kind="passport")
    client.force_login(officer)
    assert client.post(_case_url(case, "verify_document", document_id=document.pk)).status_code == 302
    assert CaseDocument.objects.get(pk=document.pk).status == "verified"


def test_an_upload_without_a_file_is_refused_next_to_the_field(client, make_case):
    case, candidate, _ = make_case()
    before = _state(case)
    client.force_login(candidate)
    response = client.post(_case_url(case, "upload_document"), {"kind": "passport"})
    assert response.status_code == 400
    assert 'id="upload-file_error"' in response.content.decode()
    assert _state(case) == before


def test_rejecting_a_document_needs_a_reason(client, officer, make_case, provide):
    case, _, _ = make_case()
    provide(case, verify=False)
    document = case.documents.first()
    client.force_login(officer)
    response = client.post(_case_url(case, "reject_document", document_id=document.pk), {"reason": ""})
    assert response.status_code == 400
    assert f'id="reject-{document.pk}-reason_error"' in response.content.decode()
    assert CaseDocument.objects.get(pk=document.pk).status == "pending"


def test_host_staff_see_the_course_of_the_case_but_not_the_file(client, make_case):
    case, _, host_admin = make_case()
    client.force_login(host_admin)
    response = client.get(_case_url(case))
    assert response.status_code == 200
    assert response.context["file_visible"] is False
    html = response.content.decode()
    assert "Police clearance certificate" not in html
    assert response.context["transitions"] == []


def test_staff_reveal_a_permit_number_and_the_reveal_is_audited(client, officer, make_case, granted):
    case, candidate, _ = make_case()
    granted(case)
    client.force_login(officer)
    page = client.get(_case_url(case)).content.decode()
    assert "HQ-77-123456" not in page
    permit = case.permits.get()
    before = AuditEntry.objects.filter(action="case.field_revealed").count()
    response = client.post(
        _case_url(case, "reveal"), {"field": "permit_number", "object_id": permit.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "HQ-77-123456" in response.content.decode()
    assert AuditEntry.objects.filter(action="case.field_revealed").count() == before + 1
    client.force_login(candidate)
    assert client.post(_case_url(case, "reveal"), {"field": "permit_number"}).status_code == 403


def test_an_officer_asks_the_candidate_who_answers(client, officer, make_case):
    case, candidate, _ = make_case()
    client.force_login(officer)
    bad = client.post(_case_url(case, "ask"), {"addressee": "candidate", "question": "", "due_on": ""})
    assert bad.status_code == 400
    assert 'id="request-question_error"' in bad.content.decode()
    assert not InformationRequest.objects.filter(case=case).exists()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        _case_url(case, "ask"), {"addressee": "candidate", "question": "Your diploma, please", "due_on": due}
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get(case=case)
    client.force_login(candidate)
    page = client.get(_case_url(case)).content.decode()
    assert "Your diploma, please" in page
    empty = client.post(_case_url(case, "answer", request_id=request.pk), {"body": ""})
    assert empty.status_code == 400
    answered = client.post(_case_url(case, "answer", request_id=request.pk), {"body": "Uploaded today"})
    assert answered.status_code == 302
    assert InformationRequest.objects.get(pk=request.pk).status != "open"


def test_the_thread_carries_messages_both_ways(client, officer, make_case):
    case, candidate, _ = make_case()
    client.force_login(candidate)
    assert client.post(_case_url(case, "message"), {"body": ""}).status_code == 400
    assert client.post(_case_url(case, "message"), {"body": "When do I travel?"}).status_code == 302
    client.force_login(officer)
    assert "When do I travel?" in client.get(_case_url(case)).content.decode()
    missing_side = client.post(_case_url(case, "message"), {"body": "Soon"})
    assert missing_side.status_code == 400
    assert client.post(_case_url(case, "message"), {"body": "Soon", "audience": "candidate"}).status_code == 302


def test_the_candidate_asks_for_reconsideration_of_a_rejection(client, officer, make_case):
    case, candidate, _ = make_case()
    services.reject(officer, case.pk, reason="Outside the programme", legal_ground="Decree 1")
    decision = case.decisions.get()
    client.force_login(candidate)
    page = client.get(_case_url(case))
    assert "Ask for reconsideration" in page.content.decode()
    url = _case_url(case, "reconsider", decision_id=decision.pk)
    empty = client.post(url, {"grounds": ""})
    assert empty.status_code == 400
    assert f'id="reconsider-{decision.pk}-grounds_error"' in empty.content.decode()
    assert client.post(url, {"grounds": "My contract was signed"}).status_code == 302
    assert decision.reconsideration.grounds == "My contract was signed"


def test_the_case_page_renders_in_russian(client, officer, make_case):
    case, _, _ = make_case()
    client.force_login(officer)
    response = client.get(_case_url(case), **RU)
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
    queue = client.get(reverse("portal:cases:list"), **RU)
    assert queue.status_code == 200


def test_live_validation_answers_the_field_fragment(client, officer):
    client.force_login(officer)
    url = reverse("portal:cases:validate", kwargs={"form_key": "transition", "field_name": "reason"})
    response = client.post(f"{url}?scope=transition-reject", {"reason": ""})
    assert response.status_code == 200
    assert 'id="transition-reject-reason_error"' in response.content.decode()


def test_another_candidates_case_is_not_found_and_nothing_changes(client, make_case):
    case, _, _ = make_case()
    _, stranger, _ = make_case()
    before = _state(case)
    client.force_login(stranger)
    assert client.get(_case_url(case)).status_code == 404
    response = client.post(_case_url(case, "transition", name="withdraw"), {"expected_version": 1, "reason": "x"})
    assert response.status_code == 404
    assert _state(case) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, make_case):
    case, _, _ = make_case()
    response = client.get(_case_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_candidate_downloads_the_decision_letter(client, officer, make_case):
    case, candidate, host_admin = make_case()
    services.reject(officer, case.pk, reason="Outside the programme", legal_ground="Decree 1")
    decision = case.decisions.get()
    client.force_login(candidate)
    page = client.get(_case_url(case)).content.decode()
    url = _case_url(case, "letter", decision_id=decision.pk)
    assert f"{url}?language=ru" in page
    response = client.get(url, {"language": "ru"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(host_admin)
    assert client.get(url).status_code == 404


def test_the_authority_grants_the_permit_on_the_page(client, officer, supervisor, authority, make_case, prepared):
    case, _, _ = make_case()
    prepared(case)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    services.submit_to_authority(officer, case.pk)
    version = RelocationCase.objects.get(pk=case.pk).version
    client.force_login(authority)
    page = client.get(_case_url(case))
    assert [t["option"].name for t in page.context["transitions"]] == ["grant_permit", "refuse_permit"]
    today = timezone.localdate()
    form = {
        "expected_version": version,
        "legal_ground": "Law 115-FZ art. 13.2",
        "permit_type": "highly_qualified",
        "number": "HQ-1",
        "issued_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": today.isoformat(),
    }
    bad = client.post(_case_url(case, "transition", name="grant_permit"), form)
    assert bad.status_code == 400
    assert 'id="transition-grant-permit-valid_until_error"' in bad.content.decode()
    assert RelocationCase.objects.get(pk=case.pk).stage == "submitted"
    form["valid_until"] = (today + timedelta(days=900)).isoformat()
    response = client.post(_case_url(case, "transition", name="grant_permit"), form)
    assert response.status_code == 302
    assert RelocationCase.objects.get(pk=case.pk).stage == "permit_granted"


def test_host_staff_answer_a_request_addressed_to_the_host(client, officer, make_case):
    from talentgate.cases import requests

    case, _, host_admin = make_case()
    request = requests.request_information(
        officer, case.pk, addressee="host", question="Housing address?", due_on=timezone.localdate() + timedelta(days=5)
    )
    client.force_login(host_admin)
    page = client.get(_case_url(case)).content.decode()
    assert "Housing address?" in page
    response = client.post(_case_url(case, "answer", request_id=request.pk), {"body": "Korolev, Lenina 1"})
    assert response.status_code == 302
    assert InformationRequest.objects.get(pk=request.pk).status != "open"


def test_the_candidate_adds_a_family_member_and_a_child_needs_a_birth_date(client, make_case):
    case, candidate, _ = make_case()
    client.force_login(candidate)
    url = _case_url(case, "add_family_member")
    bad = client.post(url, {"relation": "child", "given_names_latin": "Ada"})
    assert bad.status_code == 400
    assert 'id="family-date_of_birth_error"' in bad.content.decode()
    assert case.family.count() == 0
    response = client.post(url, {"relation": "spouse", "given_names_latin": "Chidi", "identity_number": "A12345678"})
    assert response.status_code == 302
    page = client.get(_case_url(case)).content.decode()
    assert "A12345678" not in page
    assert "•••••••78" in page


def test_staff_withdraw_a_request_that_is_no_longer_needed(client, officer, make_case):
    from talentgate.cases import requests

    case, candidate, _ = make_case()
    request = requests.request_information(
        officer, case.pk, addressee="candidate", question="Diploma?", due_on=timezone.localdate() + timedelta(days=5)
    )
    url = _case_url(case, "withdraw_request", request_id=request.pk)
    client.force_login(candidate)
    assert client.post(url, {"reason": "mine"}).status_code == 403
    client.force_login(officer)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert f'id="withdraw-request-{request.pk}-reason_error"' in empty.content.decode()
    assert client.post(url, {"reason": "Found it in the file"}).status_code == 302
    assert InformationRequest.objects.get(pk=request.pk).status == "withdrawn"


def test_staff_drive_a_case_from_opened_to_closed_on_the_pages(
    client, officer, officer2, supervisor, authority, make_case
):
    case, candidate, _ = make_case()

    def act(person, name, **fields):
        client.force_login(person)
        version = RelocationCase.objects.get(pk=case.pk).version
        response = client.post(_case_url(case, "transition", name=name), {"expected_version": version, **fields})
        assert response.status_code == 302, (name, response.status_code)

    client.force_login(candidate)
    for item in case.checklist.filter(required=True).exclude(document_kind=""):
        upload = SimpleUploadedFile(f"{item.code}.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        expires = (timezone.localdate() + timedelta(days=700)).isoformat()
        response = client.post(
            _case_url(case, "upload_document"), {"kind": item.document_kind, "file": upload, "expires_on": expires}
        )
        assert response.status_code == 302
    client.force_login(officer2)
    for document in case.documents.all():
        assert client.post(_case_url(case, "verify_document", document_id=document.pk)).status_code == 302
    act(officer, "prepare")
    act(supervisor, "approve", legal_ground="Decree 1")
    act(officer, "submit_to_authority")
    today = timezone.localdate()
    act(
        authority,
        "grant_permit",
        legal_ground="Law 115-FZ art. 13.2",
        permit_type="highly_qualified",
        number="HQ-9",
        issued_on=today.isoformat(),
        valid_from=today.isoformat(),
        valid_until=(today + timedelta(days=900)).isoformat(),
    )
    act(officer, "start_relocation")
    client.force_login(officer)
    for item in case.checklist.filter(required=True, due_before="record_arrival", completed_at__isnull=True):
        assert client.post(_case_url(case, "complete_item", item_id=item.pk)).status_code == 302
    act(officer, "record_arrival", arrived_on=(today - timedelta(days=400)).isoformat())
    act(officer, "record_follow_up_6m")
    act(officer, "record_follow_up_12m")
    act(officer, "close")
    stages = list(CaseTransition.objects.filter(case=case).order_by("version").values_list("to_stage", flat=True))
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
