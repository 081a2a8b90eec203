"""The applications API: candidates start, submit and withdraw their own; staff list with the queues' filters,
move one application or many, read the history and decide the applicant's documents."""

from __future__ import annotations

import itertools
import json

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Document
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.common.models import AuditEntry
from talentgate.programmes import services
from talentgate.programmes.models import Application, ApplicationTransition

pytestmark = pytest.mark.django_db

API = "/api/programmes"
_ids = itertools.count(1)
READY = {
    "education": [{"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Aero"}],
    "language_tests": [
        {
            "test": "ielts_academic",
            "test_date": "2024-05-01",
            "language": "en",
            "listening": 7.5,
            "reading": 7,
            "writing": 6.5,
            "speaking": 7,
        }
    ],
}


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def programme(administrator):
    return services.create_programme(administrator, code="talent", name_en="Talent attraction")


@pytest.fixture
def make_candidate(make_user):
    """Factory: ``make_candidate(consent=True, family_name=..., **parts)`` -> (user, profile)."""

    def _make(consent: bool = True, family_name: str = "Okafor", residence_country: str = "NG", **parts):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"api-app-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": family_name,
                "date_of_birth": "1990-04-12",
                "sex": "female",
                "residence_country": residence_country,
            },
            **READY,
            **parts,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        if consent:
            give_consent(user, profile, "authority_handoff", "1")
        return user, profile

    return _make


@pytest.fixture
def make_application(make_candidate, programme, officer):
    """Factory: ``make_application("screening", **candidate)`` -> (application, owner)."""

    def _make(until: str = "submitted", **candidate):
        owner, _ = make_candidate(**candidate)
        application = services.create_application(owner, programme_id=programme.pk)
        if until != "draft":
            application = services.submit_application(owner, application.pk)
        if until == "screening":
            application = services.start_screening(officer, application.pk)
        assert application.status == until
        return application, owner

    return _make


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _errors(response):
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


def _state():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "status")),
        ApplicationTransition.objects.count(),
        AuditEntry.objects.count(),
    )


# --- candidates -----------------------------------------------------------------------------------------------------


def test_a_candidate_starts_submits_and_withdraws_their_application(client, make_candidate, programme):
    owner, profile = make_candidate()
    client.force_login(owner)
    created = _post(client, f"{API}/applications", {"programme_id": programme.pk})
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["programme_code"], body["profile_external_id"]) == (
        "draft",
        "talent",
        profile.external_id,
    )
    assert body["candidate_name"] == "Amara Okafor"
    submitted = _post(client, f"{API}/applications/{body['id']}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    withdrawn = _post(client, f"{API}/applications/{body['id']}/withdraw", {"reason": "Took another offer"})
    assert withdrawn.json()["status"] == "withdrawn"
    history = client.get(f"{API}/applications/{body['id']}/history").json()
    assert [(h["from_state"], h["to_state"], h["reason"]) for h in history["items"]] == [
        ("draft", "submitted", ""),
        ("submitted", "withdrawn", "Took another offer"),
    ]
    assert history["count"] == 2


def test_submitting_an_incomplete_profile_names_what_is_missing(client, make_candidate, programme):
    owner, _ = make_candidate(consent=False)
    application = services.create_application(owner, programme_id=programme.pk)
    client.force_login(owner)
    before = _state()
    response = _post(client, f"{API}/applications/{application.pk}/submit")
    assert response.status_code == 409
    assert _errors(response) == {("status", "consent_authority_handoff")}
    assert "submit needs consent 'authority_handoff' given" in response.json()["errors"][0]["message"]
    assert _state() == before


def test_a_second_application_to_a_programme_is_refused(client, make_application, programme):
    _application, owner = make_application("draft")
    client.force_login(owner)
    before = _state()
    response = _post(client, f"{API}/applications", {"programme_id": programme.pk})
    assert response.status_code == 409
    assert _errors(response) == {("programme_id", "unique")}
    bad = _post(client, f"{API}/applications", {"programme_id": "talent"})
    assert bad.status_code == 422
    assert _errors(bad) == {("programme_id", "int_parsing")}
    assert _state() == before


def test_candidates_list_and_read_only_their_own(client, make_application):
    mine, owner = make_application("submitted")
    theirs, _ = make_application("submitted")
    client.force_login(owner)
    listed = client.get(f"{API}/applications").json()
    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert client.get(f"{API}/applications/{theirs.pk}").status_code == 404
    assert client.get(f"{API}/applications/{theirs.pk}/history").status_code == 404
    before = _state()
    assert _post(client, f"{API}/applications/{theirs.pk}/withdraw").status_code == 404
    assert _post(client, f"{API}/applications/{theirs.pk}/submit").status_code == 404
    assert _state() == before


def test_a_candidate_cannot_run_staff_transitions_on_their_own(client, make_application):
    application, owner = make_application("submitted")
    client.force_login(owner)
    before = _state()
    response = _post(client, f"{API}/applications/{application.pk}/transitions/start_screening")
    assert response.status_code == 403
    assert _errors(response) == {("", "role")}
    assert (
        _post(
            client,
            f"{API}/applications/bulk-transitions",
            {"transition": "start_screening", "application_ids": [application.pk]},
        ).status_code
        == 403
    )
    assert _state() == before


def test_anonymous_callers_get_401_everywhere(client, make_application):
    application, _ = make_application("submitted")
    for response in (
        client.get(f"{API}/applications"),
        client.get(f"{API}/applications/stage-counts"),
        _post(client, f"{API}/applications", {"programme_id": 1}),
        _post(client, f"{API}/applications/{application.pk}/submit"),
        _post(client, f"{API}/applications/{application.pk}/transitions/reject", {"reason": "x"}),
        _post(
            client,
            f"{API}/applications/bulk-transitions",
            {"transition": "reject", "application_ids": [application.pk]},
        ),
        client.get(f"{API}/applications/{application.pk}/documents"),
    ):
        assert response.status_code == 401
        assert _errors(response) == {("", "authentication")}
    assert Application.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.parametrize("role", [Role.HOST_ADMIN, Role.HOST_STAFF, Role.ANALYST, Role.REVIEWER, Role.AUTHORITY])
def test_roles_without_applications_are_refused_the_list(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(f"{API}/applications")
    assert response.status_code == 403
    assert _errors(response) == {("", "role")}


# --- staff lists -------------------------------------------------------------------------------------------------------


def test_staff_list_with_filters_sort_and_pages(client, officer, make_application):
    make_application("submitted", family_name="Zhou", residence_country="CN")
    make_application("submitted", family_name="Abe", residence_country="JP")
    make_application("screening", family_name="Mendes", residence_country="BR")
    make_application("draft", family_name="Draft", residence_country="BR")
    client.force_login(officer)
    body = client.get(f"{API}/applications", {"status": "submitted", "sort": "name"}).json()
    assert [i["candidate_name"] for i in body["items"]] == ["Amara Abe", "Amara Zhou"]
    several = client.get(f"{API}/applications?status=submitted,screening&sort=-name&limit=2").json()
    assert (several["count"], several["limit"], [i["candidate_name"] for i in several["items"]]) == (
        3,
        2,
        ["Amara Zhou", "Amara Mendes"],
    )
    assert [
        i["residence_country"] for i in client.get(f"{API}/applications", {"residence_country": "br"}).json()["items"]
    ] == ["BR", "BR"]
    counts = client.get(f"{API}/applications/stage-counts", {"residence_country": "BR"}).json()["counts"]
    assert (counts["draft"], counts["screening"], counts["submitted"]) == (1, 1, 0)


def test_a_bad_filter_is_named(client, officer):
    client.force_login(officer)
    response = client.get(f"{API}/applications", {"sort": "salary"})
    assert response.status_code == 422
    assert {field for field, _rule in _errors(response)} == {"sort"}
    response = client.get(f"{API}/applications", {"status": "submitted,lost"})
    assert response.status_code == 400
    assert _errors(response) == {("status", "choice")}
    response = client.get(f"{API}/applications", {"submitted_from": "2025-02-01", "submitted_to": "2025-01-01"})
    assert response.status_code == 400
    assert _errors(response) == {("submitted_to", "date_order")}
    response = client.get(f"{API}/applications", {"programme_id": 987654, "residence_country": "india"})
    assert _errors(response) == {("programme_id", "not_found"), ("residence_country", "country_code")}


@pytest.mark.parametrize("path", ["/applications", "/applications/stage-counts"])
def test_a_number_given_for_a_day_is_refused_not_read_as_1970(client, officer, path):
    """Found by the fuzz run: ``submitted_to=0`` was read as seconds since 1970 and counted nothing."""
    client.force_login(officer)
    response = client.get(f"{API}{path}", {"submitted_to": "0", "submitted_from": "1795523914"})
    assert response.status_code == 422
    assert _errors(response) == {("submitted_to", "date_format"), ("submitted_from", "date_format")}


# --- staff transitions ----------------------------------------------------------------------------------------------


def test_an_officer_walks_the_application_with_one_route(client, officer, make_user, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    options = client.get(f"{API}/applications/{application.pk}/transitions").json()
    assert [(o["name"], o["target"], o["allowed"]) for o in options] == [
        ("start_screening", "screening", True),
        ("reject", "rejected", True),
    ]
    moved = _post(
        client, f"{API}/applications/{application.pk}/transitions/start_screening", {"expected_status": "submitted"}
    )
    assert (moved.status_code, moved.json()["status"]) == (200, "screening")
    assessed = _post(client, f"{API}/applications/{application.pk}/transitions/mark_assessed", {"reason": "Complete"})
    assert assessed.json()["status"] == "assessed"
    client.force_login(make_user(Role.SUPERVISOR))
    invited = _post(client, f"{API}/applications/{application.pk}/transitions/invite")
    assert invited.json()["status"] == "invited"
    client.force_login(officer)
    matched = _post(client, f"{API}/applications/{application.pk}/transitions/mark_matched")
    assert matched.json()["status"] == "matched"
    history = client.get(f"{API}/applications/{application.pk}/history").json()["items"]
    assert [h["transition"] for h in history] == [
        "submit",
        "start_screening",
        "mark_assessed",
        "invite",
        "mark_matched",
    ]
    assert history[2]["reason"] == "Complete"
    assert history[2]["actor_id"] == officer.pk


def test_a_refused_transition_names_the_failed_condition(client, officer, make_application):
    application, _ = make_application("screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    client.force_login(officer)
    before = _state()
    response = _post(client, f"{API}/applications/{application.pk}/transitions/mark_assessed")
    assert response.status_code == 409
    assert _errors(response) == {("status", "documents_screened")}
    options = {o["name"]: o for o in client.get(f"{API}/applications/{application.pk}/transitions").json()}
    assert (options["mark_assessed"]["allowed"], options["mark_assessed"]["rule"]) == (False, "documents_screened")
    assert _state() == before


def test_a_stale_expected_status_is_a_409_conflict(client, officer, make_application):
    application, _ = make_application("screening")
    client.force_login(officer)
    before = _state()
    response = _post(
        client,
        f"{API}/applications/{application.pk}/transitions/reject",
        {"reason": "x", "expected_status": "submitted"},
    )
    assert response.status_code == 409
    assert _errors(response) == {("status", "concurrent_transition")}
    assert _state() == before


def test_bad_transition_input_is_named_and_changes_nothing(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    before = _state()
    unknown = _post(client, f"{API}/applications/{application.pk}/transitions/submit")
    assert unknown.status_code == 422
    assert {f for f, _r in _errors(unknown)} == {"transition"}
    no_reason = _post(client, f"{API}/applications/{application.pk}/transitions/reject", {"reason": "  "})
    assert no_reason.status_code == 400
    assert _errors(no_reason) == {("reason", "required")}
    bad_status = _post(
        client, f"{API}/applications/{application.pk}/transitions/reject", {"reason": "x", "expected_status": "lost"}
    )
    assert bad_status.status_code == 422
    assert {f for f, _r in _errors(bad_status)} == {"expected_status"}
    assert _post(client, f"{API}/applications/987654/transitions/reject", {"reason": "x"}).status_code == 404
    assert _state() == before


def test_bulk_transitions_report_each_application(client, officer, make_application):
    first, _ = make_application("submitted")
    second, _ = make_application("screening")
    client.force_login(officer)
    response = _post(
        client,
        f"{API}/applications/bulk-transitions",
        {"transition": "start_screening", "application_ids": [first.pk, second.pk, 987654]},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["moved"], body["refused"]) == (1, 2)
    assert [(r["application_id"], r["moved"], r["from_state"], r["to_state"], r["rule"]) for r in body["results"]] == [
        (first.pk, True, "submitted", "screening", ""),
        (second.pk, False, "screening", "", "source_state"),
        (987654, False, "", "", "not_found"),
    ]
    assert Application.objects.get(pk=first.pk).status == "screening"


def test_bulk_refuses_a_malformed_request_as_a_whole(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    before = _state()
    empty = _post(client, f"{API}/applications/bulk-transitions", {"transition": "reject", "application_ids": []})
    assert empty.status_code == 400
    assert _errors(empty) == {("application_ids", "required"), ("reason", "required")}
    unknown = _post(
        client,
        f"{API}/applications/bulk-transitions",
        {"transition": "mark_matched", "application_ids": [application.pk]},
    )
    assert unknown.status_code == 422
    assert {f for f, _r in _errors(unknown)} == {"transition"}
    assert _state() == before


# --- the applicant's documents ---------------------------------------------------------------------------------------


def test_an_officer_verifies_and_rejects_the_applicants_documents(client, officer, make_application):
    application, _ = make_application(
        "screening",
        documents=[{"kind": "diploma", "file_name": "d.pdf"}, {"kind": "passport", "file_name": "p.pdf"}],
    )
    client.force_login(officer)
    listed = client.get(f"{API}/applications/{application.pk}/documents").json()
    diploma, passport = listed["items"]
    assert (diploma["status"], passport["status"]) == ("pending", "pending")
    verified = _post(client, f"{API}/applications/{application.pk}/documents/{diploma['id']}/verify")
    assert (verified.status_code, verified.json()["status"], verified.json()["verified_by_id"]) == (
        200,
        "verified",
        officer.pk,
    )
    rejected = _post(
        client,
        f"{API}/applications/{application.pk}/documents/{passport['id']}/reject",
        {"rejection_reason": "Expired"},
    )
    assert (rejected.json()["status"], rejected.json()["rejection_reason"]) == ("rejected", "Expired")
    again = _post(client, f"{API}/applications/{application.pk}/documents/{passport['id']}/verify")
    assert again.status_code == 409
    assert _errors(again) == {("status", "status_pending")}


def test_a_document_rejection_needs_a_reason_and_changes_nothing_without(client, officer, make_application):
    application, _ = make_application("screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    document = Document.objects.get(profile=application.profile)
    client.force_login(officer)
    blank = _post(
        client, f"{API}/applications/{application.pk}/documents/{document.pk}/reject", {"rejection_reason": " "}
    )
    assert blank.status_code == 400
    assert _errors(blank) == {("rejection_reason", "missing")}
    missing = _post(client, f"{API}/applications/{application.pk}/documents/{document.pk}/reject", {})
    assert missing.status_code == 422
    assert {f for f, _r in _errors(missing)} == {"rejection_reason"}
    assert Document.objects.get(pk=document.pk).status == "pending"


def test_documents_of_another_application_or_by_a_candidate_are_refused(client, officer, make_application):
    application, owner = make_application("screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    other, _ = make_application("screening", documents=[{"kind": "diploma", "file_name": "o.pdf"}])
    other_document = Document.objects.get(profile=other.profile)
    own_document = Document.objects.get(profile=application.profile)
    client.force_login(officer)
    assert _post(client, f"{API}/applications/{application.pk}/documents/{other_document.pk}/verify").status_code == 404
    client.force_login(owner)
    assert client.get(f"{API}/applications/{other.pk}/documents").status_code == 404
    own = _post(client, f"{API}/applications/{application.pk}/documents/{own_document.pk}/verify")
    assert own.status_code == 403
    assert set(Document.objects.values_list("status", flat=True)) == {"pending"}
