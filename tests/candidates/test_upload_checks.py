"""A candidate's upload is judged by its content: a renamed executable is named for what it is; nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from talentgate.accounts.roles import Role
from talentgate.candidates import services
from talentgate.candidates.models import Document
from talentgate.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 300


@pytest.fixture
def candidate(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user(Role.CANDIDATE)
    services.save_own_profile(
        user, {"identity": {"given_names_latin": "Lin", "date_of_birth": "1992-02-29", "sex": "male"}}
    )
    return user


@pytest.mark.parametrize(
    ("content", "detected"), [(EXECUTABLE, "application/x-msdownload"), (ELF, "application/x-executable")]
)
def test_a_renamed_executable_is_refused_naming_the_field_the_rule_and_what_it_is(candidate, content, detected):
    with pytest.raises(ValidationFailed) as caught:
        services.upload_own_document(
            candidate, kind="diploma", file=ContentFile(content, name="diploma.pdf"), content_type="application/pdf"
        )
    [error] = caught.value.errors
    assert (error.field, error.rule) == ("file", "content_type")
    assert error.message == f"Only PDF, PNG and JPEG files are accepted; by its content this file is {detected}."
    assert not Document.objects.exists()


def test_unknown_content_is_refused_plainly(candidate):
    with pytest.raises(ValidationFailed) as caught:
        services.upload_own_document(candidate, kind="diploma", file=ContentFile(b"just text", name="diploma.pdf"))
    assert caught.value.errors[0].message == "Only PDF, PNG and JPEG files are accepted; this file is none of them."


def test_an_oversize_file_is_refused_with_the_setting_s_limit(candidate, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1_000_000
    with pytest.raises(ValidationFailed) as caught:
        services.upload_own_document(
            candidate, kind="diploma", file=ContentFile(b"%PDF-1.7\n" + b"0" * 1_200_000, name="diploma.pdf")
        )
    [error] = caught.value.errors
    assert (error.field, error.rule) == ("file", "max_size")
    assert error.message == "The file is 1.2 MB; files may be at most 1.0 MB."
    assert not Document.objects.exists()
