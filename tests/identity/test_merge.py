"""Merging two people: histories kept (records re-pointed, the merged profile marked, not deleted), the
merged login handled, both audit chains written with ids only and still verifying; every refusal names
its field and rule and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from typer.testing import CliRunner

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Consent, Document, Profile
from talentgate.candidates.services import chain_for_profile, upload_own_document
from talentgate.cases.models import RelocationCase
from talentgate.cli import app
from talentgate.common import audit
from talentgate.common.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.identity import detection, services
from talentgate.identity.models import DuplicateSuspicion, ProfileMerge, SuspicionStatus
from talentgate.notifications.models import Notification
from talentgate.privacy import services as privacy
from talentgate.programmes import services as programmes
from talentgate.programmes.models import Application

PASSPORT = {"kind": "passport", "number": "75 1234567", "issuing_country": "RU"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _suspect(a: Profile, b: Profile) -> DuplicateSuspicion:
    detection.detect_duplicates(b.pk)
    low, high = sorted((a.pk, b.pk))
    return DuplicateSuspicion.objects.get(profile_low_id=low, profile_high_id=high)


def _state(*profiles):
    return (
        [tuple(Profile.objects.filter(pk=p.pk).values_list("merged_into_id", "user_id").get()) for p in profiles],
        sorted(Application.objects.values_list("pk", "profile_id")),
        sorted(RelocationCase.objects.values_list("pk", "profile_id")),
        sorted(Consent.objects.values_list("pk", "profile_id", "withdrawn_at")),
        DuplicateSuspicion.objects.filter(status="open").count(),
        ProfileMerge.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(actor, suspicion, survivor, field, rule, error=DomainError):
    profiles = Profile.objects.filter(pk__in=(suspicion.profile_low_id, suspicion.profile_high_id))
    before = _state(*profiles)
    with pytest.raises(error) as refused:
        services.merge_profiles(actor, suspicion.pk, survivor.pk)
    assert (field, rule) in {(e.field, e.rule) for e in refused.value.errors}
    assert _state(*profiles) == before
    return refused.value


def test_a_duplicate_application_is_detected_and_merged_keeping_both_histories(
    make_case, make_candidate, programme, officer, django_capture_on_commit_callbacks
):
    case, _ = make_case(identity_documents=[PASSPORT])
    survivor = case.profile
    # The same person signs up again with another e-mail, a Cyrillic name and the passport re-typed, and applies.
    second_user, duplicate = make_candidate(
        identity={
            "given_names_latin": "Amara",
            "family_name_latin": "Okafor",
            "family_name_native": "Окафор",
            "date_of_birth": "1990-04-12",
            "sex": "female",
        },
        identity_documents=[{**PASSPORT, "number": "751234567"}],
    )
    upload_own_document(
        second_user, kind="diploma", file=ContentFile(b"%PDF-1.7\n", name="d.pdf"), content_type="application/pdf"
    )
    application = programmes.create_application(second_user, programme_id=programme.pk)
    with django_capture_on_commit_callbacks(execute=True):
        programmes.submit_application(second_user, application.pk)
    suspicion = DuplicateSuspicion.objects.get()
    assert {suspicion.profile_low_id, suspicion.profile_high_id} == {survivor.pk, duplicate.pk}
    assert suspicion.strength == "strong"
    assert suspicion.reasons == ["same_identity_document", "same_birth_date_and_name"]

    # Both applied to the programme and the duplicate's application is open: refused until it is decided.
    _refused(officer, suspicion, survivor, "applications", "same_programme")
    programmes.start_screening(officer, application.pk)
    programmes.reject_application(officer, application.pk, reason="Second application by the same person")
    consents_before = Consent.objects.filter(profile__in=[survivor, duplicate]).count()
    duplicate_notifications = Notification.objects.filter(recipient=second_user).count()

    with django_capture_on_commit_callbacks(execute=True):
        merge = services.merge_profiles(officer, suspicion.pk, survivor.pk)

    duplicate.refresh_from_db()
    second_user.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert duplicate.merged_at is not None
    # The rejected application cannot join the survivor's (one per programme): it stays, linked, and is counted.
    assert Application.objects.get(pk=application.pk).profile_id == duplicate.pk
    assert merge.kept == {"programmes.application": 1}
    assert Document.objects.filter(profile=survivor, kind="diploma").exists()
    assert not Document.objects.filter(profile=duplicate).exists()
    assert Consent.objects.filter(profile=survivor).count() == consents_before
    # The duplicate's consents for the same purposes were superseded: one active consent per purpose.
    assert Consent.objects.filter(profile=survivor, withdrawn_at__isnull=True).count() == 2
    assert merge.moved["candidates.consent.superseded"] == 2
    assert merge.account_outcome == "deactivated"
    assert not second_user.is_active
    assert not second_user.has_usable_password()
    assert Notification.objects.filter(recipient=second_user).count() == 0
    assert merge.moved.get("notifications.notification", 0) == duplicate_notifications
    suspicion.refresh_from_db()
    assert suspicion.status == SuspicionStatus.MERGED
    assert suspicion.decided_by == officer
    # Both chains have the merge, with ids and field names only; every chain still verifies.
    entries = AuditEntry.objects.filter(object_id=str(merge.pk), action__startswith="person.merged")
    assert {(e.chain, e.action) for e in entries} == {
        (chain_for_profile(duplicate), "person.merged_into"),
        (chain_for_profile(survivor), "person.merged"),
    }
    for entry in entries:
        assert "Okafor" not in str(entry.fields)
        assert "Окафор" not in str(entry.fields)
    assert audit.verify() == []
    verified = CliRunner().invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    # The merged person no longer takes part in detection; the survivor's case is untouched.
    assert detection.detect_duplicates(duplicate.pk) == []
    assert RelocationCase.objects.get(pk=case.pk).profile_id == survivor.pk


def test_a_survivor_without_account_takes_over_the_merged_login(make_person, make_user, officer):
    survivor = make_person(account=False, identity_documents=[PASSPORT])
    duplicate = make_person(identity_documents=[PASSPORT])
    login = duplicate.user
    merge = services.merge_profiles(officer, _suspect(survivor, duplicate).pk, survivor.pk)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    login.refresh_from_db()
    assert merge.account_outcome == "linked_to_survivor"
    assert survivor.user_id == login.pk
    assert duplicate.user_id is None
    assert login.is_active
    assert audit.verify() == []


def test_both_open_cases_are_refused(make_case, officer):
    first, _ = make_case(identity_documents=[PASSPORT])
    second, _ = make_case(identity_documents=[PASSPORT])
    suspicion = _suspect(first.profile, second.profile)
    _refused(officer, suspicion, first.profile, "cases", "both_open_cases")


def test_an_open_application_to_the_same_programme_is_refused(make_case, make_candidate, programme, officer):
    case, _ = make_case(identity_documents=[PASSPORT])
    user, duplicate = make_candidate(identity_documents=[PASSPORT])
    programmes.create_application(user, programme_id=programme.pk)
    suspicion = _suspect(case.profile, duplicate)
    _refused(officer, suspicion, case.profile, "applications", "same_programme")


def test_a_legal_hold_or_an_erased_person_is_refused(make_person, officer):
    survivor = make_person(identity_documents=[PASSPORT])
    duplicate = make_person(identity_documents=[PASSPORT])
    suspicion = _suspect(survivor, duplicate)
    hold = privacy.place_legal_hold(officer, duplicate.pk, "Investigation 4/2026")
    _refused(officer, suspicion, survivor, "profile", "legal_hold")
    privacy.release_legal_hold(officer, hold.pk)
    privacy.erase_person(officer, duplicate.pk)
    _refused(officer, suspicion, survivor, "profile", "erased")


def test_the_survivor_must_be_one_of_the_pair_and_the_suspicion_open(make_person, officer):
    survivor = make_person(identity_documents=[PASSPORT])
    duplicate = make_person(identity_documents=[PASSPORT])
    stranger = make_person(identity={"given_names_latin": "Anna", "date_of_birth": "1970-01-01"})
    suspicion = _suspect(survivor, duplicate)
    _refused(officer, suspicion, stranger, "survivor_id", "one_of_pair", ValidationFailed)
    services.dismiss_suspicion(officer, suspicion.pk, "Different people: checked the passports")
    _refused(officer, suspicion, survivor, "status", "not_open")


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.ANALYST, Role.AUTHORITY, Role.ADMINISTRATOR])
def test_only_officers_and_supervisors_merge_or_dismiss(make_person, make_user, role):
    survivor = make_person(identity_documents=[PASSPORT])
    duplicate = make_person(identity_documents=[PASSPORT])
    suspicion = _suspect(survivor, duplicate)
    _refused(make_user(role), suspicion, survivor, "", "role", PermissionRefused)
    with pytest.raises(PermissionRefused):
        services.dismiss_suspicion(make_user(role), suspicion.pk, "no")


def test_dismissal_needs_a_reason_and_is_audited_for_both(make_person, supervisor):
    survivor = make_person(identity_documents=[PASSPORT])
    duplicate = make_person(identity_documents=[PASSPORT])
    suspicion = _suspect(survivor, duplicate)
    for reason, rule in [("  ", "required"), ("x" * 501, "max_length")]:
        with pytest.raises(ValidationFailed) as refused:
            services.dismiss_suspicion(supervisor, suspicion.pk, reason)
        assert [(e.field, e.rule) for e in refused.value.errors] == [("reason", rule)]
    services.dismiss_suspicion(supervisor, suspicion.pk, "Father and son, same name")
    chains = set(
        AuditEntry.objects.filter(action="duplicate.dismissed", object_id=str(suspicion.pk)).values_list(
            "chain", flat=True
        )
    )
    assert chains == {chain_for_profile(survivor), chain_for_profile(duplicate)}
    with pytest.raises(NotFound):
        services.dismiss_suspicion(supervisor, 10_000, "gone")
