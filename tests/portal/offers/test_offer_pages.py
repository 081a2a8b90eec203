"""A candidate's offers: listed by status, accepted or declined from the page, a refusal shown with its
reason (e.g. the offer expired), another candidate's offer not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.hosts.models import Offer

pytestmark = pytest.mark.django_db


def test_my_offers_lists_the_offer_and_its_page_shows_the_terms(client, offer_setting):
    user, offer, _staff = offer_setting
    client.force_login(user)
    listing = client.get(reverse("portal:offers:list")).content.decode()
    assert reverse("portal:offers:detail", kwargs={"offer_id": offer.pk}) in listing
    assert "Orbital Works" in listing
    page = client.get(reverse("portal:offers:detail", kwargs={"offer_id": offer.pk})).content.decode()
    assert "Two-year contract in Korolev." in page
    assert "Accept the offer" in page
    assert client.get(reverse("portal:offers:list"), {"status": "accepted"}).context["offers"].count() == 0


def test_accept(client, offer_setting):
    user, offer, _staff = offer_setting
    client.force_login(user)
    response = client.post(reverse("portal:offers:accept", kwargs={"offer_id": offer.pk}))
    assert response["Location"] == reverse("portal:offers:detail", kwargs={"offer_id": offer.pk})
    offer.refresh_from_db()
    assert offer.status == "accepted"
    page = client.get(response["Location"]).content.decode()
    assert "Accept the offer" not in page


def test_decline_with_a_reason(client, offer_setting):
    user, offer, _staff = offer_setting
    client.force_login(user)
    client.post(reverse("portal:offers:decline", kwargs={"offer_id": offer.pk}), {"reason": "Staying in Almaty"})
    offer.refresh_from_db()
    assert (offer.status, offer.reason) == ("declined", "Staying in Almaty")


def test_an_over_long_reason_is_shown_next_to_the_field_and_nothing_changes(client, offer_setting):
    user, offer, _staff = offer_setting
    client.force_login(user)
    response = client.post(reverse("portal:offers:decline", kwargs={"offer_id": offer.pk}), {"reason": "x" * 2001})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_accepting_an_expired_offer_shows_the_reason_and_changes_nothing(client, offer_setting):
    user, offer, _staff = offer_setting
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    client.force_login(user)
    page = client.get(reverse("portal:offers:detail", kwargs={"offer_id": offer.pk})).content.decode()
    assert "This offer has expired" in page
    response = client.post(reverse("portal:offers:accept", kwargs={"offer_id": offer.pk}))
    assert response.status_code == 409
    assert "accept needs an offer that has not expired" in response.content.decode()
    declined = client.post(reverse("portal:offers:decline", kwargs={"offer_id": offer.pk}), {"reason": ""})
    assert "decline needs an offer that has not expired" in declined.content.decode()
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_another_candidate_cannot_see_accept_or_decline_the_offer(client, offer_setting, make_candidate):
    _user, offer, staff = offer_setting
    other, _profile = make_candidate("offer-page-2")
    client.force_login(other)
    assert client.get(reverse("portal:offers:detail", kwargs={"offer_id": offer.pk})).status_code == 404
    assert client.post(reverse("portal:offers:accept", kwargs={"offer_id": offer.pk})).status_code == 404
    assert client.post(reverse("portal:offers:decline", kwargs={"offer_id": offer.pk})).status_code == 404
    assert client.get(reverse("portal:offers:list")).context["offers"].count() == 0
    client.force_login(staff)  # the offering staff manage it on their own pages, not here
    assert client.post(reverse("portal:offers:accept", kwargs={"offer_id": offer.pk})).status_code == 403
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_anonymous_is_sent_to_sign_in_and_other_roles_refused(client, make_user):
    assert client.get(reverse("portal:offers:list"))["Location"].startswith(reverse("portal:login"))
    client.force_login(make_user(Role.OFFICER))
    assert client.get(reverse("portal:offers:list")).status_code == 403


def test_offer_page_renders_in_russian(client, offer_setting):
    user, offer, _staff = offer_setting
    client.force_login(user)
    url = reverse("portal:offers:detail", kwargs={"offer_id": offer.pk})
    assert '<html lang="ru">' in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
