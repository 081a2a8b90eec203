"""Notification pages: the list (unread first, mark read, mark all), the header count, e-mail preferences and
the unsubscribe link, in English and Russian; another person's notification is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talentgate.accounts.roles import Role
from talentgate.notifications.models import EmailOptOut
from talentgate.notifications.services import notify, unsubscribe_token
from talentgate.programmes.models import ApplicationStatus

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notifications:list")
PREFERENCES = reverse("portal:notifications:preferences")
RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
REJECTED = {"object": "application", "object_id": 4, "model": "programmes.application", "to_state": "rejected"}


@pytest.fixture
def candidate(make_user):
    return make_user(Role.CANDIDATE)


def _russian_rejected() -> str:
    with translation.override("ru"):
        return str(ApplicationStatus.REJECTED.label)


def test_list_shows_unread_first_with_the_header_count(client, candidate):
    read = notify(candidate, "status_changed", {"object": "application", "object_id": 1, "to_state": "screening"})
    read.read_at = read.created_at
    read.save(update_fields=["read_at"])
    notify(candidate, "decision_made", REJECTED, link="/candidate/applications/4/")
    client.force_login(candidate)
    page = client.get(LIST).content.decode()
    assert page.index("Decision on Application 4: rejected") < page.index("Application 1: now screening")
    assert "1 unread" in page  # the header's count
    assert "Mark all read" in page


def test_mark_read_by_htmx_returns_the_row_and_without_js_goes_back(client, candidate):
    first = notify(candidate, "decision_made", REJECTED)
    second = notify(candidate, "status_changed", {})
    client.force_login(candidate)
    url = reverse("portal:notifications:mark_read", kwargs={"notification_id": first.pk})
    row = client.post(url, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    assert f'id="notification-{first.pk}"' in row.content.decode()
    assert "Mark read" not in row.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    back = client.post(reverse("portal:notifications:mark_read", kwargs={"notification_id": second.pk}), {"page": "1"})
    assert back.status_code == 302
    assert back["Location"] == f"{LIST}?page=1"


def test_mark_all_read(client, candidate):
    for _ in range(3):
        notify(candidate, "status_changed", {})
    client.force_login(candidate)
    response = client.post(reverse("portal:notifications:mark_all_read"), follow=True)
    assert "3 notifications marked read." in response.content.decode()
    assert candidate.notifications.filter(read_at__isnull=True).count() == 0


def test_open_marks_read_and_follows_only_a_local_link(client, candidate):
    local = notify(candidate, "status_changed", {}, link="/candidate/applications/9/")
    foreign = notify(candidate, "status_changed", {}, link="https://evil.example/")
    client.force_login(candidate)
    response = client.get(reverse("portal:notifications:open", kwargs={"notification_id": local.pk}))
    assert response["Location"] == "/candidate/applications/9/"
    local.refresh_from_db()
    assert local.read_at is not None
    response = client.get(reverse("portal:notifications:open", kwargs={"notification_id": foreign.pk}))
    assert response["Location"] == LIST


def test_another_persons_notification_is_404_and_stays_unread(client, candidate, make_user):
    theirs = notify(candidate, "status_changed", {}, link="/candidate/")
    client.force_login(make_user(Role.CANDIDATE))
    for response in (
        client.post(reverse("portal:notifications:mark_read", kwargs={"notification_id": theirs.pk})),
        client.get(reverse("portal:notifications:open", kwargs={"notification_id": theirs.pk})),
    ):
        assert response.status_code == 404
    assert "Decision" not in client.get(LIST).content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_page_says_essential_emails_cannot_be_turned_off_and_saves_choices(client, candidate):
    client.force_login(candidate)
    page = client.get(PREFERENCES).content.decode()
    assert "cannot be turned off" in page
    assert "Decisions" in page  # listed as always sent ...
    assert 'name="decision_made"' not in page  # ... with no checkbox
    assert 'name="status_changed"' in page
    assert "E-mails are written in English" in page
    # Unticked boxes are not sent: everything not ticked is turned off.
    response = client.post(PREFERENCES, {"offer_lapsed": "on"})
    assert response.status_code == 302
    off = set(EmailOptOut.objects.filter(user=candidate).values_list("kind", flat=True))
    assert "status_changed" in off
    assert "offer_lapsed" not in off
    assert "decision_made" not in off


def test_unsubscribe_link_confirms_then_turns_the_kind_off(client, candidate):
    url = reverse("portal:notifications:unsubscribe", kwargs={"token": unsubscribe_token(candidate, "status_changed")})
    page = client.get(url)
    assert page.status_code == 200
    assert "Status changes" in page.content.decode()
    assert not EmailOptOut.objects.exists()
    done = client.post(url)
    assert done.status_code == 200
    assert "You will no longer receive e-mails about" in done.content.decode()
    assert EmailOptOut.objects.get().kind == "status_changed"
    assert client.post(url).status_code == 200  # a second click is harmless
    assert EmailOptOut.objects.count() == 1


def test_unsubscribe_link_with_a_bad_signature_is_refused(client, candidate):
    token = unsubscribe_token(candidate, "status_changed")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    url = reverse("portal:notifications:unsubscribe", kwargs={"token": forged})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_link_for_an_essential_kind_is_refused(client, candidate):
    url = reverse("portal:notifications:unsubscribe", kwargs={"token": unsubscribe_token(candidate, "decision_made")})
    response = client.post(url)
    assert response.status_code == 400
    assert "cannot be turned off" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_pages_render_in_russian(client, candidate):
    notify(candidate, "decision_made", REJECTED)
    client.force_login(candidate)
    for url in (LIST, PREFERENCES):
        response = client.get(url, **RU)
        assert response.status_code == 200
        assert '<html lang="ru">' in response.content.decode()
    candidate.preferred_language = "ru"
    candidate.save(update_fields=["preferred_language"])
    assert client.get(PREFERENCES).context["email_language"] == "Русский"
    assert _russian_rejected() in client.get(LIST, **RU).content.decode()
    token_url = reverse(
        "portal:notifications:unsubscribe", kwargs={"token": unsubscribe_token(candidate, "status_changed")}
    )
    assert '<html lang="ru">' in client.get(token_url, **RU).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))
