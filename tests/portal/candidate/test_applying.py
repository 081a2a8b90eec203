"""Applying from the portal: active programmes listed, apply (create and submit at once, or submit a
draft), refusals naming the failed condition in words, status and history, withdrawing; and "my data"."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent
from talentgate.programmes import services as programme_services
from talentgate.programmes.models import Application, ApplicationTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(make_user):
    return programme_services.create_programme(
        make_user(Role.ADMINISTRATOR), code="demo", name_en="National Talent Programme", name_ru="Программа"
    )


def _apply(client, programme):
    return client.post(reverse("portal:candidate:apply", args=[programme.pk]), follow=True)


def test_active_programmes_are_listed_with_an_apply_button(signed_in, with_profile, programme, make_user):
    programme_services.create_programme(make_user(Role.ADMINISTRATOR), code="closed", name_en="Closed", active=False)
    html = signed_in.get(reverse("portal:candidate:programmes")).content.decode()
    assert "National Talent Programme" in html
    assert "Closed" not in html
    assert reverse("portal:candidate:apply", args=[programme.pk]) in html


def test_a_refusal_names_the_missing_condition_and_leaves_nothing(signed_in, with_profile, programme):
    response = _apply(signed_in, programme)
    html = response.content.decode()
    assert "Your application was not submitted." in html
    assert "Give your consent to hand your file to the immigration authority." in html
    assert f'<a href="{reverse("portal:candidate:consents")}">' in html
    assert not Application.objects.exists()


def test_apply_submits_and_shows_status_and_history(signed_in, candidate, with_profile, programme):
    give_consent(candidate, with_profile, "authority_handoff", "2026-01")
    response = _apply(signed_in, programme)
    application = Application.objects.get()
    assert application.status == "submitted"
    html = response.content.decode()
    assert "Your application has been submitted." in html
    assert "Status: submitted" in html
    assert "<td>draft</td><td>submitted</td>" in html
    listing = signed_in.get(reverse("portal:candidate:applications")).content.decode()
    assert "National Talent Programme" in listing


def test_a_draft_made_elsewhere_is_submitted(signed_in, candidate, with_profile, programme):
    draft = programme_services.create_application(candidate, programme_id=programme.pk)
    give_consent(candidate, with_profile, "authority_handoff", "2026-01")
    assert "Submit your draft application" in signed_in.get(reverse("portal:candidate:programmes")).content.decode()
    _apply(signed_in, programme)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert Application.objects.count() == 1


def test_withdraw_with_a_reason(signed_in, candidate, with_profile, programme):
    give_consent(candidate, with_profile, "authority_handoff", "2026-01")
    _apply(signed_in, programme)
    application = Application.objects.get()
    signed_in.post(reverse("portal:candidate:withdraw_application", args=[application.pk]), {"reason": "Moved on"})
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert ApplicationTransition.objects.filter(to_state="withdrawn", reason="Moved on").exists()
    html = signed_in.get(reverse("portal:candidate:application", args=[application.pk])).content.decode()
    assert "Withdraw my application" not in html


def test_another_candidates_application_is_404_and_unchanged(client, candidate, with_profile, programme, make_user):
    application = programme_services.create_application(candidate, programme_id=programme.pk)
    client.force_login(make_user(Role.CANDIDATE))
    assert client.get(reverse("portal:candidate:application", args=[application.pk])).status_code == 404
    assert client.post(reverse("portal:candidate:withdraw_application", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == "draft"


def test_my_data_shows_everything_and_downloads_it(signed_in, candidate, with_profile, programme):
    give_consent(candidate, with_profile, "authority_handoff", "2026-01")
    _apply(signed_in, programme)
    html = signed_in.get(reverse("portal:candidate:my_data")).content.decode()
    assert "Satbayev University" in html
    assert "N12345678" not in html
    assert "•••••••78" in html
    assert "Handed to the immigration authority" in html
    assert "National Talent Programme: submitted" in html
    download = signed_in.get(reverse("portal:candidate:my_data_download"))
    assert download["Content-Disposition"] == 'attachment; filename="talentgate-my-data.json"'
    data = json.loads(download.content)
    assert data["profile"]["identity_documents"][0]["number"] == "N12345678"
    assert data["applications"][0]["history"][0]["to"] == "submitted"


def test_dashboard_links_everything(signed_in, with_profile):
    html = signed_in.get(reverse("portal:candidate:dashboard")).content.decode()
    for name in ("documents", "consents", "programmes", "applications", "my_data"):
        assert reverse(f"portal:candidate:{name}") in html


@pytest.mark.parametrize("name", ["dashboard", "programmes", "applications", "my_data"])
def test_pages_render_in_russian(signed_in, with_profile, programme, name):
    response = signed_in.get(reverse(f"portal:candidate:{name}"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.parametrize("name", ["dashboard", "programmes", "applications", "my_data", "documents", "consents"])
def test_other_roles_are_refused(client, make_user, name):
    client.force_login(make_user(Role.HOST_ADMIN))
    assert client.get(reverse(f"portal:candidate:{name}")).status_code == 403
