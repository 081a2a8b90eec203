"""Opportunity pages: create and edit with requirement rows (vocabulary codes filled in, free text kept),
errors next to their fields, publish refused with the reason until the organisation is verified, close."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.hosts.models import Opportunity

pytestmark = pytest.mark.django_db

FORM = {"title": "GNC engineer", "kind": "position", "country": "RU", "capacity": "2", "min_experience_years": "3"}


def test_new_opportunity_form_has_rows_datalists_and_live_validation(client, org):
    client.force_login(org[2])
    html = client.get(reverse("portal:host:opportunity_new")).content.decode()
    assert '<datalist id="occupations-suggestions">' in html
    assert 'name="occupations-0-label"' in html
    assert 'hx-get="/host/suggest/occupations/"' in html
    assert 'hx-post="/host/validate/opportunity/"' in html
    assert 'hx-get="/host/requirements/skills/row/?index=1"' in html


def test_create_with_requirements_fills_vocabulary_codes_and_keeps_free_text(client, org):
    organisation, _admin, staff = org
    client.force_login(staff)
    data = {
        **FORM,
        "occupations-0-label": "gnc engineer",
        "occupations-1-label": "Orbital debris analyst",
        "occupations-1-isco08_code": "2111",
        "skills-0-label": "Kalman filtering",
        "skills-0-essential": "on",
        "skills-3-label": "juggling satellites",
        "languages-0-language": "Russian",
        "languages-0-min_level": "B2",
        "languages-1-language": "",
    }
    response = client.post(reverse("portal:host:opportunity_new"), data)
    opportunity = Opportunity.objects.get(organisation=organisation)
    assert response["Location"] == reverse("portal:host:opportunity_detail", kwargs={"opportunity_id": opportunity.pk})
    assert [(o.label, o.isco08_code) for o in opportunity.occupations.all()] == [
        ("GNC engineer", "2144"),
        ("Orbital debris analyst", "2111"),
    ]
    assert [(s.label, s.essential) for s in opportunity.skills.all()] == [
        ("Kalman filtering", True),
        ("juggling satellites", False),
    ]
    assert [(la.language, la.min_level) for la in opportunity.languages.all()] == [("ru", "B2")]
    assert (opportunity.status, opportunity.capacity, opportunity.created_by) == ("draft", 2, staff)


def test_a_free_text_occupation_without_a_code_is_refused_next_to_its_code_field(client, org):
    client.force_login(org[2])
    response = client.post(reverse("portal:host:opportunity_new"), {**FORM, "occupations-0-label": "Rocket whisperer"})
    assert response.status_code == 400
    row = response.context["requirement_sets"][0][1][0]
    assert row.errors["isco08_code"] == ["Give an ESCO occupation URI or an ISCO-08 code."]
    assert 'id="id_occupations-0-isco08_code_error"' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_bad_fields_are_shown_next_to_them_and_nothing_is_saved(client, org):
    client.force_login(org[2])
    response = client.post(
        reverse("portal:host:opportunity_new"),
        {
            **FORM,
            "title": "",
            "salary_min": "900",
            "salary_max": "100",
            "languages-0-language": "zz",
            "languages-0-min_level": "B1",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["title"] == ["This field is required."]
    assert form.errors["salary_max"] == ["The maximum must not be below the minimum."]
    html = response.content.decode()
    assert 'aria-describedby="id_title_error"' in html
    assert not Opportunity.objects.exists()


def test_service_errors_of_a_row_land_on_that_row(client, org):
    client.force_login(org[2])
    response = client.post(
        reverse("portal:host:opportunity_new"), {**FORM, "languages-0-language": "zz", "languages-0-min_level": "B1"}
    )
    row = response.context["requirement_sets"][2][1][0]
    assert row.errors["language"] == ["'zz' is not an ISO 639-1 code."]


def test_add_row_without_htmx_shows_one_more_row_and_saves_nothing(client, org):
    client.force_login(org[2])
    response = client.post(
        reverse("portal:host:opportunity_new"), {**FORM, "skills-0-label": "Python", "add_row": "skills"}
    )
    assert response.status_code == 200
    assert 'name="skills-2-label"' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_the_row_and_suggestion_fragments(client, org):
    client.force_login(org[2])
    row = client.get(
        reverse("portal:host:requirement_row", kwargs={"kind": "languages"}), {"index": "4"}
    ).content.decode()
    assert 'name="languages-4-language"' in row
    assert "?index=5" in row
    options = client.get(reverse("portal:host:suggest", kwargs={"kind": "occupations"}), {"occupations-0-label": "gnc"})
    assert options.content.decode().strip() == '<option value="GNC engineer">ISCO-08 2144</option>'
    languages = client.get(reverse("portal:host:suggest", kwargs={"kind": "languages"}), {"q": "kaz"}).content.decode()
    assert '<option value="kk">Kazakh</option>' in languages
    assert client.get(reverse("portal:host:suggest", kwargs={"kind": "planets"})).status_code == 404


def test_live_validation_of_an_opportunity_field(client, org):
    client.force_login(org[2])
    url = reverse("portal:host:validate", kwargs={"form_name": "opportunity"})
    html = client.post(url, {"_field": "capacity", "capacity": "0"}).content.decode()
    assert 'id="group-capacity"' in html
    assert "Ensure this value is greater than or equal to 1." in html


def test_edit_replaces_requirements_and_keeps_the_page_for_errors(client, org, make_opportunity):
    _organisation, admin, staff = org
    opportunity = make_opportunity(staff, publish=False)
    client.force_login(admin)
    page = client.get(
        reverse("portal:host:opportunity_edit", kwargs={"opportunity_id": opportunity.pk})
    ).content.decode()
    assert 'value="turbopump design"' in page
    response = client.post(
        reverse("portal:host:opportunity_edit", kwargs={"opportunity_id": opportunity.pk}),
        {**FORM, "title": "Senior GNC engineer", "skills-0-label": "orbital mechanics"},
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Senior GNC engineer"
    assert [s.label for s in opportunity.skills.all()] == ["orbital mechanics"]
    assert list(opportunity.occupations.all()) == []


def test_publish_is_refused_with_the_reason_until_the_organisation_is_verified(client, make_org, make_opportunity):
    _organisation, admin, staff = make_org(verified=False)
    opportunity = make_opportunity(staff, publish=False)
    client.force_login(admin)
    detail = client.get(
        reverse("portal:host:opportunity_detail", kwargs={"opportunity_id": opportunity.pk})
    ).content.decode()
    assert "You cannot publish yet: a programme officer has not verified your organisation." in detail
    response = client.post(
        reverse("portal:host:opportunity_publish", kwargs={"opportunity_id": opportunity.pk}), follow=True
    )
    assert "publish needs the organisation to be verified by a programme officer" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"


def test_publish_then_close(client, org, make_opportunity):
    opportunity = make_opportunity(org[2], publish=False)
    client.force_login(org[2])
    client.post(reverse("portal:host:opportunity_publish", kwargs={"opportunity_id": opportunity.pk}))
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    client.post(reverse("portal:host:opportunity_close", kwargs={"opportunity_id": opportunity.pk}))
    opportunity.refresh_from_db()
    assert opportunity.status == "closed"
    listed = client.get(reverse("portal:host:opportunity_list"), {"status": "closed"}).content.decode()
    assert opportunity.title in listed
    assert (
        client.get(reverse("portal:host:opportunity_edit", kwargs={"opportunity_id": opportunity.pk})).status_code
        == 302
    )


def test_another_organisation_cannot_open_or_change_our_opportunity(client, org, make_org, make_opportunity):
    opportunity = make_opportunity(org[2])  # published: B may see it in listings, not manage it
    _other, other_admin, _other_staff = make_org()
    client.force_login(other_admin)
    for name in ("opportunity_detail", "opportunity_edit"):
        assert client.get(reverse(f"portal:host:{name}", kwargs={"opportunity_id": opportunity.pk})).status_code == 404
    assert (
        client.post(reverse("portal:host:opportunity_close", kwargs={"opportunity_id": opportunity.pk})).status_code
        == 404
    )
    opportunity.refresh_from_db()
    assert opportunity.status == "published"


def test_opportunity_form_renders_in_russian(client, org):
    client.force_login(org[2])
    html = client.get(reverse("portal:host:opportunity_new"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html
