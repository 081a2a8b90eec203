"""A case document's file is checked like a profile document's: size limit and type by content; nothing saved."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from talentgate.cases import services
from talentgate.cases.models import CaseDocument
from talentgate.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db

#: The start of a Windows executable (the "MZ" header with a PE stub), renamed to look like a PDF.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


def test_a_renamed_executable_is_refused_naming_the_field_and_what_it_is(make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, candidate = make_case()
    with pytest.raises(ValidationFailed) as caught:
        services.add_document(candidate, case.pk, kind="passport", file=ContentFile(EXECUTABLE, name="passport.pdf"))
    [error] = caught.value.errors
    assert (error.field, error.rule) == ("file", "content_type")
    assert "application/x-msdownload" in error.message
    assert not CaseDocument.objects.filter(case=case).exists()
    assert list(tmp_path.rglob("*.pdf")) == []


def test_an_oversize_file_is_refused_with_the_limit(make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1_000_000
    case, candidate = make_case()
    big = ContentFile(b"%PDF-1.7\n" + b"0" * 1_100_000, name="passport.pdf")
    with pytest.raises(ValidationFailed) as caught:
        services.add_document(candidate, case.pk, kind="passport", file=big)
    [error] = caught.value.errors
    assert (error.field, error.rule) == ("file", "max_size")
    assert error.message == "The file is 1.1 MB; files may be at most 1.0 MB."
    assert not CaseDocument.objects.filter(case=case).exists()


def test_a_real_pdf_is_kept(make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, candidate = make_case()
    document = services.add_document(
        candidate, case.pk, kind="passport", file=ContentFile(b"%PDF-1.7\n%%EOF", name="passport.pdf")
    )
    assert document.file.read().startswith(b"%PDF-")
