"""Profile writes: save/import from the canonical format, consent, documents; encryption at rest; audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from talentgate.accounts.roles import Role
from talentgate.candidates import selectors, services
from talentgate.candidates.models import Consent, Document, Education, IdentityDocument, Profile
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def canonical(index: int = 0, **changes) -> CandidateProfile:
    data = example_profile(index)
    data.update(changes)
    return CandidateProfile.model_validate(data)


def test_import_then_export_gives_the_same_canonical_profile():
    originals = [canonical(i) for i in range(3)]
    summary = services.import_profiles(None, originals)
    assert summary.created == ["example-0000", "example-0001", "example-0002"]
    exported = list(selectors.canonical_profiles(Profile.objects.all()))
    assert [p.model_dump(mode="json") for p in exported] == [p.model_dump(mode="json") for p in originals]


def test_export_does_one_query_per_table_not_per_profile(django_assert_max_num_queries):
    services.import_profiles(None, [canonical(i) for i in range(20)])
    # 1 id list + 1 profile batch + 12 child tables
    with django_assert_max_num_queries(14):
        assert len(list(selectors.canonical_profiles(Profile.objects.all()))) == 20


def test_import_of_existing_id_updates_and_replaces_lists():
    services.import_profiles(None, [canonical(0)])
    changed = example_profile(0)
    changed["identity"]["family_name_latin"] = "Nurlanova"
    changed["skills"] = [{"phrase": "orbital mechanics"}]
    summary = services.import_profiles(None, [CandidateProfile.model_validate(changed)])
    assert summary.updated == ["example-0000"]
    assert summary.created == []
    exported = selectors.to_canonical(Profile.objects.get(external_id="example-0000"))
    assert exported.identity.family_name_latin == "Nurlanova"
    assert [s.phrase for s in exported.skills] == ["orbital mechanics"]
    assert Profile.objects.count() == 1


def test_reimport_keeps_consent_history_and_documents():
    services.import_profiles(None, [canonical(0)])
    data = example_profile(0)
    data["documents"], data["consents"] = (
        [],
        [{"purpose": "matched_hosts", "version": "3", "given_at": "2025-06-01T00:00:00Z"}],
    )
    services.import_profiles(None, [CandidateProfile.model_validate(data)])
    consents = list(Consent.objects.order_by("id").values_list("purpose", "version", "withdrawn_at"))
    assert len(consents) == 4
    active = [(p, v) for p, v, withdrawn in consents if withdrawn is None]
    assert sorted(active) == [("anonymised_analytics", "1"), ("matched_hosts", "3")]
    assert Document.objects.count() == 2


def test_passport_number_is_encrypted_in_the_database():
    services.import_profiles(None, [canonical(7)])
    document = IdentityDocument.objects.get()
    assert document.number == "N00000007"
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM candidates_identitydocument WHERE id = %s", [document.pk])
        raw = cursor.fetchone()[0]
    assert "N00000007" not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token


def test_import_writes_one_audit_entry_per_profile_with_field_names_only():
    services.import_profiles(None, [canonical(1)])
    profile = Profile.objects.get()
    entry = AuditEntry.objects.get(object_type="candidates.profile", object_id=str(profile.pk))
    assert entry.chain == f"profile:{profile.pk}"
    assert entry.action == "profile.created"
    assert "identity" in entry.fields
    assert "language_tests" in entry.fields
    assert "Seitkali" not in str(entry.fields)
    assert "N00000001" not in str(entry.fields)


def test_import_by_a_candidate_is_refused(make_user):
    with pytest.raises(PermissionRefused):
        services.import_profiles(make_user(Role.CANDIDATE), [canonical(0)])
    assert Profile.objects.count() == 0


def test_candidate_creates_own_profile_but_cannot_self_verify(make_user):
    candidate = make_user(Role.CANDIDATE)
    profile, created = services.save_profile(candidate, canonical(0))
    assert created
    assert profile.user == candidate
    assert not Education.objects.filter(verified=True).exists()
    assert set(Document.objects.values_list("status", flat=True)) == {"pending"}
    assert not Consent.objects.exists()  # consent is given through give_consent, at the time
    entry = AuditEntry.objects.get(action="profile.created")
    assert entry.chain == f"person:{candidate.pk}"


def test_candidate_cannot_create_a_second_profile_or_overwrite_anothers(make_user):
    candidate, other = make_user(Role.CANDIDATE), make_user(Role.CANDIDATE)
    services.save_profile(candidate, canonical(0))
    with pytest.raises(Conflict):
        services.save_profile(candidate, canonical(1))
    with pytest.raises(NotFound):
        services.save_profile(other, canonical(0))
    assert Profile.objects.count() == 1


def test_candidate_update_keeps_verification_made_by_officers(make_user):
    candidate = make_user(Role.CANDIDATE)
    services.save_profile(candidate, canonical(0))
    Education.objects.filter(level=6).update(verified=True)  # as an officer would have
    services.save_profile(candidate, canonical(0))
    assert list(Education.objects.order_by("id").values_list("level", "verified")) == [(6, True), (8, False)]


def _own_profile(make_user):
    candidate = make_user(Role.CANDIDATE)
    data = example_profile(0)
    data["consents"], data["documents"] = [], []
    profile, _ = services.save_profile(candidate, CandidateProfile.model_validate(data))
    return candidate, profile


def test_give_new_consent_version_withdraws_the_old_one(make_user):
    candidate, profile = _own_profile(make_user)
    first = services.give_consent(candidate, profile, "matched_hosts", "1")
    second = services.give_consent(candidate, profile, "matched_hosts", "2")
    first.refresh_from_db()
    assert first.withdrawn_at == second.given_at
    with pytest.raises(Conflict) as caught:
        services.give_consent(candidate, profile, "matched_hosts", "2")
    assert caught.value.errors[0].rule == "already_given"


def test_withdraw_consent_keeps_the_row(make_user):
    candidate, profile = _own_profile(make_user)
    services.give_consent(candidate, profile, "authority_handoff", "1")
    withdrawn = services.withdraw_consent(candidate, profile, "authority_handoff")
    assert withdrawn.withdrawn_at is not None
    assert Consent.objects.filter(profile=profile).count() == 1
    with pytest.raises(Conflict):
        services.withdraw_consent(candidate, profile, "authority_handoff")


def test_unknown_consent_purpose_names_field_and_rule(make_user):
    candidate, profile = _own_profile(make_user)
    with pytest.raises(ValidationFailed) as caught:
        services.give_consent(candidate, profile, "marketing", "1")
    assert [(e.field, e.rule) for e in caught.value.errors] == [("purpose", "enum")]
    assert not Consent.objects.exists()


def test_nobody_else_gives_consent_for_a_candidate(make_user):
    _, profile = _own_profile(make_user)
    with pytest.raises(NotFound):
        services.give_consent(make_user(Role.OFFICER), profile, "matched_hosts", "1")


def test_document_upload_and_officer_verification(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate, profile = _own_profile(make_user)
    officer = make_user(Role.OFFICER)
    document = services.add_document(
        candidate, profile, kind="diploma", file=ContentFile(b"%PDF-1.4", name="diploma.pdf")
    )
    assert document.status == "pending"
    assert document.file_name == "diploma.pdf"
    assert document.file.read() == b"%PDF-1.4"
    with pytest.raises(PermissionRefused):
        services.verify_document(candidate, document)
    verified = services.verify_document(officer, document)
    assert (verified.status, verified.verified_by) == ("verified", officer)
    with pytest.raises(TransitionRefused):
        services.reject_document(officer, verified, "too late")


def test_rejection_needs_a_reason(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate, profile = _own_profile(make_user)
    document = services.add_document(candidate, profile, kind="cv", file=ContentFile(b"cv", name="cv.txt"))
    with pytest.raises(ValidationFailed) as caught:
        services.reject_document(make_user(Role.OFFICER), document, "  ")
    assert caught.value.errors[0].field == "rejection_reason"
    rejected = services.reject_document(make_user(Role.SUPERVISOR), document, "Expired")
    assert (rejected.status, rejected.rejection_reason) == ("rejected", "Expired")


def test_bad_document_dates_are_refused_and_nothing_stored(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    candidate, profile = _own_profile(make_user)
    with pytest.raises(ValidationFailed) as caught:
        services.add_document(
            candidate,
            profile,
            kind="passport",
            file=ContentFile(b"x", name="p.pdf"),
            issued_on=datetime.date(2024, 1, 1),
            expires_on=datetime.date(2023, 1, 1),
        )
    assert [(e.field, e.rule) for e in caught.value.errors] == [("expires_on", "end_before_start")]
    assert not Document.objects.exists()


def test_database_refuses_a_second_active_consent():
    from django.db import IntegrityError, transaction

    services.import_profiles(None, [canonical(0)])
    profile = Profile.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            profile=profile, purpose="anonymised_analytics", version="9", given_at=profile.created_at
        )


def test_profile_with_edits_outside_services_fails_export_with_its_path():
    services.import_profiles(None, [canonical(0)])
    Education.objects.filter(level=6).update(graduation_year=1950)
    with pytest.raises(ValidationFailed) as caught:
        selectors.to_canonical(Profile.objects.get())
    assert caught.value.errors[0].field == "profile example-0000.education[0].graduation_year"


def test_batched_import_audit_entries_extend_each_chain_and_verify(make_user):
    from talentgate.common import audit

    candidate = make_user(Role.CANDIDATE)
    services.save_profile(candidate, canonical(0))
    services.give_consent(candidate, Profile.objects.get(), "authority_handoff", "1")
    services.import_profiles(None, [canonical(0), canonical(1)])
    services.import_profiles(None, [canonical(1)])
    owned = Profile.objects.get(external_id="example-0000")
    unowned = Profile.objects.get(external_id="example-0001")
    assert list(AuditEntry.objects.filter(chain=f"person:{candidate.pk}").values_list("seq", "action")) == [
        (1, "profile.created"),
        (2, "consent.given"),
        (3, "profile.updated"),
    ]
    assert list(AuditEntry.objects.filter(chain=f"profile:{unowned.pk}").values_list("seq", "action")) == [
        (1, "profile.created"),
        (2, "profile.updated"),
    ]
    assert services.chain_for_profile(owned) == f"person:{candidate.pk}"
    assert audit.verify() == []
    AuditEntry.objects.filter(chain=f"profile:{unowned.pk}", seq=2).update(action="profile.deleted")
    assert [b.chain for b in audit.verify()] == [f"profile:{unowned.pk}"]
