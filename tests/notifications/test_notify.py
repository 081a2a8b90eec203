"""notify(): the in-app row in the caller's transaction, the e-mail after commit, in the recipient's language."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from talentgate.accounts.roles import Role
from talentgate.notifications import kinds, rendering, services
from talentgate.notifications.models import EmailOptOut, EmailStatus, Notification
from talentgate.programmes.models import ApplicationStatus

pytestmark = pytest.mark.django_db


def _request_context():
    return {"object": "application", "object_id": 7, "due_date": datetime.date(2030, 5, 17), "question": "Diploma?"}


def test_notify_stores_the_notification_and_emails_it_after_commit(make_user, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(
            person, "information_requested", _request_context(), link="/candidate/applications/7/"
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.kind == "information_requested"
    assert notification.essential is True
    assert notification.context["due_date"] == "2030-05-17"
    assert notification.email_status == EmailStatus.SENT
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Information requested by May 17, 2030"
    assert "Diploma?" in message.body
    assert "http://127.0.0.1:8000/candidate/applications/7/" in message.body
    assert "cannot be turned off" in message.body
    assert "List-Unsubscribe" not in message.extra_headers


def test_rolled_back_change_leaves_neither_notification_nor_email(make_user, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)

    def failing_change():
        with transaction.atomic():
            services.notify(person, "status_changed", {"object": "application", "object_id": 1})
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_change()
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_email_goes_out_in_the_recipients_language(make_user, monkeypatch, django_capture_on_commit_callbacks):
    english, russian = make_user(Role.CANDIDATE), make_user(Role.CANDIDATE)
    russian.preferred_language = "ru"
    russian.save(update_fields=["preferred_language"])
    seen_languages = []
    original = rendering.render

    def spy(kind, context, language=None):
        seen_languages.append(translation.get_language())
        return original(kind, context, language)

    monkeypatch.setattr(rendering, "render", spy)
    context = {"object": "application", "object_id": 3, "model": "programmes.application", "to_state": "rejected"}
    # The sender's language (English here) does not matter: each e-mail is in its recipient's.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.notify(russian, "decision_made", context)
        services.notify(english, "decision_made", context)
    assert seen_languages == ["ru", "en"]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[russian.email].extra_headers["Content-Language"] == "ru"
    assert by_address[english.email].extra_headers["Content-Language"] == "en"
    # The Russian catalogue already translates the application's state names.
    with translation.override("ru"):
        rejected_ru = str(ApplicationStatus.REJECTED.label)
    assert rejected_ru != "rejected"
    assert rejected_ru in by_address[russian.email].subject
    assert "rejected" in by_address[english.email].subject


def test_unsubscribed_kind_is_not_emailed_but_an_essential_one_still_is(make_user, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)
    services.set_email_preferences(person, person, {"status_changed": False})
    with django_capture_on_commit_callbacks(execute=True):
        quiet = services.notify(person, "status_changed", {"object": "application", "object_id": 1})
        loud = services.notify(person, "decision_made", {"object": "application", "object_id": 1})
    quiet.refresh_from_db()
    loud.refresh_from_db()
    assert quiet.email_status == EmailStatus.OPTED_OUT
    assert loud.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[person.email]]
    # Still shown in the portal: unsubscribing concerns e-mail only.
    assert Notification.objects.filter(recipient=person).count() == 2


def test_a_caller_can_raise_one_notification_to_essential_but_never_lower_one(make_user):
    person = make_user(Role.CANDIDATE)
    raised = services.notify(person, "status_changed", {}, essential=True)
    kept = services.notify(person, "information_requested", {}, essential=False)
    assert raised.essential is True
    assert kept.essential is True


def test_non_essential_email_carries_a_working_one_click_unsubscribe_link(
    make_user, client, django_capture_on_commit_callbacks
):
    person = make_user(Role.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(person, "status_changed", {"object": "application", "object_id": 2})
    (message,) = mail.outbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    path = url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    assert not EmailOptOut.objects.exists()  # looking at the link changes nothing
    assert client.post(path).status_code == 200
    assert EmailOptOut.objects.get(user=person).kind == "status_changed"


def test_unknown_kind_is_a_programming_error(make_user):
    with pytest.raises(kinds.UnknownKind, match="no_such_kind"):
        services.notify(make_user(), "no_such_kind", {})
    assert Notification.objects.count() == 0


def test_context_must_hold_plain_values(make_user):
    with pytest.raises(TypeError, match="plain values"):
        services.notify(make_user(), "status_changed", {"object": object()})


def test_nobody_to_tell_does_nothing():
    assert services.notify(None, "status_changed", {}) is None
    assert Notification.objects.count() == 0


def test_inactive_account_gets_the_notification_but_no_email(make_user, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)
    person.is_active = False
    person.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(person, "decision_made", {})
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.NO_ADDRESS
    assert mail.outbox == []


def test_each_notification_is_emailed_once(make_user, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(person, "decision_made", {})
    assert services.deliver_email(notification.pk) == EmailStatus.SENT
    assert len(mail.outbox) == 1
