"""Hosts API: opportunities with their requirements (create, list with filters and pages, change, publish,
close) and the taxonomy suggestions, with anonymous, another organisation and bad fields."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.hosts import services
from talentgate.hosts.models import Opportunity

pytestmark = pytest.mark.django_db

NEW = {
    "title": "GNC engineer",
    "kind": "position",
    "country": "RU",
    "capacity": 2,
    "occupations": [{"label": "GNC engineer", "isco08_code": "2144"}],
    "skills": [{"label": "Kalman filtering"}, {"label": "juggling satellites", "essential": False}],
    "languages": [{"language": "ru", "min_level": "B2"}],
}


@pytest.fixture
def host(make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    services.verify_organisation(make_user(Role.OFFICER), organisation.pk)
    return organisation, admin


@pytest.fixture
def other_host(make_user):
    admin = make_user(Role.HOST_ADMIN)
    services.register_organisation(admin, name="Other Works", kind="university", country="KZ")
    return admin


def _fields(response):
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


def test_create_returns_the_draft_with_its_requirements(client, host):
    client.force_login(host[1])
    response = client.post("/api/hosts/opportunities", NEW, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["capacity"], body["organisation_name"]) == ("draft", 2, "Orbital Works")
    assert body["occupations"] == [{"label": "GNC engineer", "isco08_code": "2144", "esco_uri": ""}]
    assert [s["essential"] for s in body["skills"]] == [True, False]
    assert body["languages"] == [{"language": "ru", "min_level": "B2"}]


def test_bad_fields_are_named_with_their_paths_and_nothing_is_saved(client, host):
    client.force_login(host[1])
    bad = {
        **NEW,
        "capacity": 0,
        "occupations": [{"label": "Rocket whisperer"}],
        "languages": [{"language": "zz", "min_level": "D9"}],
    }
    response = client.post("/api/hosts/opportunities", bad, content_type="application/json")
    assert response.status_code == 400
    assert {
        ("capacity", "min_value"),
        ("occupations[0]", "occupation_code"),
        ("languages[0].language", "language_code"),
        ("languages[0].min_level", "invalid_choice"),
    } <= _fields(response)
    assert not Opportunity.objects.exists()


def test_anonymous_and_candidates_cannot_create(client, make_user):
    assert client.post("/api/hosts/opportunities", NEW, content_type="application/json").status_code == 401
    client.force_login(make_user(Role.CANDIDATE))
    assert client.post("/api/hosts/opportunities", NEW, content_type="application/json").status_code == 403
    assert not Opportunity.objects.exists()


def test_list_filters_and_pages(client, host, other_host):
    _organisation, admin = host
    for n in range(3):
        services.create_opportunity(admin, title=f"Thermal engineer {n}", kind="position", country="RU")
    published = services.create_opportunity(admin, title="GNC lead", kind="fellowship", country="RU")
    services.publish_opportunity(admin, published.pk)
    services.create_opportunity(other_host, title="Other draft", kind="position", country="KZ")
    client.force_login(admin)
    page = client.get("/api/hosts/opportunities", {"limit": 2, "offset": 1}).json()
    assert (page["count"], len(page["items"])) == (4, 2)
    assert [o["title"] for o in client.get("/api/hosts/opportunities", {"status": "published"}).json()["items"]] == [
        "GNC lead"
    ]
    assert client.get("/api/hosts/opportunities", {"q": "thermal 2"}).json()["count"] == 1
    assert client.get("/api/hosts/opportunities", {"kind": "fellowship"}).json()["count"] == 1
    bad = client.get("/api/hosts/opportunities", {"status": "archived"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "status")
    client.force_login(other_host)  # sees only the published one of A and its own
    titles = {o["title"] for o in client.get("/api/hosts/opportunities").json()["items"]}
    assert titles == {"GNC lead", "Other draft"}


def test_patch_changes_only_what_is_sent_and_replaces_a_requirement_list(client, host):
    client.force_login(host[1])
    created = client.post("/api/hosts/opportunities", NEW, content_type="application/json").json()
    changed = client.patch(
        f"/api/hosts/opportunities/{created['id']}",
        {"city": "Korolev", "skills": [{"label": "orbital mechanics"}]},
        content_type="application/json",
    )
    body = changed.json()
    assert (changed.status_code, body["city"], body["title"]) == (200, "Korolev", "GNC engineer")
    assert [s["label"] for s in body["skills"]] == ["orbital mechanics"]
    assert len(body["occupations"]) == 1
    bad = client.patch(
        f"/api/hosts/opportunities/{created['id']}",
        {"salary_min": 900, "salary_max": 100},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert Opportunity.objects.get(pk=created["id"]).salary_min is None


def test_patch_with_null_for_a_requirement_list_clears_it(client, host):
    """Found by the fuzz run: ``"languages": null`` crashed the operation (a 500)."""
    client.force_login(host[1])
    created = client.post("/api/hosts/opportunities", NEW, content_type="application/json").json()
    changed = client.patch(
        f"/api/hosts/opportunities/{created['id']}", {"occupations": None}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["occupations"] == []


def test_publish_needs_verification_and_close_freezes(client, make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Pending", kind="university", country="RU")
    opportunity = services.create_opportunity(admin, title="T", kind="position", country="RU")
    client.force_login(admin)
    refused = client.post(f"/api/hosts/opportunities/{opportunity.pk}/publish")
    assert (refused.status_code, _fields(refused)) == (409, {("status", "organisation_verified")})
    services.verify_organisation(make_user(Role.OFFICER), organisation.pk)
    assert client.post(f"/api/hosts/opportunities/{opportunity.pk}/publish").json()["status"] == "published"
    assert client.post(f"/api/hosts/opportunities/{opportunity.pk}/close").json()["status"] == "closed"
    frozen = client.patch(f"/api/hosts/opportunities/{opportunity.pk}", {"title": "X"}, content_type="application/json")
    assert (frozen.status_code, _fields(frozen)) == (409, {("status", "closed")})


def test_another_organisation_cannot_change_publish_or_close(client, host, other_host):
    _organisation, admin = host
    draft = services.create_opportunity(admin, title="Draft", kind="position", country="RU")
    published = services.publish_opportunity(
        admin, services.create_opportunity(admin, title="Pub", kind="position", country="RU").pk
    )
    client.force_login(other_host)
    assert (
        client.patch(
            f"/api/hosts/opportunities/{draft.pk}", {"title": "X"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/api/hosts/opportunities/{draft.pk}/publish").status_code == 404
    assert client.post(f"/api/hosts/opportunities/{published.pk}/close").status_code == 403
    assert (
        client.patch(
            f"/api/hosts/opportunities/{published.pk}", {"title": "X"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert [o.title for o in Opportunity.objects.order_by("pk")] == ["Draft", "Pub"]
    assert Opportunity.objects.get(pk=published.pk).status == "published"


def test_taxonomy_suggestions(client, make_user):
    client.force_login(make_user(Role.HOST_STAFF))
    assert client.get("/api/hosts/taxonomy/occupations", {"q": "gnc"}).json() == [
        {"label": "GNC engineer", "code": "2144"}
    ]
    assert len(client.get("/api/hosts/taxonomy/skills", {"limit": 3}).json()) == 3
    assert client.get("/api/hosts/taxonomy/planets").status_code == 422
    client.logout()
    assert client.get("/api/hosts/taxonomy/skills").status_code == 401
