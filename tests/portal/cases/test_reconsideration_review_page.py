"""Reviewing a reconsideration on the case page: a different officer upholds or overturns the decision (overturning
reopens the case); the officer who decided sees no form and is refused; a bad field is shown next to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.cases import reconsideration, services
from talentgate.cases.models import Reconsideration, RelocationCase
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def _asked(officer, make_case):
    case, candidate, _ = make_case()
    services.reject(officer, case.pk, reason="Outside the programme", legal_ground="Decree 1")
    asked = reconsideration.request_reconsideration(candidate, case.decisions.get().pk, grounds="Please look again")
    return RelocationCase.objects.get(pk=case.pk), candidate, asked


def _url(asked):
    return reverse(
        "portal:cases:review_reconsideration", kwargs={"case_id": asked.case_id, "reconsideration_id": asked.pk}
    )


def _state(asked):
    case = RelocationCase.objects.get(pk=asked.case_id)
    return Reconsideration.objects.get(pk=asked.pk).status, case.stage, case.version, AuditEntry.objects.count()


def test_a_different_officer_sees_the_review_form_and_upholds(client, officer, officer2, make_case):
    case, _, asked = _asked(officer, make_case)
    client.force_login(officer2)
    page = client.get(reverse("portal:cases:case", kwargs={"case_id": case.pk})).content.decode()
    assert "Review the reconsideration" in page
    assert "Please look again" in page
    done = client.post(_url(asked), {"outcome": "upheld", "reasons": "Nothing new", "expected_version": case.version})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "upheld"
    assert asked.reviewed_by == officer2
    assert RelocationCase.objects.get(pk=case.pk).stage == "rejected"


def test_overturning_reopens_the_case(client, officer, supervisor, make_case):
    case, _, asked = _asked(officer, make_case)
    client.force_login(supervisor)
    body = {"outcome": "overturned", "reasons": "The contract was signed", "expected_version": case.version}
    assert client.post(_url(asked), body).status_code == 302
    asked.refresh_from_db()
    assert asked.status == "overturned"
    assert RelocationCase.objects.get(pk=case.pk).stage != "rejected"


def test_the_officer_who_decided_gets_no_form_and_is_refused(client, officer, make_case):
    case, _, asked = _asked(officer, make_case)
    before = _state(asked)
    client.force_login(officer)
    page = client.get(reverse("portal:cases:case", kwargs={"case_id": case.pk})).content.decode()
    assert "Review the reconsideration" not in page
    assert client.post(_url(asked), {"outcome": "upheld", "reasons": "Mine stands"}).status_code == 403
    assert _state(asked) == before


def test_missing_reasons_are_shown_next_to_the_field_and_change_nothing(client, officer, officer2, make_case):
    _, _, asked = _asked(officer, make_case)
    before = _state(asked)
    client.force_login(officer2)
    refused = client.post(_url(asked), {"outcome": "upheld", "reasons": ""})
    assert refused.status_code == 400
    assert f'id="review-{asked.pk}-reasons_error"' in refused.content.decode()
    assert _state(asked) == before


def test_the_candidate_another_candidate_and_anonymous_are_refused(client, officer, make_case):
    _, candidate, asked = _asked(officer, make_case)
    _, stranger, _ = make_case()
    before = _state(asked)
    body = {"outcome": "overturned", "reasons": "Please"}
    anonymous = client.post(_url(asked), body)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    client.force_login(stranger)
    assert client.post(_url(asked), body).status_code == 404
    client.force_login(candidate)
    assert client.post(_url(asked), body).status_code in (403, 404)
    assert _state(asked) == before


def test_the_review_form_renders_in_russian(client, officer, officer2, make_case):
    case, _, _ = _asked(officer, make_case)
    client.force_login(officer2)
    page = client.get(reverse("portal:cases:case", kwargs={"case_id": case.pk}), **RU)
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()
