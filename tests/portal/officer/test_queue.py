"""The officers' application queues: stages with counts, filters, sort orders, pages, and who may open them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.programmes.models import Application

pytestmark = pytest.mark.django_db

QUEUE = reverse("portal:officer:queue")


def _names(response):
    return [application.profile.family_name_latin for application, _country in response.context["rows"]]


def _counts(response):
    return {tab["stage"]: tab["count"] for tab in response.context["stage_tabs"]}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_programme_staff_open_the_queue_of_submitted_applications_by_default(client, make_user, make_application, role):
    make_application("submitted", family_name="Adeyemi")
    make_application("screening", family_name="Baker")
    make_application("draft", family_name="Draftson")
    client.force_login(make_user(role))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert _names(response) == ["Adeyemi"]
    counts = _counts(response)
    assert (counts["submitted"], counts["screening"], counts["assessed"], counts["rejected"]) == (1, 1, 0, 0)
    assert "draft" not in counts  # drafts are the candidate's business until submitted
    html = response.content.decode()
    assert 'aria-current="page"' in html
    assert (
        reverse("portal:officer:application", args=[Application.objects.get(profile__family_name_latin="Adeyemi").pk])
        in html
    )


@pytest.mark.parametrize(
    "role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.HOST_STAFF, Role.REVIEWER, Role.ANALYST, Role.AUTHORITY]
)
def test_other_roles_are_refused(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_each_stage_and_archive_has_its_queue(client, officer, make_application):
    for stage in ("submitted", "screening", "assessed", "invited", "matched", "withdrawn", "rejected"):
        make_application(stage, family_name=stage.capitalize())
    client.force_login(officer)
    for stage in ("submitted", "screening", "assessed", "invited", "matched", "withdrawn", "rejected"):
        response = client.get(QUEUE, {"stage": stage})
        assert _names(response) == [stage.capitalize()], stage
        assert _counts(response)[stage] == 1


def test_filters_by_sector_with_its_sub_sectors_country_and_programme(
    client, officer, make_application, sector, sub_sector, administrator
):
    from talentgate.programmes import services

    other_programme = services.create_programme(administrator, code="visiting", name_en="Visiting researchers")
    make_application(family_name="Space", sector=sector, residence_country="IN")
    make_application(family_name="Propulsion", sector=sub_sector, residence_country="BR")
    make_application(family_name="Nowhere", residence_country="IN")
    make_application(family_name="Visitor", residence_country="IN", programme_id=other_programme.pk)
    client.force_login(officer)
    assert sorted(_names(client.get(QUEUE, {"sector": sector.pk}))) == ["Propulsion", "Space"]
    assert _names(client.get(QUEUE, {"sector": sub_sector.pk})) == ["Propulsion"]
    response = client.get(QUEUE, {"country": "IN", "sort": "name"})
    assert _names(response) == ["Nowhere", "Space", "Visitor"]
    assert _counts(response)["submitted"] == 3  # the counts follow the other filters
    assert _names(client.get(QUEUE, {"programme": other_programme.pk})) == ["Visitor"]
    html = client.get(QUEUE).content.decode()
    assert '<option value="IN">India</option>' in html  # only countries applicants live in are offered


def test_sorts_by_submission_date_name_and_country(client, officer, make_application):
    first, _ = make_application(family_name="Zhou", residence_country="CN")
    second, _ = make_application(family_name="Abe", residence_country="JP")
    third, _ = make_application(family_name="Mendes", residence_country="BR")
    now = timezone.now()
    for days, application in ((3, first), (2, second), (1, third)):
        Application.objects.filter(pk=application.pk).update(submitted_at=now - timedelta(days=days))
    client.force_login(officer)
    assert _names(client.get(QUEUE)) == ["Zhou", "Abe", "Mendes"]
    assert _names(client.get(QUEUE, {"sort": "-submitted"})) == ["Mendes", "Abe", "Zhou"]
    assert _names(client.get(QUEUE, {"sort": "name"})) == ["Abe", "Mendes", "Zhou"]
    assert _names(client.get(QUEUE, {"sort": "-name"})) == ["Zhou", "Mendes", "Abe"]
    assert _names(client.get(QUEUE, {"sort": "country"})) == ["Mendes", "Zhou", "Abe"]
    assert _names(client.get(QUEUE, {"sort": "-country"})) == ["Abe", "Zhou", "Mendes"]


def test_filters_by_submitted_date_range_inclusive(client, officer, make_application):
    early, _ = make_application(family_name="Early")
    late, _ = make_application(family_name="Late")
    Application.objects.filter(pk=early.pk).update(submitted_at=datetime(2025, 3, 1, 23, 59, tzinfo=UTC))
    Application.objects.filter(pk=late.pk).update(submitted_at=datetime(2025, 3, 2, 0, 0, tzinfo=UTC))
    client.force_login(officer)
    assert _names(client.get(QUEUE, {"submitted_to": "2025-03-01"})) == ["Early"]
    assert _names(client.get(QUEUE, {"submitted_from": "2025-03-02"})) == ["Late"]
    assert _names(client.get(QUEUE, {"submitted_from": "2025-03-01", "submitted_to": "2025-03-02"})) == [
        "Early",
        "Late",
    ]


def test_a_reversed_date_range_is_shown_next_to_the_field(client, officer, make_application):
    make_application()
    client.force_login(officer)
    response = client.get(QUEUE, {"submitted_from": "2025-03-02", "submitted_to": "2025-03-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_submitted_to_error">' in html
    assert "The end of the date range is before its start." in html
    assert 'aria-describedby="id_submitted_to_helptext id_submitted_to_error"' in html
    assert response.context["page"] is None


def test_an_unknown_filter_value_is_named(client, officer):
    client.force_login(officer)
    response = client.get(QUEUE, {"stage": "nonsense", "sort": "salary", "submitted_from": "yesterday"})
    assert response.status_code == 400
    assert set(response.context["filter_form"].errors) == {"stage", "sort", "submitted_from"}


def test_pages_of_25_keep_the_filters(client, officer, make_application):
    for index in range(27):
        make_application(family_name=f"N{index:02d}", residence_country="IN")
    client.force_login(officer)
    first = client.get(QUEUE, {"country": "IN", "sort": "name"})
    assert len(first.context["rows"]) == 25
    assert "country=IN&amp;sort=name&amp;page=2" in first.content.decode()
    second = client.get(QUEUE, {"country": "IN", "sort": "name", "page": 2})
    assert _names(second) == ["N25", "N26"]


def test_the_queue_reads_a_page_in_a_fixed_number_of_queries(
    client, officer, make_application, django_assert_max_num_queries
):
    for _ in range(6):
        make_application()
    client.force_login(officer)
    client.get(QUEUE)  # warm the session and content types
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for _ in range(10):
        make_application()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(QUEUE)


def test_the_russian_page_renders(client, officer, make_application):
    make_application()
    client.force_login(officer)
    response = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Перейти к основному содержанию" in html
