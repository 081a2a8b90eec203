"""Bulk actions on a queue selection: each application moved on its own, with a result per application."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.programmes.models import Application

pytestmark = pytest.mark.django_db

BULK = reverse("portal:officer:bulk")


def _statuses(*applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_bulk_start_screening_reports_each_application(client, officer, make_application):
    first, _ = make_application("submitted", family_name="First")
    second, _ = make_application("submitted", family_name="Second")
    already, _ = make_application("screening", family_name="Already")
    client.force_login(officer)
    response = client.post(
        BULK, {"application": [first.pk, second.pk, already.pk], "action": "start_screening", "reason": ""}
    )
    assert response.status_code == 200
    assert _statuses(first, second, already) == ["screening", "screening", "screening"]
    results = [(outcome.application_id, outcome.moved, outcome.rule) for outcome, _app in response.context["results"]]
    assert results == [(first.pk, True, ""), (second.pk, True, ""), (already.pk, False, "source_state")]
    html = response.content.decode()
    assert "Moved: 2. Refused: 1." in html
    assert "start_screening is not possible from status &#x27;screening&#x27;" in html
    assert reverse("portal:officer:application", args=[already.pk]) in html


def test_bulk_mark_assessed_refuses_only_the_applications_whose_guard_fails(client, officer, make_application):
    ready, _ = make_application("screening")
    blocked, _ = make_application("screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    client.force_login(officer)
    response = client.post(BULK, {"application": [ready.pk, blocked.pk], "action": "mark_assessed"})
    assert _statuses(ready, blocked) == ["assessed", "screening"]
    assert "mark_assessed needs screening done" in response.content.decode()


def test_bulk_invite_and_reject_with_one_reason(client, officer, supervisor, make_application):
    first, _ = make_application("assessed")
    second, _ = make_application("assessed")
    client.force_login(supervisor)
    client.post(BULK, {"application": [first.pk], "action": "invite"})
    client.force_login(officer)
    client.post(BULK, {"application": [second.pk], "action": "reject", "reason": "Quota for the year reached"})
    assert _statuses(first, second) == ["invited", "rejected"]
    assert Application.objects.get(pk=second.pk).history.last().reason == "Quota for the year reached"


def test_bulk_reject_without_a_reason_is_shown_next_to_the_reason_and_moves_nothing(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    response = client.post(f"{BULK}?stage=submitted", {"application": [application.pk], "action": "reject"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_reason_error">' in html
    assert "Give the reason for rejecting the applications." in html
    assert f'value="{application.pk}" id="select-{application.pk}"\n                       checked' in html
    assert _statuses(application) == ["submitted"]


def test_bulk_with_nothing_selected_says_so(client, officer, make_application):
    make_application("submitted")
    client.force_login(officer)
    response = client.post(BULK, {"action": "start_screening"})
    assert response.status_code == 400
    assert "Select at least one application." in response.content.decode()
    assert response.context["bulk_form"].errors["application"]


def test_bulk_refuses_garbage_ids_and_unknown_actions(client, officer):
    client.force_login(officer)
    response = client.post(BULK, {"application": ["x"], "action": "withdraw"})
    assert response.status_code == 400
    assert set(response.context["bulk_form"].errors) == {"application", "action"}


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.REVIEWER])
def test_other_roles_cannot_act_in_bulk(client, make_user, make_application, role):
    application, owner = make_application("submitted")
    client.force_login(owner if role == Role.CANDIDATE else make_user(role))
    assert client.post(BULK, {"application": [application.pk], "action": "start_screening"}).status_code == 403
    assert _statuses(application) == ["submitted"]


def test_the_bulk_reason_is_validated_live(client, officer):
    client.force_login(officer)
    url = reverse("portal:officer:validate", args=["bulk", "reason"])
    html = client.post(url, {"action": "reject", "reason": ""}).content.decode()
    assert "Give the reason for rejecting the applications." in html
    assert "errorlist" not in client.post(url, {"action": "invite", "reason": ""}).content.decode()


def test_the_russian_result_page_renders(client, officer, make_application):
    application, _ = make_application("submitted")
    client.force_login(officer)
    response = client.post(
        BULK, {"application": [application.pk], "action": "start_screening"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
