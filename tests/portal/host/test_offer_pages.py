"""The organisation's offer pages: make an offer only to candidates who applied or consented, see offers by
status, withdraw with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talentgate.hosts import services
from talentgate.hosts.models import Offer

pytestmark = pytest.mark.django_db


def _expiry(days=14):
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_make_an_offer_picking_the_candidate_from_the_suggestions(client, org, make_opportunity, make_candidate):
    _organisation, _admin, staff = org
    opportunity = make_opportunity(staff)
    _user, profile = make_candidate(given="Zhanna")
    client.force_login(staff)
    page = client.get(reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk})).content.decode()
    assert 'hx-get="/host/candidates/suggest/"' in page
    options = client.get(reverse("portal:host:candidate_suggestions"), {"candidate": "zhan"}).content.decode()
    assert f'<option value="Zhanna Okafor ({profile.external_id})">' in options
    response = client.post(
        reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk}),
        {
            "candidate": f"Zhanna Okafor ({profile.external_id})",
            "terms": "Two-year contract.",
            "salary_amount": "250000",
            "salary_currency": "RUB",
            "salary_period": "month",
            "expires_at": _expiry(),
        },
    )
    offer = Offer.objects.get(profile=profile)
    assert response["Location"] == reverse("portal:host:offer_detail", kwargs={"offer_id": offer.pk})
    assert (offer.status, offer.salary_currency_id, offer.made_by) == ("offered", "RUB", staff)


def test_a_candidate_who_neither_applied_nor_consented_is_not_offered_and_not_suggested(
    client, org, make_opportunity, make_candidate
):
    opportunity = make_opportunity(org[2])
    _user, hidden = make_candidate(open_to_hosts=False, given="Hidden")
    client.force_login(org[2])
    assert "Hidden" not in client.get(reverse("portal:host:candidate_suggestions"), {"q": "hidden"}).content.decode()
    response = client.post(
        reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk}),
        {"candidate": hidden.external_id, "terms": "t", "expires_at": _expiry()},
    )
    assert response.status_code == 400
    assert "agreed to be shown to host organisations" in response.context["form"].errors["candidate"][0]
    assert not Offer.objects.exists()


def test_bad_offer_fields_are_shown_next_to_them(client, org, make_opportunity, make_candidate):
    opportunity = make_opportunity(org[2])
    _user, profile = make_candidate()
    client.force_login(org[2])
    response = client.post(
        reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk}),
        {"candidate": profile.external_id, "terms": "", "salary_amount": "100", "expires_at": "tomorrow"},
    )
    form = response.context["form"]
    assert set(form.errors) == {"terms", "salary_currency", "salary_period", "expires_at"}
    assert 'aria-describedby="id_terms_error"' in response.content.decode()
    past = client.post(
        reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk}),
        {"candidate": profile.external_id, "terms": "t", "expires_at": _expiry(days=-1)},
    )
    assert past.context["form"].errors["expires_at"] == ["The offer must expire in the future."]
    assert not Offer.objects.exists()


def test_offers_by_status_and_withdraw_with_a_reason(client, org, make_opportunity, make_candidate, in_a_week):
    opportunity = make_opportunity(org[2], capacity=2)
    first = services.make_offer(
        org[2], opportunity_id=opportunity.pk, profile_id=make_candidate()[1].pk, terms="t", expires_at=in_a_week
    )
    client.force_login(org[1])
    detail_url = reverse("portal:host:offer_detail", kwargs={"offer_id": first.pk})
    assert "Withdraw the offer" in client.get(detail_url).content.decode()
    missing_reason = client.post(reverse("portal:host:offer_withdraw", kwargs={"offer_id": first.pk}), {"reason": ""})
    assert missing_reason.status_code == 400
    assert 'id="id_reason_error"' in missing_reason.content.decode()
    client.post(reverse("portal:host:offer_withdraw", kwargs={"offer_id": first.pk}), {"reason": "Budget cut"})
    first.refresh_from_db()
    assert (first.status, first.reason) == ("withdrawn", "Budget cut")
    withdrawn = client.get(reverse("portal:host:offer_list"), {"status": "withdrawn"}).content.decode()
    offered = client.get(reverse("portal:host:offer_list"), {"status": "offered"}).content.decode()
    assert detail_url in withdrawn
    assert detail_url not in offered


def test_another_organisation_cannot_see_or_withdraw_our_offer(
    client, org, make_org, make_opportunity, make_candidate, in_a_week
):
    opportunity = make_opportunity(org[2])
    offer = services.make_offer(
        org[2], opportunity_id=opportunity.pk, profile_id=make_candidate()[1].pk, terms="t", expires_at=in_a_week
    )
    client.force_login(make_org()[2])
    assert client.get(reverse("portal:host:offer_detail", kwargs={"offer_id": offer.pk})).status_code == 404
    assert (
        client.post(reverse("portal:host:offer_withdraw", kwargs={"offer_id": offer.pk}), {"reason": "x"}).status_code
        == 404
    )
    assert client.get(reverse("portal:host:offer_new", kwargs={"opportunity_id": opportunity.pk})).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_offer_pages_render_in_russian(client, org):
    client.force_login(org[2])
    assert (
        '<html lang="ru">' in client.get(reverse("portal:host:offer_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    )
