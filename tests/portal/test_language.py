"""English and Russian: the browser's Accept-Language rules until the person picks a language, then the choice sticks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role

pytestmark = pytest.mark.django_db

SET_LANGUAGE = "/i18n/setlang/"


def test_login_page_follows_accept_language(client):
    english = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en">' in english
    assert "Sign in" in english
    assert '<html lang="ru">' in russian
    assert "Войти" in russian
    assert "Перейти к основному содержанию" in russian
    assert "Sign in" not in russian


def test_home_in_russian_greets_by_role(client, make_user):
    user = make_user(Role.HOST_STAFF)
    client.force_login(user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5").content.decode()
    assert f"Добро пожаловать, {user.email}" in html
    assert "Вы вошли как: Сотрудник принимающей организации." in html
    assert "Публикуйте вакансии" in html


def test_an_unsupported_browser_language_falls_back_to_english(client):
    html = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in html


def test_choosing_english_sticks_over_a_russian_browser(client):
    response = client.post(SET_LANGUAGE, {"language": "en", "next": "/login/"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    html = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_switcher_marks_the_current_language(client):
    html = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'value="ru" lang="ru"\n            aria-pressed="true"' in html
    assert 'value="en" lang="en"\n            aria-pressed="false"' in html


def test_choice_of_a_signed_in_person_is_saved_and_follows_them(client, make_user):
    user = make_user(email="ada@example.test")
    client.force_login(user)
    client.post(SET_LANGUAGE, {"language": "ru", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert User.objects.get(pk=user.pk).preferred_language == "ru"

    # Another browser, no language cookie, English Accept-Language: the saved choice wins once signed in.
    other_browser = Client()
    before = other_browser.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in before
    other_browser.post(reverse("portal:login"), {"username": "ada@example.test", "password": "pw-Test-12345"})
    after = other_browser.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ru">' in after
    assert other_browser.get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()["language"] == "ru"


def test_anonymous_choice_saves_nothing(client, make_user):
    user = make_user()
    client.post(SET_LANGUAGE, {"language": "ru", "next": "/login/"})
    assert User.objects.get(pk=user.pk).preferred_language == ""


def test_invalid_language_changes_nothing(client, make_user):
    user = make_user()
    client.force_login(user)
    client.post(SET_LANGUAGE, {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).preferred_language == ""
