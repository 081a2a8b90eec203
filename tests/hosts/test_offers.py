"""Offers: made by the organisation's staff within capacity, decided only by their candidate, lapsing at expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import import_profiles
from talentgate.canonical import CandidateProfile
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import services
from talentgate.hosts.models import Offer

pytestmark = pytest.mark.django_db


def _rules(exc_info):
    return {(e.field, e.rule) for e in exc_info.value.errors}


@pytest.fixture
def setting(make_org, make_staff, make_opportunity, make_candidate, in_a_week):
    """A verified organisation with a staff member, a published one-place opportunity and one offer on it."""
    org, admin = make_org()
    staff = make_staff(org, admin)
    opportunity = make_opportunity(staff)
    candidate, profile = make_candidate()
    offer = services.make_offer(
        staff,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Two-year contract",
        expires_at=in_a_week,
        salary_amount=Decimal("300000"),
        salary_currency="RUB",
        salary_period="month",
    )
    return {
        "org": org,
        "admin": admin,
        "staff": staff,
        "opportunity": opportunity,
        "candidate": candidate,
        "offer": offer,
    }


def test_staff_make_an_offer_audited_on_the_candidates_chain(setting):
    offer = setting["offer"]
    assert (offer.status, offer.made_by, offer.salary_currency_id) == ("offered", setting["staff"], "RUB")
    entry = AuditEntry.objects.filter(chain=audit.chain_for_person(setting["candidate"].pk)).last()
    assert (entry.action, entry.object_id) == ("offer.made", str(offer.pk))
    assert "terms" in entry.fields
    assert "Two-year" not in entry.reason  # ids and names only, never values


def test_one_live_offer_per_candidate_and_opportunity(setting, in_a_week):
    offer = setting["offer"]
    with pytest.raises(Conflict) as caught:
        services.make_offer(
            setting["staff"],
            opportunity_id=offer.opportunity_id,
            profile_id=offer.profile_id,
            terms="again",
            expires_at=in_a_week,
        )
    assert _rules(caught) == {("profile", "live_offer")}
    services.withdraw_offer(setting["staff"], offer.pk, reason="terms changed")
    renewed = services.make_offer(
        setting["staff"],
        opportunity_id=offer.opportunity_id,
        profile_id=offer.profile_id,
        terms="better",
        expires_at=in_a_week,
    )
    assert renewed.status == "offered"


def test_offers_need_a_published_opportunity(make_org, make_opportunity, make_candidate, in_a_week):
    _, admin = make_org()
    draft = make_opportunity(admin, publish=False)
    _, profile = make_candidate()
    with pytest.raises(Conflict) as caught:
        services.make_offer(admin, opportunity_id=draft.pk, profile_id=profile.pk, terms="t", expires_at=in_a_week)
    assert _rules(caught) == {("opportunity", "published")}
    assert Offer.objects.count() == 0


def test_an_offer_over_capacity_is_refused(setting, make_candidate, in_a_week):
    services.accept_offer(setting["candidate"], setting["offer"].pk)
    _, second = make_candidate()
    with pytest.raises(Conflict) as caught:
        services.make_offer(
            setting["staff"],
            opportunity_id=setting["opportunity"].pk,
            profile_id=second.pk,
            terms="t",
            expires_at=in_a_week,
        )
    assert _rules(caught) == {("opportunity", "capacity")}
    assert Offer.objects.count() == 1


def test_bad_offer_input_is_named(setting, make_candidate):
    _, profile = make_candidate()
    with pytest.raises(ValidationFailed) as caught:
        services.make_offer(
            setting["staff"],
            opportunity_id=setting["opportunity"].pk,
            profile_id=profile.pk,
            terms="",
            expires_at=timezone.now() - timedelta(hours=1),
            salary_amount="-5",
            salary_currency="RUB",
            salary_period="fortnight",
        )
    assert {("terms", "blank"), ("expires_at", "future"), ("salary_period", "invalid_choice")} <= _rules(caught)
    with pytest.raises(NotFound):
        services.make_offer(
            setting["staff"],
            opportunity_id=setting["opportunity"].pk,
            profile_id=99999,
            terms="t",
            expires_at=timezone.now(),
        )
    assert Offer.objects.count() == 1


def test_another_organisation_and_candidates_cannot_make_offers(setting, make_org, make_candidate, in_a_week):
    _, profile = make_candidate()
    _, other_admin = make_org()
    with pytest.raises(PermissionRefused):  # the opportunity is published, so visible, but not theirs
        services.make_offer(
            other_admin,
            opportunity_id=setting["opportunity"].pk,
            profile_id=profile.pk,
            terms="t",
            expires_at=in_a_week,
        )
    with pytest.raises(PermissionRefused):
        services.make_offer(
            setting["candidate"],
            opportunity_id=setting["opportunity"].pk,
            profile_id=profile.pk,
            terms="t",
            expires_at=in_a_week,
        )
    assert Offer.objects.count() == 1


def test_the_candidate_accepts_their_offer(setting):
    accepted = services.accept_offer(setting["candidate"], setting["offer"].pk)
    assert (accepted.status, accepted.decided_at is not None) == ("accepted", True)
    entry = AuditEntry.objects.filter(chain=audit.chain_for_person(setting["candidate"].pk)).last()
    assert entry.action == "offer.accepted"


def test_another_candidate_cannot_accept_and_staff_cannot_accept_for_them(setting, make_candidate, officer):
    other, _ = make_candidate()
    with pytest.raises(NotFound):
        services.accept_offer(other, setting["offer"].pk)
    with pytest.raises(PermissionRefused) as caught:
        services.accept_offer(setting["staff"], setting["offer"].pk)
    assert _rules(caught) == {("", "owner")}
    with pytest.raises(PermissionRefused):
        services.accept_offer(officer, setting["offer"].pk)
    assert Offer.objects.get(pk=setting["offer"].pk).status == "offered"


def test_an_expired_offer_cannot_be_accepted_or_declined(setting):
    Offer.objects.filter(pk=setting["offer"].pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for decide in (services.accept_offer, services.decline_offer):
        with pytest.raises(TransitionRefused) as caught:
            decide(setting["candidate"], setting["offer"].pk)
        (error,) = caught.value.errors
        assert (error.rule, error.message) == (
            "not_expired",
            f"{decide.__name__.split('_')[0]} needs an offer that has not expired",
        )
    assert Offer.objects.get(pk=setting["offer"].pk).status == "offered"


def test_accepting_beyond_capacity_is_refused_naming_capacity(setting, make_candidate, in_a_week):
    _, second_profile = make_candidate()
    second = services.make_offer(
        setting["staff"],
        opportunity_id=setting["opportunity"].pk,
        profile_id=second_profile.pk,
        terms="t",
        expires_at=in_a_week,
    )
    services.accept_offer(setting["candidate"], setting["offer"].pk)
    with pytest.raises(TransitionRefused) as caught:
        services.accept_offer(second_profile.user, second.pk)
    assert _rules(caught) == {("status", "capacity")}
    assert Offer.objects.get(pk=second.pk).status == "offered"


def test_decline_keeps_the_reason_and_a_decided_offer_cannot_move_again(setting):
    declined = services.decline_offer(setting["candidate"], setting["offer"].pk, reason="family reasons")
    assert (declined.status, declined.reason) == ("declined", "family reasons")
    with pytest.raises(TransitionRefused) as caught:
        services.accept_offer(setting["candidate"], setting["offer"].pk)
    assert _rules(caught) == {("status", "source_state")}


def test_withdraw_needs_the_offering_organisation_and_a_reason(setting, make_org):
    with pytest.raises(ValidationFailed):
        services.withdraw_offer(setting["staff"], setting["offer"].pk, reason="")
    _, other_admin = make_org()
    with pytest.raises(NotFound):
        services.withdraw_offer(other_admin, setting["offer"].pk, reason="not ours")
    withdrawn = services.withdraw_offer(setting["admin"], setting["offer"].pk, reason="budget cut")
    assert (withdrawn.status, withdrawn.reason) == ("withdrawn", "budget cut")


def test_lapse_moves_only_expired_offers(setting, make_candidate, in_a_week):
    _, other_profile = make_candidate()
    fresh = services.make_offer(
        setting["staff"],
        opportunity_id=setting["opportunity"].pk,
        profile_id=other_profile.pk,
        terms="t",
        expires_at=in_a_week + timedelta(days=30),
    )
    assert services.lapse_expired_offers(timezone.now()) == 0
    assert services.lapse_expired_offers(in_a_week + timedelta(seconds=1)) == 1
    assert Offer.objects.get(pk=setting["offer"].pk).status == "lapsed"
    assert Offer.objects.get(pk=fresh.pk).status == "offered"
    entry = AuditEntry.objects.filter(chain=audit.chain_for_person(setting["candidate"].pk)).last()
    assert (entry.action, entry.actor_id) == ("offer.lapsed", None)


def test_a_stale_copy_cannot_overwrite_a_concurrent_decision(setting):
    from talentgate.common.workflow import run_transition

    stale = Offer.objects.get(pk=setting["offer"].pk)
    services.decline_offer(setting["candidate"], setting["offer"].pk)
    with pytest.raises(Conflict) as caught:
        run_transition(stale, "accept", setting["candidate"])
    assert _rules(caught) == {("status", "concurrent_transition")}
    assert Offer.objects.get(pk=setting["offer"].pk).status == "declined"


def test_an_offer_to_a_profile_without_an_account_is_audited_on_the_profile_chain(setting, in_a_week):
    # Imported by the system with the consent it was given elsewhere; no account yet.
    payload = {
        "id": "imported-orphan",
        "identity": {"given_names_latin": "Lin", "date_of_birth": "1990-01-01", "sex": "female"},
        "consents": [{"purpose": "matched_hosts", "version": "1", "given_at": "2025-01-01T00:00:00Z"}],
    }
    import_profiles(None, [CandidateProfile.model_validate(payload)])
    orphan = Profile.objects.get(external_id="imported-orphan")
    offer = services.make_offer(
        setting["staff"],
        opportunity_id=setting["opportunity"].pk,
        profile_id=orphan.pk,
        terms="t",
        expires_at=in_a_week,
    )
    entry = AuditEntry.objects.filter(chain=f"profile:{orphan.pk}").last()
    assert (entry.action, entry.object_id) == ("offer.made", str(offer.pk))
    assert audit.verify() == []


def test_an_analyst_cannot_see_or_decide_an_offer(setting, make_user):
    analyst = make_user(Role.ANALYST)
    with pytest.raises(NotFound):
        services.accept_offer(analyst, setting["offer"].pk)


def test_the_background_task_lapses_offers_past_their_expiry(setting):
    from talentgate.hosts.tasks import lapse_expired_offers

    Offer.objects.filter(pk=setting["offer"].pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    result = lapse_expired_offers.enqueue()  # the immediate backend in tests runs it now
    assert result.return_value == 1
    assert Offer.objects.get(pk=setting["offer"].pk).status == "lapsed"


def test_offers_go_only_to_candidates_who_applied_or_consented(setting, make_candidate, make_user, in_a_week):
    """DESIGN.md section 8: hosts see only candidates who applied to the programme or consented."""
    from talentgate.candidates.services import give_consent, save_profile, withdraw_consent
    from talentgate.programmes import services as programmes

    user, profile = make_candidate(open_to_hosts=False)
    staff, opportunity = setting["staff"], setting["opportunity"]
    # What submitting an application needs: an education entry, a language test, the hand-off consent.
    ready = CandidateProfile.model_validate(
        {
            "id": profile.external_id,
            "identity": {"given_names_latin": "Amara", "date_of_birth": "1990-04-12", "sex": "female"},
            "education": [
                {"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Physics"}
            ],
            "language_tests": [{"test": "cefr_self", "test_date": "2024-05-01", "language": "en", "level": "C1"}],
        }
    )
    save_profile(user, ready)
    give_consent(user, profile, "authority_handoff", "1")

    def offer():
        return services.make_offer(
            staff, opportunity_id=opportunity.pk, profile_id=profile.pk, terms="t", expires_at=in_a_week
        )

    with pytest.raises(PermissionRefused) as caught:
        offer()
    assert _rules(caught) == {("", "candidate_not_open_to_hosts")}
    programme = programmes.create_programme(make_user(Role.ADMINISTRATOR), code="talent", name_en="Talent")
    application = programmes.create_application(user, programme_id=programme.pk)
    with pytest.raises(PermissionRefused):
        offer()  # a draft application is not an application yet
    assert Offer.objects.filter(profile=profile).count() == 0
    programmes.submit_application(user, application.pk)
    first = offer()
    services.withdraw_offer(staff, first.pk, reason="re-issued")
    programmes.withdraw_application(user, application.pk)
    with pytest.raises(PermissionRefused):
        offer()
    give_consent(user, profile, "matched_hosts", "1")
    assert offer().status == "offered"
    services.withdraw_offer(staff, Offer.objects.get(profile=profile, status="offered").pk, reason="again")
    withdraw_consent(user, profile, "matched_hosts")
    with pytest.raises(PermissionRefused):
        offer()
