"""The application page tells officers and supervisors when the applicant is a suspected duplicate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.identity import detection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.OFFICER, True), (Role.SUPERVISOR, True), (Role.ADMINISTRATOR, False)]
)
def test_the_page_links_the_open_suspicion(client, make_user, make_application, role, shown):
    application, _owner = make_application("submitted")
    identity = {"given_names_latin": "Amara", "family_name_latin": "Okafor", "family_name_native": "Окафор"}
    payload = {"id": "second-okafor", "identity": {**identity, "date_of_birth": "1990-04-12", "sex": "female"}}
    again, _ = save_profile(None, CandidateProfile.model_validate(payload))
    (suspicion,) = detection.detect_duplicates(again.pk)
    client.force_login(make_user(role))
    html = client.get(reverse("portal:officer:application", args=[application.pk])).content.decode()
    assert (reverse("portal:identity:suspicion", args=[suspicion.pk]) in html) is shown


def test_no_notice_without_a_suspicion(client, make_user, make_application):
    application, _owner = make_application("submitted")
    client.force_login(make_user(Role.OFFICER))
    response = client.get(reverse("portal:officer:application", args=[application.pk]))
    assert response.context["suspicions"] == []
