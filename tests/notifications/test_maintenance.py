"""Failed and stalled e-mails are tried again (each sent at most once); old read notifications are deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.notifications import services
from talentgate.notifications.models import EmailStatus, Notification

pytestmark = pytest.mark.django_db


class _Unreachable:
    def send(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failed_email_is_retried_until_it_is_sent(make_user, monkeypatch, django_capture_on_commit_callbacks):
    person = make_user(Role.CANDIDATE)
    real_compose = services.compose_email
    monkeypatch.setattr(services, "compose_email", lambda notification: _Unreachable())
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(person, "decision_made", {})
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.FAILED, 1)
    assert mail.outbox == []
    monkeypatch.setattr(services, "compose_email", real_compose)
    assert services.retry_emails() == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1
    assert services.retry_emails() == 0  # sent: never again


def test_retries_stop_after_the_last_attempt(make_user, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "compose_email", lambda notification: _Unreachable())
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(make_user(Role.CANDIDATE), "decision_made", {})
    for _ in range(services.MAX_EMAIL_ATTEMPTS - 1):
        assert services.retry_emails() == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (
        EmailStatus.FAILED,
        services.MAX_EMAIL_ATTEMPTS,
    )
    assert services.retry_emails() == 0


def test_a_stalled_email_is_queued_again_but_a_fresh_one_is_left_alone(make_user):
    person = make_user(Role.CANDIDATE)
    # Outside a captured commit: the queued task never ran, as when the worker was down.
    stalled = services.notify(person, "decision_made", {})
    fresh = services.notify(person, "decision_made", {})
    Notification.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert services.retry_emails() == 1
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.email_status == EmailStatus.SENT
    assert fresh.email_status == EmailStatus.PENDING


def test_old_read_notifications_are_deleted_and_unread_ones_kept(make_user):
    person = make_user(Role.CANDIDATE)
    long_ago = timezone.now() - services.READ_RETENTION - timedelta(days=1)
    old_read, old_unread, recent_read = (services.notify(person, "status_changed", {}) for _ in range(3))
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=long_ago)
    Notification.objects.filter(pk__in=[old_read.pk, recent_read.pk]).update(read_at=timezone.now())
    assert services.delete_old_notifications() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
