"""The documents and consents pages: upload with checks shown next to the file field, delete pending
ones, download one's own; give and withdraw consent per purpose with the version and history shown."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.consent_texts import CONSENT_TEXTS
from talentgate.candidates.models import Consent, Document
from talentgate.candidates.services import upload_own_document, verify_document
from talentgate.canonical import ConsentPurpose

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\nportal"
DOCUMENTS = reverse("portal:candidate:documents")
CONSENTS = reverse("portal:candidate:consents")


def _post_upload(client, name="cv.pdf", content=PDF, content_type="application/pdf", kind="cv", **extra):
    return client.post(
        DOCUMENTS, {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type), **extra}
    )


def test_upload_and_list(signed_in, with_profile):
    response = _post_upload(signed_in, expires_on="2030-01-01")
    assert response["Location"] == DOCUMENTS
    html = signed_in.get(DOCUMENTS).content.decode()
    assert "cv.pdf" in html
    assert "pending verification" in html
    assert Document.objects.get().expires_on.year == 2030


def test_a_bad_file_is_shown_next_to_the_file_field_and_nothing_stored(signed_in, with_profile):
    response = _post_upload(signed_in, name="cv.pdf", content=b"PK\x03\x04 zip", content_type="application/pdf")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in html
    assert "Only PDF, PNG and JPEG files are accepted" in html
    assert not Document.objects.exists()


def test_bad_dates_are_shown_next_to_their_field(signed_in, with_profile):
    html = _post_upload(signed_in, issued_on="2024-01-01", expires_on="2023-01-01").content.decode()
    assert 'id="id_expires_on_error"' in html
    assert not Document.objects.exists()


def test_the_upload_waits_for_a_profile(signed_in):
    html = signed_in.get(DOCUMENTS).content.decode()
    assert "Fill in your identity first" in html
    assert not Document.objects.exists()


def test_delete_and_download_own_documents(signed_in, candidate, with_profile, make_user):
    pending = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="cv.pdf"))
    decided = upload_own_document(candidate, kind="diploma", file=ContentFile(PDF, name="d.pdf"))
    verify_document(make_user(Role.OFFICER), decided)
    download = signed_in.get(reverse("portal:candidate:document_file", args=[pending.pk]))
    assert b"".join(download.streaming_content) == PDF
    html = signed_in.get(DOCUMENTS).content.decode()
    assert reverse("portal:candidate:delete_document", args=[pending.pk]) in html
    assert reverse("portal:candidate:delete_document", args=[decided.pk]) not in html
    signed_in.post(reverse("portal:candidate:delete_document", args=[pending.pk]))
    signed_in.post(reverse("portal:candidate:delete_document", args=[decided.pk]))
    assert list(Document.objects.values_list("pk", flat=True)) == [decided.pk]


def test_another_candidates_document_is_404(client, candidate, with_profile, make_user):
    document = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="cv.pdf"))
    client.force_login(make_user(Role.CANDIDATE))
    assert client.post(reverse("portal:candidate:delete_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("portal:candidate:document_file", args=[document.pk])).status_code == 404
    assert Document.objects.count() == 1


def test_give_and_withdraw_consent_with_version_and_history(signed_in, with_profile):
    version = CONSENT_TEXTS[ConsentPurpose.MATCHED_HOSTS].version
    html = signed_in.get(CONSENTS).content.decode()
    assert f"Text version {version}" in html
    assert "Not given." in html
    signed_in.post(reverse("portal:candidate:give_consent", args=["matched_hosts"]), {"version": version})
    assert Consent.objects.get().version == version
    signed_in.post(reverse("portal:candidate:withdraw_consent", args=["matched_hosts"]))
    assert Consent.objects.get().withdrawn_at is not None
    html = signed_in.get(CONSENTS).content.decode()
    assert "History" in html
    assert html.count("<td>matched hosts</td>") == 1


def test_an_outdated_version_is_refused(signed_in, with_profile):
    response = signed_in.post(
        reverse("portal:candidate:give_consent", args=["matched_hosts"]), {"version": "1999"}, follow=True
    )
    assert "The current text for &#x27;matched_hosts&#x27; is version" in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("url", [DOCUMENTS, CONSENTS])
def test_pages_render_in_russian(signed_in, with_profile, url):
    response = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
