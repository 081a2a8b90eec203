"""Notifications API: the caller's own notifications only, paginated, in the response language; preferences
that refuse turning off an essential kind (field named, nothing changed)."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.notifications.models import EmailOptOut, Notification
from talentgate.notifications.services import notify
from talentgate.programmes.models import ApplicationStatus

pytestmark = pytest.mark.django_db

REJECTED = {"object": "application", "object_id": 4, "model": "programmes.application", "to_state": "rejected"}


@pytest.fixture
def candidate(make_user):
    return make_user(Role.CANDIDATE)


def test_list_is_paginated_unread_first_and_only_the_callers(client, candidate, make_user):
    older = notify(candidate, "status_changed", {"object": "application", "object_id": 1})
    newer = notify(candidate, "decision_made", REJECTED)
    oldest_unread = notify(
        candidate, "deadline_approaching", {"object": "case", "object_id": 2, "due_date": "2031-01-02"}
    )
    older.read_at = newer.created_at
    older.save(update_fields=["read_at"])
    notify(make_user(Role.CANDIDATE), "status_changed", {})
    client.force_login(candidate)
    page = client.get("/api/notifications/", {"limit": 2}).json()
    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == [oldest_unread.pk, newer.pk]
    rest = client.get("/api/notifications/", {"limit": 2, "offset": 2}).json()
    assert [item["id"] for item in rest["items"]] == [older.pk]
    assert page["items"][1]["subject"] == "Decision on Application 4: rejected"
    assert page["items"][0]["subject"] == "Due soon: Case 2 (Jan. 2, 2031)"
    unread = client.get("/api/notifications/", {"unread": "true"}).json()
    assert {item["id"] for item in unread["items"]} == {oldest_unread.pk, newer.pk}
    assert client.get("/api/notifications/unread-count").json() == {"unread": 2}


def test_text_follows_the_response_language(client, candidate):
    notify(candidate, "decision_made", REJECTED)
    client.force_login(candidate)
    (item,) = client.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="ru").json()["items"]
    from django.utils import translation

    with translation.override("ru"):
        rejected_ru = str(ApplicationStatus.REJECTED.label)
    assert rejected_ru != "rejected"
    assert rejected_ru in item["subject"]


def test_mark_read_and_mark_all_read(client, candidate):
    first = notify(candidate, "status_changed", {})
    notify(candidate, "status_changed", {})
    client.force_login(candidate)
    body = client.post(f"/api/notifications/{first.pk}/read").json()
    assert body["read_at"] is not None
    again = client.post(f"/api/notifications/{first.pk}/read").json()
    assert again["read_at"] == body["read_at"]  # marking twice changes nothing
    assert client.post("/api/notifications/read-all").json() == {"marked": 1}
    assert client.get("/api/notifications/unread-count").json() == {"unread": 0}


def test_another_persons_notification_is_not_found(client, candidate, make_user):
    theirs = notify(candidate, "status_changed", {})
    client.force_login(make_user(Role.ADMINISTRATOR))
    for response in (
        client.get(f"/api/notifications/{theirs.pk}"),
        client.post(f"/api/notifications/{theirs.pk}/read"),
    ):
        assert response.status_code == 404
        assert response.json()["errors"][0]["rule"] == "not_found"
    assert client.post("/api/notifications/read-all").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_refused(client):
    response = client.get("/api/notifications/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["rule"] == "authentication"


def test_preferences_list_every_kind_and_turn_one_off(client, candidate):
    client.force_login(candidate)
    before = {p["kind"]: p for p in client.get("/api/notifications/preferences/email").json()}
    assert before["decision_made"]["essential"] is True
    assert before["status_changed"] == {
        "kind": "status_changed",
        "label": "Status changes",
        "description": "One of your applications or cases moved to a new stage.",
        "essential": False,
        "email": True,
    }
    response = client.patch(
        "/api/notifications/preferences/email", {"email": {"status_changed": False}}, content_type="application/json"
    )
    assert response.status_code == 200
    after = {p["kind"]: p["email"] for p in response.json()}
    assert after["status_changed"] is False
    assert after["offer_lapsed"] is True
    assert list(EmailOptOut.objects.filter(user=candidate).values_list("kind", flat=True)) == ["status_changed"]


def test_turning_off_an_essential_or_unknown_kind_is_refused_and_changes_nothing(client, candidate):
    client.force_login(candidate)
    response = client.patch(
        "/api/notifications/preferences/email",
        {"email": {"status_changed": False, "decision_made": False, "no_such": False}},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert errors == {("email.decision_made", "essential"), ("email.no_such", "choice")}
    assert not EmailOptOut.objects.exists()


def test_bad_payload_names_the_field(client, candidate):
    client.force_login(candidate)
    response = client.patch(
        "/api/notifications/preferences/email", {"email": {"status_changed": "maybe"}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email.status_changed"
    assert Notification.objects.count() == 0
