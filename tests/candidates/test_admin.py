"""Every candidates table is in the admin: changelist, search, filters and add page open; numbers stay masked."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from talentgate.candidates import models
from talentgate.common.crypto import mask

pytestmark = pytest.mark.django_db

CANDIDATE_MODELS = [
    models.Profile,
    models.IdentityDocument,
    models.Education,
    models.Employment,
    models.Skill,
    models.LanguageTestResult,
    models.Publication,
    models.Patent,
    models.Achievement,
    models.SalaryOffer,
    models.FamilyMember,
    models.Document,
    models.Consent,
]


def test_every_candidates_model_is_registered_with_search_and_filters():
    registered = {m for m in admin.site._registry if m._meta.app_label == "candidates"}
    assert registered == set(CANDIDATE_MODELS)
    for model in CANDIDATE_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.list_display != ("__str__",), model
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


@pytest.fixture
def passport():
    profile = models.Profile.objects.create(
        external_id="adm-1",
        given_names_latin="Ana",
        family_name_latin="Silva",
        date_of_birth=datetime.date(1990, 1, 1),
        sex="female",
    )
    return models.IdentityDocument.objects.create(
        profile=profile, kind="passport", number="FA1234567", issuing_country="BR"
    )


@pytest.mark.parametrize("model", CANDIDATE_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_add_page_open(admin_client, passport, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "adm"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_passport_number_is_masked_in_lists_and_forms(admin_client, passport):
    listing = admin_client.get(reverse("admin:candidates_identitydocument_changelist")).content.decode()
    change = admin_client.get(reverse("admin:candidates_identitydocument_change", args=[passport.pk])).content.decode()
    profile_page = admin_client.get(
        reverse("admin:candidates_profile_change", args=[passport.profile_id])
    ).content.decode()
    for page in (listing, change, profile_page):
        assert "FA1234567" not in page
        assert mask("FA1234567") in page


def test_searching_by_the_exact_passport_number_finds_it_through_the_blind_index(admin_client, passport):
    url = reverse("admin:candidates_identitydocument_changelist")
    response = admin_client.get(url, {"q": "fa 123-4567"})
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [passport.pk]
    assert "FA1234567" not in response.content.decode()
    # Only the whole number matches: a part of it finds nothing (the column itself is never searched).
    assert admin_client.get(url, {"q": "FA12345"}).context["cl"].result_count == 0


def test_profile_search_matches_names_across_scripts(admin_client, passport):
    url = reverse("admin:candidates_profile_changelist")
    assert [p.pk for p in admin_client.get(url, {"q": "Сильва"}).context["cl"].result_list] == [passport.profile_id]
    assert admin_client.get(url, {"q": "Petrova"}).context["cl"].result_count == 0
