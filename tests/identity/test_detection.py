"""Duplicate detection on profile writes and submissions: strong, likely and weak suspicions with their
reasons, one row per pair however often detection runs, decided pairs never reopened."""

from __future__ import annotations

import pytest

from talentgate.identity import detection
from talentgate.identity.models import DuplicateSuspicion, SuspicionStatus
from talentgate.identity.services import dismiss_suspicion
from talentgate.programmes import services as programmes

PASSPORT = {"kind": "passport", "number": "75 1234567", "issuing_country": "RU"}

pytestmark = pytest.mark.django_db


def _only():
    (suspicion,) = DuplicateSuspicion.objects.all()
    return suspicion


def test_the_same_passport_typed_differently_is_a_strong_suspicion(make_person):
    first = make_person(identity_documents=[PASSPORT])
    second = make_person(
        identity={"given_names_latin": "Anna", "family_name_latin": "Smith", "date_of_birth": "1985-01-01"},
        identity_documents=[{**PASSPORT, "number": "751234567"}],
    )
    suspicion = _only()
    assert (suspicion.profile_low_id, suspicion.profile_high_id) == (first.pk, second.pk)
    assert suspicion.reasons == ["same_identity_document"]
    assert (suspicion.strength, suspicion.score, suspicion.status) == ("strong", 1.0, "open")


def test_the_same_number_from_another_country_is_not_the_same_document(make_person):
    make_person(identity={"date_of_birth": "1980-01-01"}, identity_documents=[PASSPORT])
    make_person(
        identity={"given_names_latin": "Anna", "family_name_latin": "Smith", "date_of_birth": "1985-01-01"},
        identity_documents=[{**PASSPORT, "issuing_country": "KZ"}],
    )
    assert not DuplicateSuspicion.objects.exists()


def test_a_cyrillic_name_born_the_same_day_is_a_likely_suspicion(make_person):
    make_person()
    make_person(
        identity={
            "given_names_latin": "Iurii",
            "family_name_latin": "Ivanov",
            "given_names_native": "Юрий",
            "family_name_native": "Иванов",
        }
    )
    suspicion = _only()
    assert suspicion.reasons == ["same_birth_date_and_name"]
    assert suspicion.strength == "likely"
    assert suspicion.name_similarity == 100.0


def test_the_same_email_local_part_and_a_close_name_is_weak(make_person):
    make_person(identity={"email": "yuri.ivanov@first.example"})
    make_person(
        identity={"given_names_latin": "Juri", "date_of_birth": "1991-02-02", "email": "YuriIvanov+2@second.example"}
    )
    suspicion = _only()
    assert suspicion.reasons == ["same_email_local_part_and_name"]
    assert suspicion.strength == "weak"


def test_different_people_raise_nothing(make_person):
    make_person()
    make_person(identity={"given_names_latin": "Anna", "family_name_latin": "Petrova"})
    make_person(identity={"date_of_birth": "1970-01-01"})
    assert not DuplicateSuspicion.objects.exists()


def test_detection_again_keeps_one_row_and_a_dismissed_pair_stays_dismissed(make_person, officer):
    first = make_person(identity_documents=[PASSPORT])
    second = make_person(identity_documents=[PASSPORT])
    suspicion = _only()
    assert suspicion.reasons == ["same_identity_document", "same_birth_date_and_name"]
    assert detection.detect_duplicates(first.pk) == [suspicion]
    assert detection.detect_duplicates(second.pk) == [suspicion]
    assert DuplicateSuspicion.objects.count() == 1
    dismiss_suspicion(officer, suspicion.pk, "Twins: two passports checked in person")
    assert detection.detect_duplicates(second.pk) == []
    suspicion.refresh_from_db()
    assert suspicion.status == SuspicionStatus.DISMISSED
    assert DuplicateSuspicion.objects.count() == 1


def test_a_submission_looks_for_duplicates(make_person, make_candidate, programme, django_capture_on_commit_callbacks):
    first = make_person(identity_documents=[PASSPORT])
    # Written without the commit hooks running (as a repair script would): nothing is detected yet.
    user, second = make_candidate(identity_documents=[PASSPORT])
    assert not DuplicateSuspicion.objects.exists()
    application = programmes.create_application(user, programme_id=programme.pk)
    with django_capture_on_commit_callbacks(execute=True):
        programmes.submit_application(user, application.pk)
    suspicion = _only()
    assert {suspicion.profile_low_id, suspicion.profile_high_id} == {first.pk, second.pk}
    assert suspicion.reasons == ["same_identity_document"]


def test_merged_and_erased_people_are_not_compared(make_person, officer):
    from talentgate.privacy.services import erase_person

    first = make_person(identity_documents=[PASSPORT])
    erase_person(officer, first.pk)
    make_person(identity_documents=[PASSPORT])
    assert not DuplicateSuspicion.objects.exists()
