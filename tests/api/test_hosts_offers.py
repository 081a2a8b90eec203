"""Hosts API: offers made only to candidates who applied or consented, listed by status, withdrawn by the
organisation, accepted or declined by their candidate only (refusals named, nothing changed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services
from talentgate.hosts.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_candidate(make_user):
    def _make(external_id: str, consent: bool = True):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": external_id,
            "identity": {"given_names_latin": "Lin", "date_of_birth": "1991-01-01", "sex": "female"},
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        if consent:
            give_consent(user, profile, "matched_hosts", "1")
        return user, profile

    return _make


@pytest.fixture
def host(make_user):
    """(staff, published opportunity with two places, another organisation's admin)."""
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    services.verify_organisation(make_user(Role.OFFICER), organisation.pk)
    opportunity = services.create_opportunity(admin, title="GNC engineer", kind="position", country="RU", capacity=2)
    services.publish_opportunity(admin, opportunity.pk)
    other = make_user(Role.HOST_ADMIN)
    services.register_organisation(other, name="Other", kind="university", country="KZ")
    return admin, opportunity, other


def _body(opportunity, external_id, **extra):
    return {
        "opportunity_id": opportunity.pk,
        "profile_external_id": external_id,
        "terms": "Two years.",
        "expires_at": (timezone.now() + timedelta(days=10)).isoformat(),
        **extra,
    }


def _fields(response):
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


def test_make_list_and_withdraw(client, host, make_candidate):
    admin, opportunity, _other = host
    make_candidate("api-offer-1")
    client.force_login(admin)
    made = client.post(
        "/api/hosts/offers",
        _body(opportunity, "api-offer-1", salary_amount="250000", salary_currency="rub", salary_period="month"),
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["status"], body["salary_currency"], body["candidate_name"], body["organisation_name"]) == (
        "offered",
        "RUB",
        "Lin",
        "Orbital Works",
    )
    assert client.get("/api/hosts/offers", {"status": "offered"}).json()["count"] == 1
    assert client.get("/api/hosts/offers", {"opportunity_id": opportunity.pk + 1000}).json()["count"] == 0
    no_reason = client.post(
        f"/api/hosts/offers/{body['id']}/withdraw", {"reason": " "}, content_type="application/json"
    )
    assert (no_reason.status_code, _fields(no_reason)) == (400, {("reason", "required")})
    withdrawn = client.post(
        f"/api/hosts/offers/{body['id']}/withdraw", {"reason": "Budget"}, content_type="application/json"
    )
    assert (withdrawn.json()["status"], withdrawn.json()["reason"]) == ("withdrawn", "Budget")
    assert client.get("/api/hosts/offers", {"status": "withdrawn"}).json()["count"] == 1


def test_no_offer_to_a_candidate_who_neither_applied_nor_consented(client, host, make_candidate):
    admin, opportunity, _other = host
    make_candidate("api-offer-hidden", consent=False)
    client.force_login(admin)
    response = client.post("/api/hosts/offers", _body(opportunity, "api-offer-hidden"), content_type="application/json")
    assert (response.status_code, _fields(response)) == (404, {("", "not_found")})
    assert not client.get("/api/hosts/candidates", {"q": "hidden"}).json()["items"]
    assert not Offer.objects.exists()


def test_bad_offer_fields_are_named_and_nothing_is_saved(client, host, make_candidate):
    admin, opportunity, _other = host
    make_candidate("api-offer-2")
    client.force_login(admin)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = client.post(
        "/api/hosts/offers",
        _body(
            opportunity,
            "api-offer-2",
            expires_at=past,
            salary_amount="-5",
            salary_currency="RUB",
            salary_period="month",
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    # The positive-salary rule is a table constraint, so it names no field (only the rule).
    assert {("expires_at", "future"), ("", "min_value")} <= _fields(response)
    missing = client.post("/api/hosts/offers", {"opportunity_id": opportunity.pk}, content_type="application/json")
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"profile_external_id", "terms", "expires_at"}
    assert not Offer.objects.exists()


def test_another_organisation_and_anonymous_cannot_make_or_withdraw(client, host, make_candidate):
    admin, opportunity, other = host
    make_candidate("api-offer-3")
    offer = services.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=make_candidate("api-offer-4")[1].pk,
        terms="t",
        expires_at=timezone.now() + timedelta(days=3),
    )
    client.force_login(other)
    assert (
        client.post("/api/hosts/offers", _body(opportunity, "api-offer-3"), content_type="application/json").status_code
        == 403
    )
    assert (
        client.post(
            f"/api/hosts/offers/{offer.pk}/withdraw", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/hosts/offers/{offer.pk}").status_code == 404
    client.logout()
    assert (
        client.post("/api/hosts/offers", _body(opportunity, "api-offer-3"), content_type="application/json").status_code
        == 401
    )
    assert list(Offer.objects.values_list("status", flat=True)) == ["offered"]


def test_the_candidate_accepts_and_another_candidate_cannot(client, host, make_candidate):
    admin, opportunity, _other = host
    user, profile = make_candidate("api-offer-5")
    offer = services.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="t",
        expires_at=timezone.now() + timedelta(days=3),
    )
    stranger, _ = make_candidate("api-offer-6")
    client.force_login(stranger)
    assert client.post(f"/api/hosts/offers/{offer.pk}/accept").status_code == 404
    assert client.post(f"/api/hosts/offers/{offer.pk}/decline", {}, content_type="application/json").status_code == 404
    assert client.get("/api/hosts/offers").json()["count"] == 0
    client.force_login(admin)
    staff_accepts = client.post(f"/api/hosts/offers/{offer.pk}/accept")
    assert (staff_accepts.status_code, _fields(staff_accepts)) == (403, {("", "owner")})
    client.force_login(user)
    assert client.get("/api/hosts/offers").json()["items"][0]["id"] == offer.pk
    accepted = client.post(f"/api/hosts/offers/{offer.pk}/accept")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")


def test_the_candidate_declines_and_an_expired_offer_is_refused_with_the_reason(client, host, make_candidate):
    admin, opportunity, _other = host
    user, profile = make_candidate("api-offer-7")
    soon = timezone.now() + timedelta(days=3)
    first = services.make_offer(admin, opportunity_id=opportunity.pk, profile_id=profile.pk, terms="t", expires_at=soon)
    client.force_login(user)
    declined = client.post(
        f"/api/hosts/offers/{first.pk}/decline", {"reason": "Staying home"}, content_type="application/json"
    )
    assert (declined.json()["status"], declined.json()["reason"]) == ("declined", "Staying home")
    second = services.make_offer(
        admin, opportunity_id=opportunity.pk, profile_id=profile.pk, terms="t", expires_at=soon
    )
    Offer.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    late = client.post(f"/api/hosts/offers/{second.pk}/accept")
    assert (late.status_code, _fields(late)) == (409, {("status", "not_expired")})
    assert late.json()["errors"][0]["message"] == "accept needs an offer that has not expired"
    assert Offer.objects.get(pk=second.pk).status == "offered"


@pytest.mark.parametrize(
    ("amount", "rule"),
    [
        (1e20, "decimal_max_digits"),
        ("12345678901", "decimal_parsing"),
        ("1e5", "decimal_parsing"),
        (0.005, "decimal_max_places"),
    ],
)
def test_a_salary_longer_than_its_column_is_refused_before_the_database(client, host, make_candidate, amount, rule):
    """Found by the fuzz run: the schema allowed any string, and a 21-digit number reached PostgreSQL (a 500)."""
    admin, opportunity, _other = host
    make_candidate("api-offer-huge")
    client.force_login(admin)
    body = _body(opportunity, "api-offer-huge", salary_amount=amount, salary_currency="RUB", salary_period="month")
    response = client.post("/api/hosts/offers", body, content_type="application/json")
    assert response.status_code == 422
    assert _fields(response) == {("salary_amount", rule)}
    assert not Offer.objects.exists()
