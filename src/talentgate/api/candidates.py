"""API routes of the candidates domain: a profile by id, and the signed-in candidate's own profile,
documents, consents and personal-data export (the same services as the portal's candidate pages)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ConfigDict
from pydantic import Field as PydanticField
from pydantic import ValidationError as PydanticValidationError

from talentgate import canonical
from talentgate.accounts.roles import Role
from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.candidates import selectors, services
from talentgate.candidates.consent_texts import CONSENT_TEXTS, check_current_version
from talentgate.candidates.models import Consent, Profile
from talentgate.canonical import ConsentPurpose, DocumentKind, VerificationStatus
from talentgate.common.access import require_role
from talentgate.common.crypto import mask
from talentgate.common.errors import DomainError, FieldError, NotFound, ValidationFailed

router = Router(tags=["candidates"])


class ProfileOut(Schema):
    external_id: str
    given_names_latin: str
    family_name_latin: str
    date_of_birth: IsoDate
    created_at: datetime
    updated_at: datetime


@router.get(
    "/profiles/{external_id}",
    response={200: ProfileOut, **error_responses(401, 404, 422)},
    summary="Get a profile",
)
def get_profile(request: HttpRequest, external_id: str) -> Profile:
    """One profile by its external id: the candidate's own, or any for programme staff; otherwise 404."""
    return selectors.get_profile_for(actor_of(request), external_id)


# ---------------------------------------------------------------------------- the signed-in candidate's own
# The same services as the portal's candidate pages. Paths in errors are dotted with list
# positions as numbers (``education.0.graduation_year``), as everywhere in the API.


@contextmanager
def _api_paths() -> Iterator[None]:
    """Rewrite the candidates services' paths (``education[0].year``) into the API's form (``education.0.year``)."""
    try:
        yield
    except DomainError as error:
        for item in error.errors:
            item.field = re.sub(r"\[(\d+)\]", r".\1", item.field)
        raise


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    for document in data.get("identity_documents", []):
        document["number"] = mask(document["number"])
    return data


class ProfileIn(canonical.CandidateProfile):
    """The whole canonical profile as its candidate writes it.

    ``id`` may be left out (a first write gets a fresh one). ``documents`` and ``consents``
    are ignored: upload documents and give consents through their own routes. An identity
    document number sent back masked, as ``GET`` shows it, keeps the stored number.
    """

    id: str | None = PydanticField(default=None, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")  # type: ignore[assignment]


class ProfilePatch(Schema):
    """Any of the profile's sections; each one given replaces that section, the others stay as stored."""

    model_config = ConfigDict(extra="forbid")

    identity: canonical.Identity | None = None
    identity_documents: list[canonical.IdentityDocument] | None = None
    education: list[canonical.Education] | None = None
    work_history: list[canonical.Employment] | None = None
    skills: list[canonical.Skill] | None = None
    language_tests: list[canonical.LanguageTestResult] | None = None
    publications: list[canonical.Publication] | None = None
    patents: list[canonical.Patent] | None = None
    h_index: int | None = PydanticField(default=None, ge=0, le=500)
    achievements: list[canonical.Achievement] | None = None
    salary_offers: list[canonical.SalaryOffer] | None = None
    family: list[canonical.FamilyMember] | None = None
    extensions: dict[str, str | int | float | bool | None] | None = None


def _profile_out(profile: Profile) -> dict[str, Any]:
    return _masked(selectors.to_canonical(profile).model_dump(mode="json"))


@router.get(
    "/me/profile",
    response={200: canonical.CandidateProfile, **error_responses(401, 403, 404)},
    summary="Get my profile",
)
def get_my_profile(request: HttpRequest) -> dict[str, Any]:
    """The signed-in candidate's whole canonical profile (identity document numbers masked); 404 before the first save."""
    return _profile_out(selectors.get_own_profile(actor_of(request)))


@router.put(
    "/me/profile",
    response={
        200: canonical.CandidateProfile,
        201: canonical.CandidateProfile,
        **error_responses(400, 401, 403, 409, 422),
    },
    summary="Replace my profile",
)
def replace_my_profile(request: HttpRequest, payload: ProfileIn) -> Status:
    """Write the whole profile (sections left out are emptied); 201 when it creates the profile.

    Every canonical rule applies, across sections too; each error names the exact path.
    """
    actor = actor_of(request)
    created = selectors.own_profile(actor) is None
    with _api_paths():
        profile = services.save_own_profile(actor, payload.model_dump(mode="json", exclude={"format_version"}))
    return Status(201 if created else 200, _profile_out(profile))


@router.patch(
    "/me/profile",
    response={
        200: canonical.CandidateProfile,
        201: canonical.CandidateProfile,
        **error_responses(400, 401, 403, 409, 422),
    },
    summary="Update sections of my profile",
)
def update_my_profile(request: HttpRequest, payload: ProfilePatch) -> Status:
    """Replace only the sections given (a first write must include ``identity``); the rules apply to the whole result."""
    actor = actor_of(request)
    created = selectors.own_profile(actor) is None
    data = payload.model_dump(mode="json", exclude_unset=True)
    with _api_paths():
        profile = services.save_own_profile(actor, data, sections=list(data))
    return Status(201 if created else 200, _profile_out(profile))


# ---------------------------------------------------------------------------- documents


class ProfileDocumentOut(Schema):
    id: int
    kind: str
    file_name: str
    issued_on: IsoDate | None
    expires_on: IsoDate | None
    status: str = PydanticField(description="pending, verified or rejected.")
    rejection_reason: str
    uploaded_at: datetime
    verified_at: datetime | None


class DocumentJsonIn(Schema):
    """A document sent as JSON, for clients that cannot send multipart: the file's bytes in base64."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    file_name: str = PydanticField(min_length=1, max_length=255)
    content_base64: str
    content_type: str | None = None
    issued_on: IsoDate | None = None
    expires_on: IsoDate | None = None


_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "enum": [k.value for k in canonical.DocumentKind]},
                        "file": {"type": "string", "format": "binary", "description": "PDF, PNG or JPEG."},
                        "issued_on": {"type": "string", "format": "date"},
                        "expires_on": {"type": "string", "format": "date"},
                    },
                }
            },
            "application/json": {"schema": DocumentJsonIn.model_json_schema()},
        }
    }
}


def _json_upload(request: HttpRequest) -> tuple[dict[str, Any], ContentFile[bytes], str | None]:
    try:
        body = DocumentJsonIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        raise ValidationFailed(
            [FieldError(".".join(str(p) for p in e["loc"]), e["type"], e["msg"]) for e in error.errors()]
        ) from None
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.single("content_base64", "base64", "Send the file's bytes base64-encoded.") from None
    meta = {"kind": body.kind, "issued_on": body.issued_on, "expires_on": body.expires_on}
    return meta, ContentFile(content, name=body.file_name), body.content_type


class DocumentFilters(Schema):
    status: VerificationStatus | None = None
    kind: DocumentKind | None = None


class DocumentPage(Schema):
    items: list[ProfileDocumentOut]
    count: int = PydanticField(description="How many items there are in all pages together.")
    limit: int
    offset: int


@router.get(
    "/me/documents",
    response={200: DocumentPage, **error_responses(401, 403, 422)},
    summary="List my documents",
)
def list_my_documents(
    request: HttpRequest, filters: Query[DocumentFilters], page: Query[LimitOffsetPage.Input]
) -> dict[str, Any]:
    """The signed-in candidate's documents, newest first, optionally only one status or kind."""
    # Paginated by hand rather than with @paginate: ninja resolves the decorated view's postponed
    # annotations (this module uses `from __future__ import annotations`) in its own module, where
    # the filter schema's name is unknown.
    documents = selectors.own_documents(actor_of(request))
    if filters.status is not None:
        documents = documents.filter(status=filters.status.value)
    if filters.kind is not None:
        documents = documents.filter(kind=filters.kind.value)
    return LimitOffsetPage().paginate_queryset(documents, page, request)


@router.post(
    "/me/documents",
    response={201: ProfileDocumentOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Upload a document",
    openapi_extra=_UPLOAD_BODY,
)
def upload_document(
    request: HttpRequest,
    kind: Form[str | None] = None,
    file: File[UploadedFile | None] = None,
    issued_on: Form[IsoDate | None] = None,
    expires_on: Form[IsoDate | None] = None,
) -> Status:
    """Upload a document (multipart, or JSON with the bytes in base64) to the signed-in candidate's profile.

    Refused (400, field ``file``) when empty, over the size limit, not PDF/PNG/JPEG by its
    content, or when its name or declared type disagrees with its content; nothing is stored then.
    """
    actor = actor_of(request)
    require_role(actor, Role.CANDIDATE)
    content_type: str | None
    upload: Any
    if (request.content_type or "").startswith("application/json"):
        meta, upload, content_type = _json_upload(request)
    else:
        if file is None:
            raise ValidationFailed.single("file", "required", "Attach the document's file.")
        meta, upload, content_type = (
            {"kind": kind or "", "issued_on": issued_on, "expires_on": expires_on},
            file,
            file.content_type,
        )
    document = services.upload_own_document(actor, file=upload, content_type=content_type, **meta)
    return Status(201, document)


@router.delete(
    "/me/documents/{document_id}",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    summary="Delete a pending document",
)
def delete_document(request: HttpRequest, document_id: int) -> Status:
    """Delete one of the signed-in candidate's pending documents; someone else's is answered 404, a decided one 409."""
    services.delete_own_document(actor_of(request), document_id)
    return Status(204, None)


@router.get(
    "/me/documents/{document_id}/file",
    response={200: None, **error_responses(401, 403, 404, 422)},
    summary="Download a document's file",
    openapi_extra={
        "responses": {"200": {"description": "The file as uploaded.", "content": {"application/octet-stream": {}}}}
    },
)
def download_document(request: HttpRequest, document_id: int) -> FileResponse:
    """The file of one of the signed-in candidate's documents."""
    document = selectors.get_own_document(actor_of(request), document_id)
    if not document.file:
        raise NotFound("file")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "document")


# ---------------------------------------------------------------------------- consents


class ConsentOut(Schema):
    purpose: str
    version: str
    given_at: datetime
    withdrawn_at: datetime | None


class ConsentPurposeOut(Schema):
    purpose: str
    title: str
    text: str = PydanticField(description="The text consented to, in the response language.")
    current_version: str
    active: ConsentOut | None = PydanticField(
        description="The consent now in force, if any (it may be to an older version)."
    )


class ConsentsOut(Schema):
    purposes: list[ConsentPurposeOut]
    history: list[ConsentOut] = PydanticField(description="Every consent given, withdrawn ones included, oldest first.")


class ConsentIn(Schema):
    purpose: canonical.ConsentPurpose
    version: str = PydanticField(description="The version of the text the person read: it must be the current one.")


@router.get("/me/consents", response={200: ConsentsOut, **error_responses(401, 403)}, summary="My consents")
def list_my_consents(request: HttpRequest) -> dict[str, Any]:
    """Each purpose with its current text and version and the consent in force, plus the whole history."""
    history = list(selectors.own_consents(actor_of(request)))
    purposes = []
    for purpose, text in CONSENT_TEXTS.items():
        active = next((c for c in history if c.purpose == purpose.value and c.withdrawn_at is None), None)
        purposes.append(
            {
                "purpose": purpose.value,
                "title": str(text.title),
                "text": str(text.text),
                "current_version": text.version,
                "active": active,
            }
        )
    return {"purposes": purposes, "history": history}


@router.post(
    "/me/consents",
    response={201: ConsentOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Give a consent",
)
def give_consent(request: HttpRequest, payload: ConsentIn) -> Status:
    """Consent to the current text of a purpose (an older version in force is withdrawn now); 409 if already given."""
    actor = actor_of(request)
    text = check_current_version(payload.purpose.value, payload.version)
    consent = services.give_consent(actor, selectors.get_own_profile(actor), text.purpose.value, text.version)
    return Status(201, consent)


@router.delete(
    "/me/consents/{purpose}",
    response={200: ConsentOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Withdraw a consent",
)
def withdraw_consent(request: HttpRequest, purpose: ConsentPurpose) -> Consent:
    """Withdraw the consent in force for a purpose; the record stays in the history with the time withdrawn."""
    actor = actor_of(request)
    return services.withdraw_consent(actor, selectors.get_own_profile(actor), purpose.value)


# ---------------------------------------------------------------------------- everything held


@router.get("/me/data", response={200: dict[str, Any], **error_responses(401, 403)}, summary="Everything held about me")
def export_my_data(request: HttpRequest) -> dict[str, Any]:
    """Account, profile (numbers in full: it is the person's own copy), documents, consents with history,
    applications with history and offers, as the portal's "my data" download."""
    return {"exported_at": timezone.now().isoformat(), **selectors.personal_data_for(actor_of(request))}
