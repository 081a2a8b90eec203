"""The officers' queue searches by name in any script through the stored search key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role

pytestmark = pytest.mark.django_db

QUEUE = reverse("portal:officer:queue")


def test_the_queue_finds_a_cyrillic_name_from_its_latin_spelling_and_back(client, make_user, make_application):
    make_application("submitted", family_name="Ivanov")
    make_application(
        "submitted",
        identity={
            "given_names_latin": "Anna",
            "family_name_latin": "Okafor",
            "family_name_native": "Иванова",
            "date_of_birth": "1991-02-03",
            "sex": "female",
        },
    )
    client.force_login(make_user(Role.OFFICER))
    rows = client.get(QUEUE, {"name": "Иванов", "sort": "name"}).context["rows"]
    # A word matches from its start: Ivanova is found too.
    assert [application.profile.family_name_latin for application, _ in rows] == ["Ivanov", "Okafor"]
    rows = client.get(QUEUE, {"name": "ivanova"}).context["rows"]
    assert [application.profile.family_name_latin for application, _ in rows] == ["Okafor"]
    assert client.get(QUEUE, {"name": "Petrov"}).context["rows"] == []


def test_a_name_without_letters_is_shown_next_to_the_field(client, make_user, make_application):
    make_application("submitted", family_name="Ivanov")
    client.force_login(make_user(Role.OFFICER))
    response = client.get(QUEUE, {"name": "%%"})
    assert response.status_code == 400
    assert response.context["filter_form"].errors["name"]
