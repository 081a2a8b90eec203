"""A competition entry's attachment: at most DOCUMENT_MAX_UPLOAD_BYTES, a PDF by content; nothing saved otherwise."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentgate.common.errors import ValidationFailed
from talentgate.competitions.models import Submission

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


def test_a_renamed_executable_is_refused_saying_what_it_is(competition):
    c = competition()
    with pytest.raises(ValidationFailed) as caught:
        c.submit(attachment=SimpleUploadedFile("paper.pdf", EXECUTABLE, content_type="application/pdf"))
    [error] = caught.value.errors
    assert (error.field, error.rule) == ("attachment", "type")
    assert error.message == "Attach a PDF file (.pdf). By its content this file is application/x-msdownload."
    assert Submission.objects.count() == 0


def test_an_oversize_attachment_is_refused_with_the_setting_s_limit(competition, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 2_000_000
    c = competition()
    big = SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n" + b"0" * 2_100_000, content_type="application/pdf")
    with pytest.raises(ValidationFailed) as caught:
        c.submit(attachment=big)
    [error] = caught.value.errors
    assert (error.field, error.rule, error.message) == ("attachment", "size", "The attachment may be at most 2.0 MB.")
    assert Submission.objects.count() == 0
