"""The registry pages: every signed-in role reads them in English and Russian, anonymous visitors sign in first,
the bloc page shows membership as of a day, and a malformed filter is shown next to its field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.cooperation.models import Agreement

pytestmark = pytest.mark.django_db


def pages() -> list[tuple[str, dict]]:
    return [
        ("portal:registry:index", {}),
        ("portal:registry:countries", {}),
        ("portal:registry:country", {"code": "EG"}),
        ("portal:registry:bloc", {"code": "brics"}),
        ("portal:registry:organisations", {}),
        ("portal:registry:organisation", {"code": "jinr"}),
        ("portal:registry:agreements", {}),
        (
            "portal:registry:agreement",
            {
                "agreement_id": Agreement.objects.get(
                    title_en__startswith="Agreement on the Establishment of the ITER"
                ).pk
            },
        ),
        ("portal:registry:facilities", {}),
        ("portal:registry:facility", {"code": "nica"}),
        ("portal:registry:exchange_programmes", {}),
        ("portal:registry:exchange_programme", {"code": "demo-partner-mobility"}),
    ]


def signed_in(make_user, role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_role_reads_every_page(make_user, role):
    client = signed_in(make_user, role)
    for name, kwargs in pages():
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in():
    for name, kwargs in pages():
        response = Client().get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/"), name


def test_the_pages_render_in_russian(make_user):
    client = signed_in(make_user, Role.CANDIDATE)
    for name, kwargs in pages():
        response = client.get(reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 200, name
        assert '<html lang="ru">' in response.content.decode()
    bloc = client.get(
        reverse("portal:registry:bloc", kwargs={"code": "brics"}), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "БРИКС" in bloc
    country = client.get(
        reverse("portal:registry:country", kwargs={"code": "EG"}), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Египет" in country  # the country's name in Russian (CLDR)


def _current_table(html: str) -> str:
    """The first table of the bloc page: the memberships holding on the day."""
    return html.split("<table>", 2)[1]


def test_the_bloc_page_shows_membership_as_of_a_day(make_user):
    client = signed_in(make_user, Role.ANALYST)
    url = reverse("portal:registry:bloc", kwargs={"code": "brics"})
    before = _current_table(client.get(url, {"on": "2023-12-31", "kind": "member"}).content.decode())
    after = _current_table(client.get(url, {"on": "2024-01-01", "kind": "member"}).content.decode())
    assert "Egypt" not in before
    assert "Brazil" in before
    assert "Egypt" in after


def test_the_country_list_filters_by_bloc_region_and_day(make_user):
    client = signed_in(make_user, Role.OFFICER)
    response = client.get(
        reverse("portal:registry:countries"), {"bloc": "brics", "region": "Africa", "on": "2024-06-01"}
    )
    rows = [country for country, _ in response.context["rows"]]
    assert sorted(c.iso_alpha2 for c in rows) == ["EG", "ET", "ZA"]


def test_a_malformed_filter_is_shown_next_to_its_field(make_user):
    client = signed_in(make_user, Role.HOST_STAFF)
    response = client.get(reverse("portal:registry:countries"), {"on": "2024-13-45", "bloc": "no-such-bloc"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"on", "bloc"}
    html = response.content.decode()
    group = html.split('id="group-on"', 1)[1].split('id="group-', 1)[0]
    assert "errorlist" in group
    assert 'aria-describedby="id_on_helptext id_on_error"' in group
    assert 'hx-get="/registry/countries/"' in html  # a change reloads the filtered page section with htmx
    htmx = client.get(reverse("portal:registry:countries"), {"on": "2024-13-45"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200  # htmx swaps only successful answers, so the error must come back as 200


def test_quota_page_shows_places_used_and_remaining(make_user):
    client = signed_in(make_user, Role.CANDIDATE)
    response = client.get(
        reverse("portal:registry:exchange_programme", kwargs={"code": "demo-partner-mobility"}), {"year": 2026}
    )
    quotas = list(response.context["quotas"])
    india = next(q for q in quotas if q.country_id == "IN")
    assert (india.places, india.used, india.remaining) == (40, 0, 40)
    assert {q.year for q in quotas} == {2026}
