"""The organisation verification queue: pending host organisations with their details, verified or rejected with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.hosts.models import Organisation
from talentgate.hosts.services import register_organisation

pytestmark = pytest.mark.django_db

QUEUE = reverse("portal:officer:organisations")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def make_organisation(make_user):
    def _make(name="Orbital Works"):
        admin = make_user(Role.HOST_ADMIN, email=f"admin.{name.split()[0].lower()}@example.test")
        organisation = register_organisation(
            admin, name=name, kind="private_company", country="RU", region="Samara", website="https://orbital.example"
        )
        return organisation, admin

    return _make


def _verification(organisation):
    row = Organisation.objects.get(pk=organisation.pk)
    return row.verification, row.verification_reason


def test_the_queue_lists_pending_organisations_with_their_details(client, officer, make_organisation):
    organisation, admin = make_organisation()
    client.force_login(officer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Orbital Works" in html
    assert "Russian Federation, Samara" in html
    assert "https://orbital.example" in html
    assert admin.email in html
    assert reverse("portal:officer:verify_organisation", args=[organisation.pk]) in html
    assert "No organisation in this state." in client.get(QUEUE, {"state": "verified"}).content.decode()


def test_an_unknown_state_is_refused_with_its_name(client, officer):
    client.force_login(officer)
    response = client.get(QUEUE, {"state": "maybe"})
    assert response.status_code == 400
    assert "&#x27;maybe&#x27; is not a verification state" in response.content.decode()


def test_verifying_with_htmx_swaps_in_the_verified_organisation(client, officer, make_organisation):
    organisation, _ = make_organisation()
    client.force_login(officer)
    response = client.post(
        reverse("portal:officer:verify_organisation", args=[organisation.pk]), {"note": "Registry checked"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article")
    assert "Saved." in html
    assert "Withdraw verification" in html
    assert _verification(organisation) == ("verified", "Registry checked")


def test_rejecting_needs_a_reason_next_to_the_field(client, officer, make_organisation):
    organisation, _ = make_organisation()
    client.force_login(officer)
    url = reverse("portal:officer:reject_organisation", args=[organisation.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="organisation-{organisation.pk}-reject-reason_error"' in html
    assert "Give the reason for rejecting the organisation." in html
    assert _verification(organisation) == ("pending", "")
    done = client.post(url, {"reason": "Not a registered company"})
    assert done.status_code == 302
    assert _verification(organisation) == ("rejected", "Not a registered company")


def test_a_decision_the_service_refuses_is_shown(client, officer, administrator, make_organisation):
    organisation, _ = make_organisation()
    client.force_login(officer)
    client.post(reverse("portal:officer:verify_organisation", args=[organisation.pk]))
    again = client.post(reverse("portal:officer:verify_organisation", args=[organisation.pk]))
    assert again.status_code == 409
    assert "The organisation is already verified." in again.content.decode()
    client.force_login(administrator)  # administrators see the queue; verifying is the officers' and supervisors' job
    refused = client.post(reverse("portal:officer:reject_organisation", args=[organisation.pk]), {"reason": "No"})
    assert refused.status_code == 403
    assert _verification(organisation) == ("verified", "")


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.HOST_STAFF])
def test_candidates_and_hosts_are_refused(client, make_user, make_organisation, role):
    organisation, admin = make_organisation()
    client.force_login(admin if role == Role.HOST_ADMIN else make_user(role))
    assert client.get(QUEUE).status_code == 403
    assert client.post(reverse("portal:officer:verify_organisation", args=[organisation.pk])).status_code == 403
    assert _verification(organisation) == ("pending", "")


def test_an_unknown_organisation_is_404(client, officer):
    client.force_login(officer)
    assert client.post(reverse("portal:officer:verify_organisation", args=[987654])).status_code == 404


def test_the_russian_page_renders(client, officer, make_organisation):
    make_organisation()
    client.force_login(officer)
    response = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
