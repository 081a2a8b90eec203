"""The candidates services a candidate's own pages and /me routes call: profile writes merged and
validated whole, upload checks (size, sniffed content, extension and declared type), deleting a
pending document, and the export of everything held."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from talentgate.accounts.roles import Role
from talentgate.candidates import selectors, services
from talentgate.candidates.models import Document, Profile
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
IDENTITY = {"given_names_latin": "Lin", "date_of_birth": "1992-02-29", "sex": "male"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def candidate(make_user):
    user = make_user(Role.CANDIDATE)
    services.save_own_profile(user, {"identity": IDENTITY})
    return user


def _upload(candidate, content=PDF, name="file.pdf", content_type="application/pdf", **extra):
    return services.upload_own_document(
        candidate, kind="diploma", file=ContentFile(content, name=name), content_type=content_type, **extra
    )


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "a.pdf", "application/pdf"),
        (PNG, "b.PNG", "image/png"),
        (JPEG, "c.jpeg", "image/jpg"),
        (PDF, "d.pdf", None),
    ],
)
def test_pdf_png_and_jpeg_are_accepted(candidate, content, name, content_type):
    document = _upload(candidate, content, name, content_type)
    assert (document.status, document.file_name) == ("pending", name)


@pytest.mark.parametrize(
    ("content", "name", "content_type", "rules"),
    [
        (b"", "a.pdf", "application/pdf", ["empty"]),
        (b"MZ\x90\x00 executable", "a.pdf", "application/pdf", ["content_type"]),
        (b"<html>", "a.html", "text/html", ["content_type"]),
        (PDF, "a.png", "application/pdf", ["extension_mismatch"]),
        (PNG, "a.png", "application/pdf", ["content_type_mismatch"]),
        (JPEG, "a.pdf", "image/png", ["extension_mismatch", "content_type_mismatch"]),
    ],
)
def test_bad_files_are_refused_naming_the_rule_and_nothing_is_stored(candidate, content, name, content_type, rules):
    with pytest.raises(ValidationFailed) as caught:
        _upload(candidate, content, name, content_type)
    assert [(e.field, e.rule) for e in caught.value.errors] == [("file", rule) for rule in rules]
    assert not Document.objects.exists()


def test_the_size_limit_comes_from_the_settings(candidate, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationFailed) as caught:
        _upload(candidate, PDF + b"x" * 20)
    assert caught.value.errors[0].rule == "max_size"


def test_file_and_date_problems_are_reported_together(candidate):
    import datetime

    with pytest.raises(ValidationFailed) as caught:
        _upload(
            candidate,
            b"nope",
            issued_on=datetime.date(2024, 1, 1),
            expires_on=datetime.date(2023, 1, 1),
        )
    assert [(e.field, e.rule) for e in caught.value.errors] == [
        ("file", "content_type"),
        ("expires_on", "end_before_start"),
    ]


def test_uploading_needs_a_profile_and_the_candidate_role(make_user):
    with pytest.raises(Conflict):
        _upload(make_user(Role.CANDIDATE))
    with pytest.raises(PermissionRefused):
        _upload(make_user(Role.OFFICER))


def test_deleting_a_pending_document_removes_row_and_file_after_commit(candidate, django_capture_on_commit_callbacks):
    document = _upload(candidate)
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_own_document(candidate, document.pk)
    assert not Document.objects.exists()
    import os

    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="document.deleted", object_id=str(document.pk)).exists()


def test_a_decided_or_someone_elses_document_is_not_deleted(candidate, make_user):
    document = _upload(candidate)
    other = make_user(Role.CANDIDATE)
    with pytest.raises(NotFound):
        services.delete_own_document(other, document.pk)
    services.verify_document(make_user(Role.OFFICER), document)
    with pytest.raises(Conflict) as caught:
        services.delete_own_document(candidate, document.pk)
    assert caught.value.errors[0].rule == "not_pending"
    assert Document.objects.count() == 1


def test_sections_not_written_stay_as_stored(candidate):
    services.save_own_profile(candidate, {"skills": [{"phrase": "GNC"}]}, sections=["skills"])
    services.save_own_profile(candidate, {"patents": [{"title": "Nozzle", "year": 2020}]}, sections=["patents"])
    profile = selectors.to_canonical(Profile.objects.get(user=candidate))
    assert [s.phrase for s in profile.skills] == ["GNC"]
    assert profile.identity.given_names_latin == "Lin"


def test_the_export_holds_everything(candidate):
    _upload(candidate)
    profile = Profile.objects.get(user=candidate)
    services.give_consent(candidate, profile, "matched_hosts", "1")
    services.withdraw_consent(candidate, profile, "matched_hosts")
    data = selectors.personal_data_for(candidate)
    assert data["account"]["email"] == candidate.email
    assert data["profile"]["identity"]["given_names_latin"] == "Lin"
    assert [d["kind"] for d in data["documents"]] == ["diploma"]
    assert data["consents"][0]["withdrawn_at"] is not None
    assert data["applications"] == []
    assert data["offers"] == []
