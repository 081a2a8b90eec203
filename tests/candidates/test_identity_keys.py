"""The derived identity columns (document blind index, name search key) are stored on every write path,
kept in step on update, backfilled by the migration, and never contain the number itself."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from talentgate.candidates import identity_keys, services
from talentgate.candidates.models import IdentityDocument, Profile
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.engines.identity import blind_index, name_search_key

pytestmark = pytest.mark.django_db


def _canonical(index: int, **identity) -> CandidateProfile:
    data = example_profile(index)
    data["identity"].update(identity)
    return CandidateProfile.model_validate(data)


def _expected_index(number: str, country: str) -> str:
    return blind_index(number, country, "test-blind-index-key")


def test_import_stores_the_blind_index_and_the_search_key():
    services.import_profiles(None, [_canonical(3, given_names_native="Юрий", family_name_native="Иванов")])
    document = IdentityDocument.objects.get()
    assert document.number_blind_index == _expected_index(document.number, document.issuing_country)
    assert document.number not in document.number_blind_index
    profile = Profile.objects.get()
    assert profile.name_search_key == name_search_key(
        [profile.given_names_latin, profile.family_name_latin, "Юрий", "Иванов"]
    )
    assert " iuri " in profile.name_search_key
    assert " ivanov " in profile.name_search_key


def test_an_update_through_the_service_recomputes_both():
    services.import_profiles(None, [_canonical(3)])
    data = example_profile(3)
    data["identity"]["family_name_latin"] = "Petrova"
    data["identity_documents"][0]["number"] = "ZZ 000-111"
    services.save_profile(None, CandidateProfile.model_validate(data))
    document = IdentityDocument.objects.get()
    assert document.number_blind_index == _expected_index("ZZ000111", document.issuing_country)
    assert " petrova " in Profile.objects.get().name_search_key


def test_model_save_keeps_the_columns_in_step_even_with_update_fields():
    profile = Profile.objects.create(
        external_id="p-1", given_names_latin="Anna", date_of_birth=datetime.date(1990, 1, 1), sex="female"
    )
    assert profile.name_search_key == " ana "
    profile.family_name_native = "Смирнова"
    profile.save(update_fields=["family_name_native"])
    assert Profile.objects.get(pk=profile.pk).name_search_key == " ana smirnova "
    document = IdentityDocument.objects.create(profile=profile, kind="passport", number="AB1", issuing_country="RU")
    document.issuing_country = "KZ"
    document.save(update_fields=["issuing_country"])
    assert IdentityDocument.objects.get().number_blind_index == _expected_index("AB1", "KZ")


def test_lookup_by_number_finds_the_document_in_any_country_or_one():
    services.import_profiles(None, [_canonical(1), _canonical(2)])
    first = IdentityDocument.objects.order_by("pk").first()
    indexes = identity_keys.document_indexes_for_number(first.number.lower())
    assert list(IdentityDocument.objects.filter(number_blind_index__in=indexes)) == [first]
    assert identity_keys.document_indexes_for_number(first.number, "ZZ") != [first.number_blind_index]


def test_the_backfill_migration_fills_rows_written_before_it():
    services.import_profiles(None, [_canonical(5, given_names_native="Мария")])
    Profile.objects.update(name_search_key="")
    IdentityDocument.objects.update(number_blind_index="")
    migration = importlib.import_module("talentgate.candidates.migrations.0003_backfill_identity_keys")
    migration.backfill(apps, SimpleNamespace(connection=connection))
    document = IdentityDocument.objects.get()
    assert document.number_blind_index == _expected_index(document.number, document.issuing_country)
    assert " maria " in Profile.objects.get().name_search_key
    migration.clear(apps, SimpleNamespace(connection=connection))
    assert IdentityDocument.objects.get().number_blind_index == ""


def test_a_very_long_name_in_a_syllabic_script_keeps_whole_words_within_the_column():
    names = {
        name: "".join(chr(0x4E00 + (i * 37 + j) % 20000) for i in range(150))
        for j, name in enumerate(identity_keys.NAME_FIELDS)
    }
    key = identity_keys.profile_search_key(names)
    assert len(key) <= identity_keys.SEARCH_KEY_MAX_LENGTH
    assert key.startswith(" ")
    assert key.endswith(" ")
    profile = Profile.objects.create(external_id="long", date_of_birth=datetime.date(1990, 1, 1), sex="male", **names)
    assert Profile.objects.get(pk=profile.pk).name_search_key == key
