"""The relocation-cases API: queues with filters and pagination, the case file, transitions one by one (with the
version check) and in bulk, checklist and documents, family, permits with the audited reveal, and decisions.

Each action is tried as its rightful user (happy path), anonymously (401), as someone who may not see the
case (404, nothing changed) and with a bad field (the field named, nothing changed)."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.cases import services
from talentgate.cases.models import CaseDocument, CaseTransition, RelocationCase
from talentgate.common.models import AuditEntry
from talentgate.hosts import services as hosts

pytestmark = pytest.mark.django_db

API = "/api/cases"
_ids = itertools.count(1)


# --- a case opened the real way: a host's offer accepted by the candidate ------------------------------------------


def permit_in():
    today = timezone.localdate()
    return services.PermitIn("highly_qualified", "HQ-77-123456", today, today, today + timedelta(days=1000))


def prepared(case, officer, officer2):
    provide_documents(case, officer, verify_with=officer2)
    return services.prepare(officer, case.pk)


def granted(case, officer, officer2, supervisor, authority):
    prepared(case, officer, officer2)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    services.submit_to_authority(officer, case.pk)
    return services.grant_permit(authority, case.pk, permit=permit_in(), legal_ground="Law 115-FZ art. 13.2")


def state(case):
    """What a refused request must leave as it was."""
    row = RelocationCase.objects.get(pk=case.pk)
    return (
        row.stage,
        row.version,
        CaseTransition.objects.filter(case=case).count(),
        CaseDocument.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
    )


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def errors(response):
    return [(e["field"], e["rule"]) for e in response.json()["errors"]]


# --- lists and filters ---------------------------------------------------------------------------------------------


def test_staff_list_cases_filtered_by_stage_and_country_with_pagination(client, officer, officer2, make_case):
    first, _, _ = make_case(residence_country="NG")
    second, _, _ = make_case(residence_country="IN")
    third, _, _ = make_case(residence_country="IN")
    prepared(third, officer, officer2)
    client.force_login(officer)
    everything = client.get(API).json()
    assert everything["count"] == 3
    assert {c["id"] for c in client.get(API, {"stage": "opened"}).json()["items"]} == {first.pk, second.pk}
    indian = client.get(API, {"country": "IN", "stage": "opened"}).json()
    assert [c["id"] for c in indian["items"]] == [second.pk]
    page = client.get(API, {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 1, 1, 1)
    counts = client.get(f"{API}/stage-counts").json()["counts"]
    assert (counts["opened"], counts["prepared"], counts["closed"]) == (2, 1, 0)


def test_a_bad_filter_is_named(client, officer, make_case):
    make_case()
    client.force_login(officer)
    response = client.get(API, {"stage": "flying", "country": "nigeria"})
    assert response.status_code == 400
    assert set(errors(response)) == {("stage", "choice"), ("country", "country_code")}


def test_a_candidate_lists_only_their_own_case_and_a_host_only_its_hires(client, make_case):
    mine, candidate, host_admin = make_case()
    make_case()
    client.force_login(candidate)
    assert [c["id"] for c in client.get(API).json()["items"]] == [mine.pk]
    client.force_login(host_admin)
    assert [c["id"] for c in client.get(API).json()["items"]] == [mine.pk]


def test_anonymous_is_asked_to_sign_in(client, make_case):
    case, _, _ = make_case()
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{case.pk}").status_code == 401
    assert post(client, f"{API}/{case.pk}/transitions/prepare").status_code == 401


# --- one case --------------------------------------------------------------------------------------------------------


def test_the_case_carries_its_version_and_time_in_stage(client, officer, make_case):
    case, _, _ = make_case()
    client.force_login(officer)
    body = client.get(f"{API}/{case.pk}").json()
    assert (body["id"], body["stage"], body["version"], body["stage_label"]) == (case.pk, "opened", 1, "opened")
    assert body["active_seconds_in_stage"] >= 0
    history = client.get(f"{API}/{case.pk}/history").json()["items"]
    assert [(h["transition"], h["to_stage"]) for h in history] == [("open", "opened")]


def test_another_candidates_case_is_not_found(client, make_case):
    case, _, _ = make_case()
    _, stranger, _ = make_case()
    client.force_login(stranger)
    for path in ("", "/history", "/transitions", "/checklist", "/documents", "/family", "/permits", "/decisions"):
        assert client.get(f"{API}/{case.pk}{path}").status_code == 404, path


def test_host_staff_see_the_case_but_not_its_personal_parts(client, make_case):
    case, _, host_admin = make_case()
    client.force_login(host_admin)
    assert client.get(f"{API}/{case.pk}").status_code == 200
    for path in ("/checklist", "/documents", "/family", "/permits", "/decisions"):
        response = client.get(f"{API}/{case.pk}{path}")
        assert response.status_code == 403, path
        assert errors(response) == [("", "case_file")]


# --- transitions ---------------------------------------------------------------------------------------------------


def test_the_transitions_say_what_blocks_them(client, officer, make_case):
    case, _, _ = make_case()
    client.force_login(officer)
    options = {o["name"]: o for o in client.get(f"{API}/{case.pk}/transitions").json()}
    assert set(options) == {"prepare", "reject", "withdraw"}
    assert options["prepare"]["allowed"] is False
    assert options["prepare"]["rule"] == "checklist_complete"
    assert "open: Passport (valid for the whole stay)" in options["prepare"]["refusal"]
    assert options["reject"]["allowed"] is True


def test_an_officer_prepares_a_case_with_the_version_they_read(client, officer, officer2, make_case):
    case, _, _ = make_case()
    provide_documents(case, officer, verify_with=officer2)
    version = RelocationCase.objects.get(pk=case.pk).version
    client.force_login(officer)
    response = post(client, f"{API}/{case.pk}/transitions/prepare", {"expected_version": version, "reason": "ok"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["stage"], body["version"]) == ("prepared", version + 1)
    assert CaseTransition.objects.filter(case=case, transition="prepare", reason="ok").exists()


def test_a_stale_version_is_refused_with_409_naming_the_current_stage(client, officer, officer2, supervisor, make_case):
    case, _, _ = make_case()
    prepared(case, officer, officer2)
    stale = RelocationCase.objects.get(pk=case.pk).version - 1
    before = state(case)
    client.force_login(supervisor)
    response = post(client, f"{API}/{case.pk}/transitions/approve", {"expected_version": stale, "legal_ground": "D1"})
    assert response.status_code == 409
    assert errors(response) == [("version", "stale_version")]
    assert "now at stage 'prepared'" in response.json()["errors"][0]["message"]
    assert state(case) == before


def test_a_refused_transition_names_the_failed_condition_and_changes_nothing(client, officer, make_case):
    case, _, _ = make_case()
    before = state(case)
    client.force_login(officer)
    response = post(client, f"{API}/{case.pk}/transitions/prepare", {"expected_version": 1})
    assert response.status_code == 409
    assert errors(response) == [("status", "checklist_complete")]
    assert state(case) == before


def test_the_four_eyes_rule_refuses_the_preparer(client, officer, officer2, make_case):
    case, _, _ = make_case()
    prepared(case, officer, officer2)
    before = state(case)
    client.force_login(officer)
    response = post(client, f"{API}/{case.pk}/transitions/approve", {"legal_ground": "Decree 1"})
    assert response.status_code == 403
    assert errors(response) == [("", "four_eyes")]
    assert state(case) == before


def test_rejecting_needs_a_reason_named_and_changes_nothing(client, officer, make_case):
    case, _, _ = make_case()
    before = state(case)
    client.force_login(officer)
    response = post(client, f"{API}/{case.pk}/transitions/reject", {"reason": "  ", "legal_ground": "Decree 1"})
    assert response.status_code == 400
    assert errors(response) == [("reason", "required")]
    assert state(case) == before


def test_the_candidate_withdraws_their_case_with_a_reason_but_not_anothers(client, make_case):
    case, candidate, _ = make_case()
    other, _, _ = make_case()
    before = state(other)
    client.force_login(candidate)
    refused = post(client, f"{API}/{other.pk}/transitions/withdraw", {"reason": "Changed my mind"})
    assert refused.status_code == 404
    assert state(other) == before
    response = post(client, f"{API}/{case.pk}/transitions/withdraw", {"reason": "Family reasons"})
    assert response.status_code == 200
    assert response.json()["stage"] == "withdrawn"
    assert response.json()["end_reason"] == "Family reasons"


def test_the_authority_grants_the_permit_with_its_number_masked_afterwards(
    client, officer, officer2, supervisor, authority, make_case
):
    case, _, _ = make_case()
    prepared(case, officer, officer2)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    services.submit_to_authority(officer, case.pk)
    client.force_login(authority)
    today = timezone.localdate()
    permit = {
        "permit_type": "highly_qualified",
        "number": "HQ-77-123456",
        "issued_on": str(today),
        "valid_from": str(today),
        "valid_until": str(today + timedelta(days=900)),
    }
    bad = post(
        client,
        f"{API}/{case.pk}/transitions/grant_permit",
        {"legal_ground": "Law", "permit": permit | {"valid_until": str(today)}},
    )
    assert bad.status_code == 400
    assert ("permit.valid_until", "end_before_start") in errors(bad) or ("permit", "end_before_start") in errors(bad)
    response = post(
        client, f"{API}/{case.pk}/transitions/grant_permit", {"legal_ground": "Law 115-FZ", "permit": permit}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "permit_granted"
    permits = client.get(f"{API}/{case.pk}/permits").json()
    assert [p["number"] for p in permits] == ["••••••••••56"]


# --- bulk ----------------------------------------------------------------------------------------------------------


def test_bulk_reports_a_result_per_case(client, officer, officer2, make_case):
    ready, _, _ = make_case()
    provide_documents(ready, officer, verify_with=officer2)
    not_ready, _, _ = make_case()
    client.force_login(officer)
    response = post(
        client, f"{API}/bulk-transitions", {"transition": "prepare", "case_ids": [ready.pk, not_ready.pk, 999999]}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["moved"], body["refused"]) == (1, 2)
    by_case = {r["case_id"]: r for r in body["results"]}
    assert (by_case[ready.pk]["ok"], by_case[ready.pk]["stage"]) == (True, "prepared")
    assert by_case[not_ready.pk]["errors"][0]["rule"] == "checklist_complete"
    assert by_case[999999]["status"] == 404


def test_bulk_is_for_programme_staff_and_needs_a_selection(client, officer, make_case):
    case, candidate, _ = make_case()
    before = state(case)
    client.force_login(candidate)
    assert (
        post(
            client, f"{API}/bulk-transitions", {"transition": "withdraw", "case_ids": [case.pk], "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(officer)
    empty = post(client, f"{API}/bulk-transitions", {"transition": "prepare", "case_ids": []})
    assert empty.status_code == 400
    assert errors(empty) == [("case_ids", "required")]
    unknown = post(client, f"{API}/bulk-transitions", {"transition": "fly", "case_ids": [case.pk]})
    assert unknown.status_code == 422
    assert errors(unknown)[0][0] == "transition"
    assert state(case) == before


# --- checklist and documents -----------------------------------------------------------------------------------------


def test_the_candidate_uploads_a_document_and_an_officer_verifies_it(client, officer, make_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case, candidate, _ = make_case()
    client.force_login(candidate)
    upload = SimpleUploadedFile("passport.pdf", b"%PDF-1.4\n% passport\n", content_type="application/pdf")
    response = client.post(
        f"{API}/{case.pk}/documents", {"kind": "passport", "file": upload, "expires_on": "2031-01-01"}
    )
    assert response.status_code == 201, response.json()
    document_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    assert client.get(f"{API}/{case.pk}/documents/{document_id}/file").status_code == 200
    checklist = {i["code"]: i for i in client.get(f"{API}/{case.pk}/checklist").json()}
    assert checklist["passport"]["done"] is True
    assert post(client, f"{API}/{case.pk}/documents/{document_id}/verify").status_code == 403
    client.force_login(officer)
    verified = post(client, f"{API}/{case.pk}/documents/{document_id}/verify")
    assert verified.status_code == 200
    assert verified.json()["status"] == "verified"


def test_rejecting_a_document_needs_the_reason(client, officer, make_case):
    case, _, _ = make_case()
    provide_documents(case, officer)
    document = case.documents.first()
    before = state(case)
    client.force_login(officer)
    response = post(client, f"{API}/{case.pk}/documents/{document.pk}/reject", {"reason": " "})
    assert response.status_code == 400
    assert errors(response) == [("reason", "required")]
    assert state(case) == before
    done = post(client, f"{API}/{case.pk}/documents/{document.pk}/reject", {"reason": "Unreadable scan"})
    assert done.json()["rejection_reason"] == "Unreadable scan"


def test_a_document_of_another_case_is_not_found(client, officer, make_case):
    case, _, _ = make_case()
    other, _, _ = make_case()
    provide_documents(other, officer)
    document = other.documents.first()
    client.force_login(officer)
    before = state(other)
    assert post(client, f"{API}/{case.pk}/documents/{document.pk}/verify").status_code == 404
    assert state(other) == before


def test_ticking_a_checklist_item(client, officer, make_case):
    case, candidate, _ = make_case()
    item = case.checklist.filter(document_kind="", required=True).first()
    document_item = case.checklist.exclude(document_kind="").first()
    client.force_login(candidate)
    response = post(client, f"{API}/{case.pk}/checklist/{item.pk}/complete")
    assert response.status_code == 200
    assert response.json()["done"] is True
    refused = post(client, f"{API}/{case.pk}/checklist/{document_item.pk}/complete")
    assert refused.status_code == 409
    assert errors(refused) == [("item", "document_item")]
    assert post(client, f"{API}/{case.pk}/checklist/{item.pk}/reopen").status_code == 403
    client.force_login(officer)
    assert post(client, f"{API}/{case.pk}/checklist/{item.pk}/reopen").json()["done"] is False


# --- family, reveal, decisions ---------------------------------------------------------------------------------------


def test_family_members_are_added_with_their_number_masked_and_a_bad_field_named(client, make_case):
    case, candidate, _ = make_case()
    client.force_login(candidate)
    bad = post(client, f"{API}/{case.pk}/family", {"relation": "child", "given_names_latin": "Ada"})
    assert bad.status_code == 400
    assert ("date_of_birth", "required") in errors(bad) or ("", "required") in errors(bad)
    assert case.family.count() == 0
    response = post(
        client,
        f"{API}/{case.pk}/family",
        {
            "relation": "spouse",
            "given_names_latin": "Chidi",
            "family_name_latin": "Okafor",
            "identity_number": "A12345678",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["identity_number"] == "•••••••78"
    assert [m["given_names_latin"] for m in client.get(f"{API}/{case.pk}/family").json()] == ["Chidi"]


def test_staff_reveal_a_permit_number_and_the_reveal_is_audited(
    client, officer, officer2, supervisor, authority, make_case
):
    case, candidate, _ = make_case()
    granted(case, officer, officer2, supervisor, authority)
    client.force_login(candidate)
    assert post(client, f"{API}/{case.pk}/reveal", {"field": "permit_number"}).status_code == 403
    client.force_login(officer)
    bad = post(client, f"{API}/{case.pk}/reveal", {"field": "passport"})
    assert bad.status_code == 422
    assert errors(bad)[0][0] == "field"
    before = AuditEntry.objects.filter(action="case.field_revealed").count()
    response = post(client, f"{API}/{case.pk}/reveal", {"field": "permit_number"})
    assert response.status_code == 200
    assert response.json()["value"] == "HQ-77-123456"
    assert AuditEntry.objects.filter(action="case.field_revealed").count() == before + 1


def test_decisions_list_the_approval_with_its_basis(client, officer, officer2, supervisor, make_case):
    case, candidate, _ = make_case()
    prepared(case, officer, officer2)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    client.force_login(candidate)
    decisions = client.get(f"{API}/{case.pk}/decisions").json()
    assert [(d["kind"], d["basis"], d["officer_id"]) for d in decisions] == [("approval", "Decree 1", supervisor.pk)]


# --- letters, requests for information, the thread, reconsideration ---------------------------------------------------


def test_the_candidate_downloads_the_decision_letter_in_english_and_russian(client, officer, make_case):
    case, candidate, host_admin = make_case()
    services.reject(officer, case.pk, reason="Outside the programme", legal_ground="Decree 1")
    decision = case.decisions.get()
    url = f"{API}/{case.pk}/decisions/{decision.pk}/letter"
    client.force_login(candidate)
    for language in ("en", "ru"):
        response = client.get(url, {"language": language})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    bad = client.get(url, {"language": "xx"})
    assert bad.status_code == 400
    assert errors(bad) == [("language", "choice")]
    client.force_login(host_admin)
    assert client.get(url).status_code == 404


def test_an_officer_asks_and_the_candidate_answers_over_the_api(client, officer, make_case):
    case, candidate, host_admin = make_case()
    client.force_login(officer)
    past = post(
        client, f"{API}/{case.pk}/requests", {"addressee": "candidate", "question": "Diploma", "due_on": "2000-01-01"}
    )
    assert past.status_code == 400
    assert [f for f, _rule in errors(past)] == ["due_on"]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    made = post(client, f"{API}/{case.pk}/requests", {"addressee": "candidate", "question": "Diploma", "due_on": due})
    assert made.status_code == 201, made.json()
    request_id = made.json()["id"]
    client.force_login(host_admin)
    assert client.get(f"{API}/{case.pk}/requests").json() == []
    assert post(client, f"{API}/{case.pk}/requests/{request_id}/answer", {"body": "x"}).status_code == 404
    client.force_login(candidate)
    assert [r["id"] for r in client.get(f"{API}/{case.pk}/requests").json()] == [request_id]
    answered = post(client, f"{API}/{case.pk}/requests/{request_id}/answer", {"body": "Uploaded today"})
    assert answered.status_code == 200, answered.json()
    assert answered.json()["information_request_id"] == request_id
    bodies = [m["body"] for m in client.get(f"{API}/{case.pk}/messages").json()["items"]]
    assert "Uploaded today" in bodies


def test_the_thread_keeps_the_hosts_side_apart(client, officer, make_case):
    case, candidate, host_admin = make_case()
    client.force_login(candidate)
    assert post(client, f"{API}/{case.pk}/messages", {"body": "Private question"}).status_code == 201
    client.force_login(officer)
    missing = post(client, f"{API}/{case.pk}/messages", {"body": "Hello"})
    assert missing.status_code == 400
    assert errors(missing) == [("audience", "choice")]
    assert post(client, f"{API}/{case.pk}/messages", {"body": "Start date?", "audience": "host"}).status_code == 201
    client.force_login(host_admin)
    assert [m["body"] for m in client.get(f"{API}/{case.pk}/messages").json()["items"]] == ["Start date?"]


def test_reconsideration_is_asked_by_the_candidate_and_reviewed_by_another_officer(
    client, officer, officer2, make_case
):
    case, candidate, _ = make_case()
    services.reject(officer, case.pk, reason="Outside the programme", legal_ground="Decree 1")
    decision = case.decisions.get()
    client.force_login(candidate)
    url = f"{API}/{case.pk}/decisions/{decision.pk}/reconsideration"
    empty = post(client, url, {"grounds": " "})
    assert empty.status_code == 400
    assert errors(empty) == [("grounds", "required")]
    asked = post(client, url, {"grounds": "My contract was signed"})
    assert asked.status_code == 201
    review = f"{API}/{case.pk}/reconsiderations/{asked.json()['id']}/review"
    client.force_login(officer)
    same = post(client, review, {"outcome": "overturned", "reasons": "Looked again"})
    assert same.status_code == 403
    assert RelocationCase.objects.get(pk=case.pk).stage == "rejected"
    client.force_login(officer2)
    done = post(client, review, {"outcome": "overturned", "reasons": "The contract is valid"})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "overturned"
    assert RelocationCase.objects.get(pk=case.pk).stage == "opened"


def test_the_queue_filters_overdue_cases_and_the_case_says_when_its_stage_is_due(client, officer, make_case):
    late, candidate, _ = make_case()
    on_time, _, _ = make_case()
    RelocationCase.objects.filter(pk=late.pk).update(stage_entered_at=timezone.now() - timedelta(days=40))
    client.force_login(officer)
    assert [c["id"] for c in client.get(API, {"deadline": "overdue"}).json()["items"]] == [late.pk]
    assert on_time.pk not in [c["id"] for c in client.get(API, {"deadline": "overdue"}).json()["items"]]
    assert client.get(f"{API}/{late.pk}").json()["deadline_state"] == "overdue"
    assert client.get(f"{API}/{on_time.pk}").json()["deadline_state"] == "on_track"
    bad = client.get(API, {"deadline": "late"})
    assert bad.status_code == 422
    assert errors(bad)[0][0] == "deadline"
    client.force_login(candidate)
    assert client.get(API, {"deadline": "overdue"}).status_code == 403


def test_staff_withdraw_a_request_and_the_candidate_may_not(client, officer, make_case):
    from talentgate.cases import requests
    from talentgate.cases.models import InformationRequest

    case, candidate, _ = make_case()
    request = requests.request_information(
        officer, case.pk, addressee="candidate", question="Diploma?", due_on=timezone.localdate() + timedelta(days=5)
    )
    url = f"{API}/{case.pk}/requests/{request.pk}/withdraw"
    client.force_login(candidate)
    assert post(client, url, {"reason": "x"}).status_code == 403
    client.force_login(officer)
    empty = post(client, url, {"reason": ""})
    assert empty.status_code == 400
    assert errors(empty) == [("reason", "required")]
    done = post(client, url, {"reason": "Found it"})
    assert done.status_code == 200
    assert done.json()["status"] == InformationRequest.objects.get(pk=request.pk).status == "withdrawn"


# --- answering a request for information with a file -------------------------------------------------------------

PDF = b"%PDF-1.4\n% the diploma\n"


def _asked(officer, case):
    from talentgate.cases import requests as case_requests

    return case_requests.request_information(
        officer, case.pk, addressee="candidate", question="Diploma", due_on=timezone.localdate() + timedelta(days=7)
    )


def _request_state(asked):
    from talentgate.cases.models import CaseMessage, InformationRequest

    return (
        InformationRequest.objects.get(pk=asked.pk).status,
        CaseMessage.objects.filter(case_id=asked.case_id).count(),
        AuditEntry.objects.count(),
    )


def test_the_candidate_answers_with_a_file_as_multipart(client, officer, make_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case, candidate, _ = make_case()
    asked = _asked(officer, case)
    client.force_login(candidate)
    upload = SimpleUploadedFile("diploma.pdf", PDF, content_type="application/pdf")
    answered = client.post(f"{API}/{case.pk}/requests/{asked.pk}/answer", {"file": upload})
    assert answered.status_code == 200, answered.json()
    assert answered.json()["attachment_name"] == "diploma.pdf"
    asked.refresh_from_db()
    assert asked.status == "answered"
    assert asked.messages.get(author=candidate).attachment.read() == PDF


def test_the_candidate_answers_with_a_file_as_json_base64(client, officer, make_case):
    case, candidate, _ = make_case()
    asked = _asked(officer, case)
    client.force_login(candidate)
    body = {"body": "Here it is", "file_name": "diploma.pdf", "content_base64": base64.b64encode(PDF).decode()}
    answered = post(client, f"{API}/{case.pk}/requests/{asked.pk}/answer", body)
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["body"], answered.json()["attachment_name"]) == ("Here it is", "diploma.pdf")
    assert asked.messages.get(author=candidate).attachment_type == "application/pdf"


def test_answering_with_a_file_is_refused_anonymously_and_on_another_case(client, officer, make_case):
    case, _candidate, _ = make_case()
    asked = _asked(officer, case)
    _, stranger, _ = make_case()
    before = _request_state(asked)
    body = {"file_name": "diploma.pdf", "content_base64": base64.b64encode(PDF).decode()}
    assert post(client, f"{API}/{case.pk}/requests/{asked.pk}/answer", body).status_code == 401
    client.force_login(stranger)
    assert post(client, f"{API}/{case.pk}/requests/{asked.pk}/answer", body).status_code == 404
    assert _request_state(asked) == before


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"file_name": "diploma.pdf", "content_base64": "not base64!"}, "content_base64", "base64"),
        ({"file_name": "diploma.pdf"}, "content_base64", "required"),
        ({"content_base64": base64.b64encode(PDF).decode()}, "file_name", "required"),
        ({"file_name": "notes.txt", "content_base64": base64.b64encode(b"plain words").decode()}, "file", None),
        ({"body": ""}, "body", "required"),
    ],
)
def test_a_bad_answer_file_is_named_and_changes_nothing(client, officer, make_case, body, field, rule):
    case, candidate, _ = make_case()
    asked = _asked(officer, case)
    before = _request_state(asked)
    client.force_login(candidate)
    refused = post(client, f"{API}/{case.pk}/requests/{asked.pk}/answer", body)
    assert refused.status_code == 400, refused.json()
    assert field in [f for f, _rule in errors(refused)]
    if rule is not None:
        assert (field, rule) in errors(refused)
    assert _request_state(asked) == before


# --- permit work after the grant: family permits, renewal, change of host, identity numbers ----------------------


@pytest.fixture
def granted_case(make_case, officer, officer2, supervisor, authority):
    """A case whose candidate holds a permit, with a spouse relocating; -> (case, candidate, host admin)."""
    case, candidate, admin = make_case()
    services.add_family_member(candidate, case.pk, relation="spouse", given_names_latin="Chidi")
    granted(case, officer, officer2, supervisor, authority)
    return RelocationCase.objects.get(pk=case.pk), candidate, admin


def _permit_body(**changes):
    today = timezone.localdate()
    body = {
        "permit_type": "family_residence",
        "number": "FR-55-000111",
        "issued_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=700)).isoformat(),
    }
    return body | changes


def _permits(case):
    from talentgate.cases.models import Permit

    return sorted(Permit.objects.filter(case=case).values_list("pk", "status"))


def test_staff_record_a_family_permit_answered_masked(client, officer, granted_case):
    case, _, _ = granted_case
    spouse = case.family.get()
    client.force_login(officer)
    made = post(client, f"{API}/{case.pk}/permits", _permit_body(family_member_id=spouse.pk))
    assert made.status_code == 201, made.json()
    assert made.json()["family_member_id"] == spouse.pk
    assert "FR-55-000111" not in made.json()["number"]
    assert case.permits.get(family_member=spouse).number == "FR-55-000111"


def test_a_family_permit_is_refused_anonymously_to_others_and_with_a_bad_field(client, make_case, granted_case):
    case, candidate, admin = granted_case
    spouse = case.family.get()
    _, stranger, other_admin = make_case()
    before = (_permits(case), AuditEntry.objects.count())
    body = _permit_body(family_member_id=spouse.pk)
    assert post(client, f"{API}/{case.pk}/permits", body).status_code == 401
    client.force_login(stranger)
    assert post(client, f"{API}/{case.pk}/permits", body).status_code == 404
    for person in (candidate, admin):
        client.force_login(person)
        assert post(client, f"{API}/{case.pk}/permits", body).status_code == 403
    client.force_login(other_admin)
    assert post(client, f"{API}/{case.pk}/permits", body).status_code == 404
    assert (_permits(case), AuditEntry.objects.count()) == before


def test_a_family_permit_needs_its_holder_named(client, officer, granted_case):
    case, _, _ = granted_case
    before = (_permits(case), AuditEntry.objects.count())
    client.force_login(officer)
    refused = post(client, f"{API}/{case.pk}/permits", _permit_body())
    assert refused.status_code == 400
    assert errors(refused) == [("family_member_id", "required")]
    assert (_permits(case), AuditEntry.objects.count()) == before


def test_a_renewal_supersedes_the_old_permit(client, authority, granted_case):
    case, _, _ = granted_case
    old = case.permits.get(family_member=None)
    client.force_login(authority)
    body = _permit_body(number="HQ-77-999999")
    del body["permit_type"]
    renewed = post(client, f"{API}/{case.pk}/permits/{old.pk}/renewal", body)
    assert renewed.status_code == 201, renewed.json()
    assert renewed.json()["permit_type"] == old.permit_type
    assert "999999" not in renewed.json()["number"]
    old.refresh_from_db()
    assert old.status == "superseded"


def test_a_renewal_is_refused_anonymously_to_others_and_with_a_bad_field(client, officer, make_case, granted_case):
    case, candidate, _ = granted_case
    old = case.permits.get(family_member=None)
    other_case, stranger, _ = make_case()
    before = (_permits(case), AuditEntry.objects.count())
    url = f"{API}/{case.pk}/permits/{old.pk}/renewal"
    body = _permit_body()
    assert post(client, url, body).status_code == 401
    client.force_login(stranger)
    assert post(client, url, body).status_code == 404
    client.force_login(candidate)
    assert post(client, url, body).status_code == 403
    client.force_login(officer)
    early = post(client, url, body | {"valid_from": (old.valid_from - timedelta(days=1)).isoformat()})
    assert early.status_code == 400
    assert errors(early) == [("valid_from", "before_previous")]
    assert post(client, f"{API}/{other_case.pk}/permits/{old.pk}/renewal", body).status_code == 404
    assert (_permits(case), AuditEntry.objects.count()) == before


def _accepted_offer_elsewhere(make_user, officer, case, candidate, *, accept=True):
    admin = make_user(Role.HOST_ADMIN)
    organisation = hosts.register_organisation(
        admin, name=f"New Lab {next(_ids)}", kind="private_company", country="RU"
    )
    hosts.verify_organisation(officer, organisation.pk)
    opportunity = hosts.create_opportunity(admin, title="Lab lead", kind="position", country="RU")
    hosts.publish_opportunity(admin, opportunity.pk)
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=case.profile_id,
        terms="New contract",
        expires_at=timezone.now() + timedelta(days=5),
    )
    if accept:
        hosts.accept_offer(candidate, offer.pk)
    return offer, organisation


def test_staff_record_a_change_of_host(client, make_user, officer, granted_case):
    case, candidate, _ = granted_case
    offer, organisation = _accepted_offer_elsewhere(make_user, officer, case, candidate)
    client.force_login(officer)
    body = {"new_offer_id": offer.pk, "effective_on": timezone.localdate().isoformat(), "reason": "Lab moved"}
    changed = post(client, f"{API}/{case.pk}/host-changes", body)
    assert changed.status_code == 201, changed.json()
    assert changed.json()["to_organisation_id"] == organisation.pk
    assert RelocationCase.objects.get(pk=case.pk).organisation == organisation


def test_a_change_of_host_is_refused_anonymously_to_others_and_names_the_offer(
    client, make_user, officer, make_case, granted_case
):
    case, candidate, admin = granted_case
    offer, _ = _accepted_offer_elsewhere(make_user, officer, case, candidate, accept=False)
    _, stranger, _ = make_case()
    before = state(case)
    url = f"{API}/{case.pk}/host-changes"
    body = {"new_offer_id": offer.pk, "effective_on": timezone.localdate().isoformat()}
    assert post(client, url, body).status_code == 401
    client.force_login(stranger)
    assert post(client, url, body).status_code == 404
    client.force_login(admin)
    assert post(client, url, body).status_code == 403
    client.force_login(officer)
    unaccepted = post(client, url, body)
    assert unaccepted.status_code == 400
    assert errors(unaccepted) == [("new_offer_id", "not_accepted")]
    assert state(case) == before
    assert RelocationCase.objects.get(pk=case.pk).organisation_id == case.organisation_id


def test_staff_record_a_family_members_identity_number_masked(client, officer, make_case):
    case, candidate, _ = make_case()
    spouse = services.add_family_member(candidate, case.pk, relation="spouse", given_names_latin="Chidi")
    _, stranger, _ = make_case()
    url = f"{API}/{case.pk}/family/{spouse.pk}/identity-number"
    assert post(client, url, {"identity_number": "P1234567"}).status_code == 401
    client.force_login(stranger)
    assert post(client, url, {"identity_number": "P1234567"}).status_code == 404
    client.force_login(candidate)
    assert post(client, url, {"identity_number": "P1234567"}).status_code == 403
    client.force_login(officer)
    blank = post(client, url, {"identity_number": "  "})
    assert blank.status_code == 400
    assert errors(blank) == [("identity_number", "required")]
    spouse.refresh_from_db()
    assert not spouse.identity_number
    done = post(client, url, {"identity_number": "P1234567"})
    assert done.status_code == 200, done.json()
    assert "P1234567" not in done.json()["identity_number"]
    spouse.refresh_from_db()
    assert spouse.identity_number == "P1234567"


def test_an_early_departure_closes_the_case_and_ends_its_permits(client, officer, make_case, granted_case):
    case, _candidate, _ = granted_case
    _, stranger, _ = make_case()
    url = f"{API}/{case.pk}/transitions/record_departure"
    body = {
        "departed_on": timezone.localdate().isoformat(),
        "reason": "Family reasons",
        "expected_version": case.version,
    }
    before = (state(case), _permits(case))
    assert post(client, url, body).status_code == 401
    client.force_login(stranger)
    assert post(client, url, body).status_code == 404
    client.force_login(officer)
    missing = post(client, url, body | {"departed_on": None})
    assert missing.status_code == 400
    assert errors(missing) == [("departed_on", "required")]
    assert (state(case), _permits(case)) == before
    done = post(client, url, body)
    assert done.status_code == 200, done.json()
    assert done.json()["departed_on"] == body["departed_on"]
    assert {status for _pk, status in _permits(case)} == {"ended"}
