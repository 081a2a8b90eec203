"""The officer's application page: masked profile, documents decided with htmx, history, and guarded transitions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Document
from talentgate.common.models import AuditEntry
from talentgate.programmes import services
from talentgate.programmes.models import Application, ApplicationTransition

pytestmark = pytest.mark.django_db

PASSPORT = {"kind": "passport", "number": "AB1234567", "issuing_country": "NG", "expires_on": "2031-01-01"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(application):
    return reverse("portal:officer:application", args=[application.pk])


def _transition(application, name):
    return reverse("portal:officer:transition", args=[application.pk, name])


def _document_url(application, document, action):
    return reverse(f"portal:officer:{action}_document", args=[application.pk, document.pk])


def _state(application):
    row = Application.objects.get(pk=application.pk)
    return row.status, row.history.count(), AuditEntry.objects.count()


def test_the_page_shows_the_profile_with_passport_numbers_masked(client, officer, make_application):
    application, _owner = make_application("screening", identity_documents=[PASSPORT])
    client.force_login(officer)
    response = client.get(_page(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "AB1234567" not in html
    assert "•••••••67" in html
    assert "Amara Okafor" in html
    assert "MIPT" in html
    assert "authority handoff v1" in html


def test_the_history_says_who_when_from_to_and_why(client, officer, make_application):
    application, owner = make_application("screening")
    services.reject_application(officer, application.pk, reason="Outside the priority sectors")
    client.force_login(officer)
    response = client.get(_page(application))
    history = response.context["history"]
    assert [(h.from_state, h.to_state, h.actor) for h in history] == [
        ("draft", "submitted", owner),
        ("submitted", "screening", officer),
        ("screening", "rejected", officer),
    ]
    html = response.content.decode()
    assert "Outside the priority sectors" in html
    assert officer.email in html


def test_the_transitions_open_from_the_status_are_buttons(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    response = client.get(_page(application))
    assert [t["option"].name for t in response.context["transitions"]] == ["start_screening", "reject"]
    html = response.content.decode()
    assert f'action="{_transition(application, "start_screening")}"' in html
    assert 'name="expected_status" value="submitted"' in html


def test_a_transition_moves_the_application_and_comes_back_to_the_page(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    response = client.post(_transition(application, "start_screening"), {"expected_status": "submitted"})
    assert response.status_code == 302
    assert response["Location"] == _page(application)
    assert Application.objects.get(pk=application.pk).status == "screening"
    follow = client.get(response["Location"])
    assert "Done: Start screening." in follow.content.decode()


def test_a_refused_transition_names_the_failed_condition_and_changes_nothing(client, officer, make_application):
    application, _ = make_application("screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    before = _state(application)
    client.force_login(officer)
    response = client.post(_transition(application, "mark_assessed"), {"expected_status": "screening"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Refused:" in html
    assert "mark_assessed needs screening done: no document of the profile still pending verification" in html
    assert _state(application) == before


def test_a_stale_form_shows_the_conflict_and_the_current_status(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    services.start_screening(officer, application.pk)  # someone else, a moment earlier
    before = _state(application)
    response = client.post(_transition(application, "reject"), {"expected_status": "submitted", "reason": "Late"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this application while you were working on it" in html
    assert 'name="expected_status" value="screening"' in html
    assert _state(application) == before


def test_rejecting_needs_a_reason_shown_next_to_the_field(client, officer, make_application):
    application, _ = make_application("submitted")
    before = _state(application)
    client.force_login(officer)
    response = client.post(_transition(application, "reject"), {"expected_status": "submitted", "reason": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="transition-reject-reason_error">' in html
    assert "Give the reason for rejecting the application." in html
    assert 'aria-describedby="transition-reject-reason_helptext transition-reject-reason_error"' in html
    assert _state(application) == before


def test_a_role_the_transition_does_not_allow_is_refused_with_403(client, supervisor, make_application):
    application, _ = make_application("submitted")
    before = _state(application)
    client.force_login(supervisor)
    response = client.post(_transition(application, "start_screening"), {"expected_status": "submitted"})
    assert response.status_code == 403
    assert "start_screening needs the programme officer role" in response.content.decode()
    assert _state(application) == before


def test_an_unknown_transition_or_application_is_404(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    assert client.post(_transition(application, "submit")).status_code == 404
    assert client.get(reverse("portal:officer:application", args=[987654])).status_code == 404


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_STAFF, Role.ANALYST])
def test_the_page_is_refused_to_other_roles_even_the_owner(client, make_user, make_application, role):
    application, owner = make_application("submitted")
    client.force_login(owner if role == Role.CANDIDATE else make_user(role))
    assert client.get(_page(application)).status_code == 403
    assert client.post(_transition(application, "start_screening")).status_code == 403
    assert Application.objects.get(pk=application.pk).status == "submitted"


# --- documents ----------------------------------------------------------------------------------------------------


def _with_document(make_application):
    application, _owner = make_application("screening", documents=[{"kind": "diploma", "file_name": "diploma.pdf"}])
    return application, Document.objects.get(profile=application.profile)


def test_verifying_a_document_with_htmx_swaps_in_its_new_state(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    response = client.post(_document_url(application, document, "verify"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article")
    assert f'id="document-{document.pk}"' in html
    assert "Status: verified" in html
    document.refresh_from_db()
    assert (document.status, document.verified_by) == ("verified", officer)


def test_verifying_without_htmx_redirects_to_the_page(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    response = client.post(_document_url(application, document, "verify"))
    assert (response.status_code, response["Location"]) == (302, _page(application))
    assert Document.objects.get(pk=document.pk).status == "verified"


def test_rejecting_a_document_records_the_reason(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    response = client.post(
        _document_url(application, document, "reject"), {"rejection_reason": "The scan is unreadable."}, **HTMX
    )
    assert "Status: rejected" in response.content.decode()
    document.refresh_from_db()
    assert (document.status, document.rejection_reason) == ("rejected", "The scan is unreadable.")
    # With the document screened, the application may now be marked assessed.
    client.post(_transition(application, "mark_assessed"), {"expected_status": "screening"})
    assert Application.objects.get(pk=application.pk).status == "assessed"


def test_rejecting_a_document_without_a_reason_shows_the_error_next_to_the_field(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    fragment = client.post(_document_url(application, document, "reject"), {"rejection_reason": ""}, **HTMX)
    html = fragment.content.decode()
    assert f'id="document-{document.pk}-rejection_reason_error"' in html
    assert "Say why the document is rejected." in html
    page = client.post(_document_url(application, document, "reject"), {"rejection_reason": ""})
    assert page.status_code == 400
    assert f'aria-describedby="document-{document.pk}-rejection_reason_error"' in page.content.decode()
    assert Document.objects.get(pk=document.pk).status == "pending"


def test_deciding_a_decided_document_again_is_refused_with_the_reason(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    client.post(_document_url(application, document, "verify"))
    response = client.post(_document_url(application, document, "reject"), {"rejection_reason": "Oops"})
    assert response.status_code == 409
    assert "Only a pending document can be rejected; this one is verified." in response.content.decode()
    assert Document.objects.get(pk=document.pk).status == "verified"


def test_a_document_of_another_application_is_404(client, officer, make_application):
    application, _ = _with_document(make_application)
    _other_application, other_document = _with_document(make_application)
    client.force_login(officer)
    assert client.post(_document_url(application, other_document, "verify")).status_code == 404
    assert Document.objects.get(pk=other_document.pk).status == "pending"


def test_the_reason_field_is_validated_live(client, officer, make_application):
    application, document = _with_document(make_application)
    client.force_login(officer)
    url = reverse("portal:officer:validate", args=["reject-document", "rejection_reason"])
    response = client.post(f"{url}?scope=document-{document.pk}", {"rejection_reason": ""}, **HTMX)
    html = response.content.decode()
    assert f'<div class="field" id="document-{document.pk}-rejection_reason_field"' in html
    assert "Say why the document is rejected." in html
    ok = client.post(f"{url}?scope=document-{document.pk}", {"rejection_reason": "Blurred"}, **HTMX)
    assert "errorlist" not in ok.content.decode()
    assert client.post(f"{url}?scope=Bad Scope", {}).status_code == 404
    assert client.post(reverse("portal:officer:validate", args=["reject-document", "kind"]), {}).status_code == 404
    assert ApplicationTransition.objects.filter(application=application).count() == 2


def test_the_russian_page_renders(client, officer, make_application):
    application, _ = _with_document(make_application)
    client.force_login(officer)
    response = client.get(_page(application), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
