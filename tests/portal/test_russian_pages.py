"""The main pages of each area, and a refusal from the API, in Russian when the browser asks for it.

English is what every other test sees; these check that a Russian visitor gets Russian pages and
refusals (the catalogue is complete and the services translate at raise time), with the same
machine rule codes as in English.
"""

from __future__ import annotations

import itertools
import json

import pytest
from django.core import mail
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.hosts import services as hosts
from talentgate.programmes import services as programmes
from talentgate.programmes.models import Application

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
_ids = itertools.count(1)


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def programme(make_user):
    return programmes.create_programme(make_user(Role.ADMINISTRATOR), code="talent", name_en="Talent attraction")


@pytest.fixture
def make_applicant(make_user, programme):
    """Factory: ``make_applicant(documents=[...])`` -> (candidate, submitted application)."""

    def _make(**parts):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": f"ru-cand-{next(_ids)}",
            "identity": {
                "given_names_latin": "Amara",
                "family_name_latin": "Okafor",
                "date_of_birth": "1990-04-12",
                "sex": "female",
                "residence_country": "NG",
            },
            "education": [
                {"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Aero"}
            ],
            "language_tests": [
                {
                    "test": "ielts_academic",
                    "test_date": "2024-05-01",
                    "language": "en",
                    "listening": 7.5,
                    "reading": 7,
                    "writing": 6.5,
                    "speaking": 7,
                }
            ],
            **parts,
        }
        profile, _ = save_profile(user, CandidateProfile.model_validate(payload))
        give_consent(user, profile, "authority_handoff", "1")
        application = programmes.create_application(user, programme_id=programme.pk)
        return user, programmes.submit_application(user, application.pk)

    return _make


def _html(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


def _assert_russian(html, present, absent):
    assert '<html lang="ru">' in html
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_candidate_pages_are_in_russian(client, make_applicant):
    candidate, application = make_applicant()
    client.force_login(candidate)
    _assert_russian(
        _html(client, reverse("portal:candidate:dashboard"), **RU),
        ["Обзор кандидата", "Ваш профиль", "Мои данные"],
        ["Your candidate overview", "Your profile", "My data"],
    )
    _assert_russian(
        _html(client, reverse("portal:candidate:application", args=[application.pk]), **RU),
        ["Статус: подана", "История", "Отозвать мою заявку"],
        ["Status: submitted", "History", "Withdraw my application"],
    )
    _assert_russian(
        _html(client, reverse("portal:candidate:consents"), **RU),
        ["Ваши согласия", "Передача в миграционное ведомство"],
        ["Your consents", "Handed to the immigration authority"],
    )
    # The same page, English browser: the English text, so the check above is not vacuous.
    assert "Your candidate overview" in _html(client, reverse("portal:candidate:dashboard"), **EN)


def test_host_pages_are_in_russian(client, make_user, officer):
    admin = make_user(Role.HOST_ADMIN)
    organisation = hosts.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    hosts.verify_organisation(officer, organisation.pk)
    hosts.create_opportunity(
        admin,
        title="Propulsion engineer",
        kind="position",
        country="RU",
        capacity=1,
        occupations=[{"isco08_code": "2144", "label": "Propulsion engineer"}],
    )
    client.force_login(admin)
    _assert_russian(
        _html(client, reverse("portal:host:dashboard"), **RU),
        ["Ваша организация", "Ваша роль", "Создать вакансию"],
        ["Your organisation", "Your role", "Create an opportunity"],
    )
    _assert_russian(
        _html(client, reverse("portal:host:opportunity_list"), **RU),
        ["Вакансии", "Propulsion engineer", "черновик"],
        ["Opportunities", ">draft<"],
    )
    _assert_russian(
        _html(client, reverse("portal:host:staff"), **RU),
        ["Сотрудники организации Orbital Works", "Пригласить человека", "Отправить приглашение"],
        ["Staff of Orbital Works", "Invite a person", "Send the invitation"],
    )


def test_publishing_before_verification_is_refused_in_russian(client, make_user):
    # The guard's wording is a lazy translation made at import; it is rendered in the visitor's language.
    admin = make_user(Role.HOST_ADMIN)
    hosts.register_organisation(admin, name="Orbital Works", kind="private_company", country="RU")
    opportunity = hosts.create_opportunity(admin, title="Propulsion engineer", kind="position", country="RU")
    client.force_login(admin)
    path = reverse("portal:host:opportunity_publish", kwargs={"opportunity_id": opportunity.pk})
    html = client.post(path, follow=True, **RU).content.decode()
    assert "Для действия «публикация» требуется: подтверждение организации сотрудником программы" in html
    assert "publish needs" not in html
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"


def test_officer_pages_are_in_russian(client, officer, make_applicant):
    _candidate, application = make_applicant(documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    client.force_login(officer)
    _assert_russian(
        _html(client, reverse("portal:officer:queue"), **RU),
        ["Очереди заявок", "Фильтры и сортировка", "1 заявка"],
        ["Application queues", "Filters and sort order", "1 application"],
    )
    _assert_russian(
        _html(client, reverse("portal:officer:application", args=[application.pk]), **RU),
        [
            "Перевод заявки",
            "Начать проверку",
            "Документы, удостоверяющие личность",
            # Codes the profile stores, named in Russian: document kind and state, consent purpose, country.
            'Диплом: <span translate="no">d.pdf</span>',
            "ожидает проверки",
            "передача в миграционное ведомство v1",
            "Нигерия",
        ],
        ["Move the application", "Start screening", "Identity documents", "Статус: pending", "authority handoff"],
    )
    _assert_russian(
        _html(client, reverse("portal:officer:organisations"), **RU),
        ["Проверка организаций"],
        ["Organisation verification"],
    )


def test_a_refused_transition_on_the_officer_page_names_the_condition_in_russian(client, officer, make_applicant):
    _candidate, application = make_applicant(documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    programmes.start_screening(officer, application.pk)
    client.force_login(officer)
    path = reverse("portal:officer:transition", args=[application.pk, "mark_assessed"])
    response = client.post(path, {"expected_status": "screening"}, **RU)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Для действия «отметка об оценке» требуется: завершённая проверка документов" in html
    assert "needs screening done" not in html
    assert Application.objects.get(pk=application.pk).status == "screening"


def test_a_refused_transition_in_the_api_is_russian_with_the_same_rule(client, officer, make_applicant):
    _candidate, application = make_applicant(documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    programmes.start_screening(officer, application.pk)
    client.force_login(officer)
    path = f"/api/programmes/applications/{application.pk}/transitions/mark_assessed"

    def refuse(headers):
        response = client.post(path, json.dumps({}), content_type="application/json", **headers)
        assert response.status_code == 409
        [error] = response.json()["errors"]
        return error

    english, russian = refuse(EN), refuse(RU)
    assert (
        (russian["field"], russian["rule"]) == (english["field"], english["rule"]) == ("status", "documents_screened")
    )
    assert english["message"].startswith("mark_assessed needs screening done")
    assert russian["message"] == (
        "Для действия «отметка об оценке» требуется: завершённая проверка документов "
        "(в профиле нет документов, ожидающих проверки)"
    )
    assert Application.objects.get(pk=application.pk).status == "screening"


def test_a_missing_object_is_named_in_russian(client, make_user):
    # NotFound's noun ("application") is looked up under the gettext context "object".
    candidate = make_user(Role.CANDIDATE)
    client.force_login(candidate)
    response = client.get("/api/programmes/applications/987654", **RU)
    assert response.status_code == 404
    assert response.json()["errors"] == [{"field": "", "rule": "not_found", "message": "Не найдено: заявка."}]


def test_the_profile_wizard_puts_canonical_refusals_in_russian_next_to_the_field(client, make_user):
    candidate = make_user(Role.CANDIDATE)
    client.force_login(candidate)
    post = {
        "identity-given_names_latin": "Aigerim",
        "identity-family_name_latin": "Seitkali",
        "identity-date_of_birth": "2999-01-01",
        "identity-sex": "female",
        "action": "save",
    }
    response = client.post(reverse("portal:candidate:profile_step", args=["identity"]), post, **RU)
    html = response.content.decode()
    assert 'id="id_identity-date_of_birth_error"' in html
    assert "Дата рождения в будущем." in html
    assert "Date of birth is in the future." not in html


def test_a_visitor_signing_up_in_russian_gets_the_verification_e_mail_in_russian(client):
    data = {
        "email": "nadia@example.test",
        "first_name": "Nadia",
        "last_name": "Rahman",
        "password1": "Orbit-Launch-2031",
        "password2": "Orbit-Launch-2031",
    }
    response = client.post(reverse("portal:account:sign_up"), data, **RU)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Подтвердите адрес электронной почты для talentgate"
    assert message.body.startswith("Добро пожаловать в talentgate.")
    assert "http://testserver/account/verify/" in message.body
