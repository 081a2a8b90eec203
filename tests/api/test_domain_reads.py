"""The read-only domain routes of the skeleton: each returns its object to whoever its selector allows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(make_user):
    user = make_user(Role.CANDIDATE)
    payload = {
        "id": "api-read-1",
        "identity": {
            "given_names_latin": "Amara",
            "family_name_latin": "Okafor",
            "date_of_birth": "1990-04-12",
            "sex": "female",
        },
    }
    profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
    give_consent(user, profile, "matched_hosts", "1")  # hosts may make offers only to those who consented or applied
    return user, profile


@pytest.fixture
def host(make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = hosts.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    hosts.verify_organisation(make_user(Role.OFFICER), organisation.pk)
    opportunity = hosts.create_opportunity(admin, title="GNC engineer", kind="position", country="RU", capacity=2)
    return admin, organisation, opportunity


def test_candidate_reads_own_profile(client, candidate):
    user, profile = candidate
    client.force_login(user)
    body = client.get(f"/api/candidates/profiles/{profile.external_id}").json()
    assert body["external_id"] == "api-read-1"
    assert (body["given_names_latin"], body["date_of_birth"]) == ("Amara", "1990-04-12")


def test_host_reads_own_draft_opportunity_and_a_stranger_gets_404(client, host, make_user):
    admin, organisation, opportunity = host
    client.force_login(admin)
    body = client.get(f"/api/hosts/opportunities/{opportunity.pk}").json()
    # The requirements and the other fields the hosts API added are tested in tests/api/test_hosts_opportunities.py.
    assert {
        key: body[key]
        for key in ("organisation_id", "organisation_name", "title", "kind", "status", "country", "city", "capacity")
    } == {
        "organisation_id": organisation.pk,
        "organisation_name": "Orbital Works",
        "title": "GNC engineer",
        "kind": "position",
        "status": "draft",
        "country": "RU",
        "city": "",
        "capacity": 2,
    }
    client.force_login(make_user(Role.CANDIDATE))
    assert client.get(f"/api/hosts/opportunities/{opportunity.pk}").status_code == 404


def test_candidate_reads_the_offer_made_to_them(client, host, candidate):
    admin, _organisation, opportunity = host
    user, profile = candidate
    hosts.publish_opportunity(admin, opportunity.pk)
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Two years.",
        expires_at=timezone.now() + timedelta(days=10),
    )
    client.force_login(user)
    body = client.get(f"/api/hosts/offers/{offer.pk}").json()
    assert (body["opportunity_id"], body["profile_external_id"], body["status"]) == (
        opportunity.pk,
        "api-read-1",
        "offered",
    )


def test_candidate_reads_own_application(client, candidate, make_user):
    user, _profile = candidate
    programme = programmes.create_programme(make_user(Role.ADMINISTRATOR), code="talent", name_en="Talent")
    application = programmes.create_application(user, programme_id=programme.pk)
    client.force_login(user)
    body = client.get(f"/api/programmes/applications/{application.pk}").json()
    assert (body["programme_code"], body["profile_external_id"], body["status"]) == ("talent", "api-read-1", "draft")


@pytest.mark.parametrize(
    "path", ["/api/hosts/opportunities/x", "/api/hosts/offers/1.5", "/api/programmes/applications/none"]
)
def test_non_integer_ids_are_422_naming_the_parameter(client, make_user, path):
    client.force_login(make_user(Role.OFFICER))
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"opportunity_id", "offer_id", "application_id"}
