"""Status changes of applications and offers become notifications of the right kind, for the right person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from talentgate.common.errors import PermissionRefused, TransitionRefused
from talentgate.hosts import services as hosts
from talentgate.hosts.models import Offer
from talentgate.notifications.models import EmailStatus, Notification
from talentgate.programmes import services as programmes

pytestmark = pytest.mark.django_db


def _of(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_an_officer_moving_an_application_tells_its_candidate(submitted_application, officer):
    application, candidate = submitted_application
    assert _of(candidate) == []  # submitting it themselves tells them nothing
    programmes.start_screening(officer, application.pk)
    (notification,) = Notification.objects.filter(recipient=candidate)
    assert notification.kind == "status_changed"
    assert notification.essential is False
    assert notification.context["from_state"] == "submitted"
    assert notification.context["to_state"] == "screening"
    assert notification.context["title_ru"] == "Привлечение талантов"
    assert notification.link == f"/candidate/applications/{application.pk}/"
    assert _of(officer) == []


def test_a_rejection_is_an_essential_decision(submitted_application, officer, django_capture_on_commit_callbacks):
    application, candidate = submitted_application
    with django_capture_on_commit_callbacks(execute=True):
        programmes.reject_application(officer, application.pk, reason="Out of scope")
    notification = Notification.objects.get(recipient=candidate)
    assert (notification.kind, notification.essential, notification.email_status) == (
        "decision_made",
        True,
        EmailStatus.SENT,
    )
    (message,) = mail.outbox
    assert message.subject == f"Decision on Application {application.pk}: rejected"
    assert "Out of scope" in message.body
    assert "Talent attraction" in message.body


def test_a_refused_transition_tells_nobody(submitted_application):
    application, candidate = submitted_application
    with pytest.raises(PermissionRefused):
        programmes.start_screening(candidate, application.pk)
    assert Notification.objects.count() == 0


def test_a_new_offer_tells_the_candidate(make_offer, offer_setting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_offer()
    (notification,) = Notification.objects.filter(recipient=offer_setting["candidate"])
    assert (notification.kind, notification.essential) == ("offer_made", True)
    assert notification.context["title"] == "Propulsion engineer"
    assert notification.context["organisation"] == "Orbital Works"
    assert notification.link == f"/offers/{offer.pk}/"
    (message,) = mail.outbox
    assert message.subject == "New offer: Propulsion engineer"
    assert "Orbital Works offers you" in message.body


def test_accepting_and_declining_tell_the_staff_member_who_made_the_offer(make_offer, offer_setting):
    staff, candidate = offer_setting["staff"], offer_setting["candidate"]
    first = make_offer()
    hosts.decline_offer(candidate, first.pk, reason="Family reasons")
    second = make_offer()
    hosts.accept_offer(candidate, second.pk)
    assert _of(staff) == ["offer_declined", "offer_accepted"]
    declined = Notification.objects.get(recipient=staff, kind="offer_declined")
    assert declined.context["reason"] == "Family reasons"
    assert declined.link == f"/host/offers/{first.pk}/"
    assert _of(candidate) == ["offer_made", "offer_made"]  # their own decisions tell them nothing


def test_withdrawing_tells_the_candidate(make_offer, offer_setting):
    offer = make_offer()
    hosts.withdraw_offer(offer_setting["staff"], offer.pk, reason="Position cancelled")
    assert _of(offer_setting["candidate"]) == ["offer_made", "offer_withdrawn"]
    assert _of(offer_setting["staff"]) == []


def test_lapsing_tells_both_sides(make_offer, offer_setting):
    offer = make_offer()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert hosts.lapse_expired_offers() == 1
    assert _of(offer_setting["candidate"]) == ["offer_made", "offer_lapsed"]
    assert _of(offer_setting["staff"]) == ["offer_lapsed"]


def test_a_refused_offer_decision_tells_nobody(make_offer, offer_setting):
    offer = make_offer()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(TransitionRefused):
        hosts.accept_offer(offer_setting["candidate"], offer.pk)
    assert _of(offer_setting["staff"]) == []
