"""The profile wizard: every step renders, saves through the candidates services, shows the canonical
model's errors next to their fields (or at the top with a link when they belong to another step),
masks identity document numbers, adds and removes rows, and validates single fields live (htmx)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Education, FamilyMember, IdentityDocument, Profile
from talentgate.candidates.selectors import to_canonical
from talentgate.portal.candidate.wizard import STEPS

pytestmark = pytest.mark.django_db


def _url(slug: str) -> str:
    return reverse("portal:candidate:profile_step", args=[slug])


def _identity_post(**overrides):
    data = {
        "identity-given_names_latin": "Aigerim",
        "identity-family_name_latin": "Seitkali",
        "identity-date_of_birth": "1990-05-17",
        "identity-sex": "female",
        "identity-citizenships": "KZ, ru",
        "identity_documents-0-kind": "passport",
        "identity_documents-0-number": "N12345678",
        "identity_documents-0-issuing_country": "KZ",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_a_new_candidate_starts_with_identity_prefilled_from_the_account(signed_in, candidate):
    candidate.first_name = "Aigerim"
    candidate.save()
    html = signed_in.get(_url("identity")).content.decode()
    assert '<label for="id_identity-given_names_latin">' in html
    assert 'value="Aigerim"' in html
    assert f'value="{candidate.email}"' in html


def test_other_steps_wait_for_the_identity(signed_in):
    response = signed_in.get(_url("education"))
    assert response["Location"] == _url("identity")


def test_saving_the_identity_creates_the_profile(signed_in, candidate):
    response = signed_in.post(_url("identity"), _identity_post(action="save_next"))
    assert response["Location"] == _url("education")
    profile = to_canonical(Profile.objects.get(user=candidate))
    assert profile.identity.citizenships == ["KZ", "RU"]
    assert profile.identity_documents[0].number == "N12345678"


def test_a_saved_document_number_is_masked_and_kept_when_saved_again(signed_in):
    signed_in.post(_url("identity"), _identity_post())
    html = signed_in.get(_url("identity")).content.decode()
    assert "N12345678" not in html
    assert 'value="•••••••78"' in html
    signed_in.post(
        _url("identity"),
        _identity_post(**{"identity_documents-0-number": "•••••••78", "identity-family_name_latin": "S"}),
    )
    assert IdentityDocument.objects.get().number == "N12345678"
    assert Profile.objects.get().family_name_latin == "S"


def test_an_invalid_field_is_shown_next_to_it_and_nothing_is_saved(signed_in):
    response = signed_in.post(_url("identity"), _identity_post(**{"identity-date_of_birth": "2999-01-01"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_identity-date_of_birth_error"' in html
    assert "Date of birth is in the future." in html
    assert 'aria-describedby="id_identity-date_of_birth_error"' in html
    assert not Profile.objects.exists()


def test_a_bad_code_in_a_list_row_lands_on_that_rows_field(signed_in, with_profile):
    response = signed_in.post(
        _url("education"),
        {
            "education-0-level": "7",
            "education-0-field_code": "0716",
            "education-0-institution": "Satbayev University",
            "education-0-country": "KZ",
            "education-3-level": "6",
            "education-3-field_code": "77",
            "education-3-institution": "KazNU",
            "education-3-country": "KZ",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert 'id="id_education-3-field_code_error"' in html
    assert "is not an ISCED-F 2013 field code" in html
    assert Education.objects.count() == 1


def test_an_error_in_another_step_is_listed_at_the_top_with_a_link(signed_in, with_profile):
    response = signed_in.post(_url("identity"), _identity_post(**{"identity-date_of_birth": "2005-01-01"}))
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert (
        f'<a href="{_url("education")}">Education, entry 1, Graduation year: Graduation year must be 2019 or later'
        in html
    )
    assert str(Profile.objects.get().date_of_birth) == "1990-05-17"


def test_adding_a_row_shows_it_without_saving(signed_in, with_profile):
    response = signed_in.post(
        _url("education"),
        {"education-0-level": "7", "education-0-institution": "Changed", "action": "add:education"},
    )
    html = response.content.decode()
    assert 'name="education-1-institution"' in html
    assert "autofocus" in html
    assert Education.objects.get().institution == "Satbayev University"


def test_removing_a_row(signed_in, with_profile):
    signed_in.post(
        _url("education"),
        {
            "education-0-level": "7",
            "education-0-field_code": "0716",
            "education-0-institution": "Satbayev University",
            "education-0-country": "KZ",
            "education-0-DELETE": "on",
            "action": "save",
        },
    )
    assert not Education.objects.exists()


def test_blank_rows_are_ignored(signed_in, with_profile):
    response = signed_in.post(_url("skills"), {"skills-0-phrase": "", "skills-0-level": "", "action": "save"})
    assert response.status_code == 302
    assert to_canonical(with_profile).skills == []


def test_a_spouse_with_their_own_education(signed_in, with_profile):
    added = signed_in.post(
        _url("family"),
        {"family-0-relation": "spouse", "family-0-given_names_latin": "Daniyar", "action": "add:family-0-education"},
    )
    assert 'name="family-0-education-0-institution"' in added.content.decode()
    response = signed_in.post(
        _url("family"),
        {
            "family-0-relation": "spouse",
            "family-0-given_names_latin": "Daniyar",
            "family-0-date_of_birth": "1989-02-01",
            "family-0-education-0-level": "6",
            "family-0-education-0-field_name": "Physics",
            "family-0-education-0-institution": "KazNU",
            "family-0-education-0-country": "KZ",
            "family-0-education-0-graduation_year": "1995",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert 'id="id_family-0-education-0-graduation_year_error"' in html
    assert not FamilyMember.objects.exists()
    data = {
        "family-0-relation": "spouse",
        "family-0-given_names_latin": "Daniyar",
        "family-0-date_of_birth": "1989-02-01",
    }
    data.update(
        {
            k: v
            for k, v in [
                ("family-0-education-0-level", "6"),
                ("family-0-education-0-field_name", "Physics"),
                ("family-0-education-0-institution", "KazNU"),
                ("family-0-education-0-country", "KZ"),
                ("family-0-education-0-graduation_year", "2011"),
                ("action", "save"),
            ]
        }
    )
    assert signed_in.post(_url("family"), data).status_code == 302
    assert to_canonical(with_profile).family[0].education[0].institution == "KazNU"


def test_clearing_the_h_index(signed_in, with_profile):
    signed_in.post(_url("publications"), {"profile-h_index": "12", "action": "save"})
    assert Profile.objects.get().h_index == 12
    signed_in.post(_url("publications"), {"profile-h_index": "", "action": "save"})
    assert Profile.objects.get().h_index is None


def test_live_validation_returns_the_field_with_its_error_and_saves_nothing(signed_in, with_profile):
    response = signed_in.post(
        reverse("portal:candidate:profile_validate", args=["language-tests"]),
        {
            "language_tests-0-test": "ielts_academic",
            "language_tests-0-test_date": "2024-03-02",
            "language_tests-0-listening": "9.5",
            "language_tests-0-reading": "7",
            "language_tests-0-writing": "7",
            "language_tests-0-speaking": "7",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="language_tests-0-listening",
    )
    html = response.content.decode()
    assert html.startswith('<div class="field">')
    assert 'id="id_language_tests-0-listening_error"' in html
    assert 'hx-post="/candidate/profile/language-tests/validate/"' in html
    assert to_canonical(with_profile).language_tests[0].listening == 8


def test_live_validation_clears_a_fixed_field(signed_in, with_profile):
    response = signed_in.post(
        reverse("portal:candidate:profile_validate", args=["identity"]),
        _identity_post(**{"identity-phone": "+77011234567"}),
        HTTP_HX_TRIGGER_NAME="identity-phone",
    )
    assert "errorlist" not in response.content.decode()


def test_live_validation_of_an_unknown_input_answers_no_content(signed_in, with_profile):
    response = signed_in.post(
        reverse("portal:candidate:profile_validate", args=["identity"]), _identity_post(), HTTP_HX_TRIGGER_NAME="nope"
    )
    assert response.status_code == 204


@pytest.mark.parametrize("step", [s.slug for s in STEPS])
def test_every_step_renders_in_english_and_russian(signed_in, with_profile, step):
    for language in ("en", "ru"):
        response = signed_in.get(_url(step), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


def test_an_unknown_step_is_404(signed_in):
    assert signed_in.get(_url("nonsense")).status_code == 404


def test_only_candidates_use_the_wizard(client, make_user):
    assert client.get(_url("identity"))["Location"].startswith(reverse("portal:login"))
    client.force_login(make_user(Role.OFFICER))
    assert client.get(_url("identity")).status_code == 403
    assert client.post(_url("identity"), _identity_post()).status_code == 403
    assert not Profile.objects.exists()
