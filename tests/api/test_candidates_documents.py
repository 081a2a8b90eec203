"""/api/candidates/me/documents: list (paginated, filtered), upload (multipart or JSON), download, delete."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Document
from talentgate.candidates.services import save_own_profile, upload_own_document, verify_document

pytestmark = pytest.mark.django_db

URL = "/api/candidates/me/documents"
PDF = b"%PDF-1.4\nhello"
IDENTITY = {"given_names_latin": "Ana", "date_of_birth": "1990-01-01", "sex": "female"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def candidate(make_user):
    user = make_user(Role.CANDIDATE)
    save_own_profile(user, {"identity": IDENTITY})
    return user


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate)
    return client


def _multipart(client, name="diploma.pdf", content=PDF, content_type="application/pdf", **fields):
    data = {"kind": "diploma", "file": SimpleUploadedFile(name, content, content_type=content_type), **fields}
    return client.post(URL, data)


def test_multipart_upload_then_list_and_download(candidate_client):
    response = _multipart(candidate_client, issued_on="2020-06-30")
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["file_name"], body["status"], body["issued_on"]) == (
        "diploma",
        "diploma.pdf",
        "pending",
        "2020-06-30",
    )
    listing = candidate_client.get(URL).json()
    assert (listing["count"], listing["items"][0]["id"]) == (1, body["id"])
    download = candidate_client.get(f"{URL}/{body['id']}/file")
    assert b"".join(download.streaming_content) == PDF


def test_json_upload_with_base64(candidate_client):
    response = candidate_client.post(
        URL,
        {"kind": "cv", "file_name": "cv.pdf", "content_base64": base64.b64encode(PDF).decode()},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Document.objects.get().file.read() == PDF


def test_bad_base64_is_named(candidate_client):
    response = candidate_client.post(
        URL, {"kind": "cv", "file_name": "cv.pdf", "content_base64": "***"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "content_base64"


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_stored(candidate_client):
    response = _multipart(candidate_client, name="photo.jpg", content=b"GIF89a....", content_type="image/jpeg")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert response.json()["errors"][0]["rule"] == "content_type"
    assert not Document.objects.exists()


def test_an_unknown_kind_is_named(candidate_client):
    response = _multipart(candidate_client, kind="selfie")
    assert response.status_code == 400
    assert [(e["field"], e["rule"]) for e in response.json()["errors"]] == [("kind", "enum")]
    assert not Document.objects.exists()


def test_missing_file_is_named(candidate_client):
    response = candidate_client.post(URL, {"kind": "cv"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_filters_and_pagination(candidate_client, candidate, make_user):
    from django.core.files.base import ContentFile

    first = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="a.pdf"))
    upload_own_document(candidate, kind="diploma", file=ContentFile(PDF, name="b.pdf"))
    verify_document(make_user(Role.OFFICER), first)
    assert [d["kind"] for d in candidate_client.get(URL, {"status": "verified"}).json()["items"]] == ["cv"]
    assert [d["kind"] for d in candidate_client.get(URL, {"kind": "diploma"}).json()["items"]] == ["diploma"]
    page = candidate_client.get(URL, {"limit": 1, "offset": 1}).json()
    assert (page["count"], len(page["items"]), page["limit"], page["offset"]) == (2, 1, 1, 1)
    assert candidate_client.get(URL, {"status": "lost"}).status_code == 422


def test_delete_pending_only(candidate_client, candidate, make_user):
    from django.core.files.base import ContentFile

    pending = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="a.pdf"))
    decided = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="b.pdf"))
    verify_document(make_user(Role.OFFICER), decided)
    assert candidate_client.delete(f"{URL}/{pending.pk}").status_code == 204
    refused = candidate_client.delete(f"{URL}/{decided.pk}")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "not_pending"
    assert list(Document.objects.values_list("pk", flat=True)) == [decided.pk]


def test_another_candidates_document_is_404_and_untouched(client, candidate, make_user):
    from django.core.files.base import ContentFile

    document = upload_own_document(candidate, kind="cv", file=ContentFile(PDF, name="a.pdf"))
    client.force_login(make_user(Role.CANDIDATE))
    assert client.delete(f"{URL}/{document.pk}").status_code == 404
    assert client.get(f"{URL}/{document.pk}/file").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert Document.objects.count() == 1


def test_anonymous_and_other_roles_are_refused(client, make_user):
    assert _multipart(client).status_code == 401
    client.force_login(make_user(Role.HOST_STAFF))
    assert _multipart(client).status_code == 403
    assert client.get(URL).status_code == 403
    assert not Document.objects.exists()
