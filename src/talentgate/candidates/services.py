"""Every write to candidate profiles: save/import from the canonical format, consent, documents.

Each service is atomic and appends an audit entry (field *names* only) to the person's chain:
``person:<user id>`` when the profile has an account, else ``profile:<profile pk>``.

Imports replace a profile's lists wholesale, except two kinds of record that are never
deleted by an import: documents (evidence; matched by kind and file name, new ones added)
and consents (history; matched by purpose, version and time given, new ones added, an
active consent superseded by a newer active one is withdrawn at the newer one's time).
"""

from __future__ import annotations

import copy
import os
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import filetype
from django.conf import settings
from django.core.files import File
from django.db import connections, router, transaction
from django.db import models as dj_models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from pydantic import ValidationError

from talentgate import canonical
from talentgate.accounts.roles import Role
from talentgate.candidates import canonical_mapping as mapping
from talentgate.candidates import selectors as _selectors
from talentgate.candidates.errors import validation_failed
from talentgate.candidates.models import Consent, Document, Education, Profile
from talentgate.candidates.signals import profiles_saved
from talentgate.common import audit
from talentgate.common.access import is_programme_staff, require_role, role_of
from talentgate.common.crypto import mask
from talentgate.common.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionRefused,
    TransitionRefused,
    ValidationFailed,
)

IMPORT_CHUNK_SIZE = 500

NewRows = dict[type[dj_models.Model], list[dict[str, Any]]]


def chain_for_profile(profile: Profile) -> str:
    """The audit chain of the person a profile belongs to."""
    return audit.chain_for_person(profile.user_id) if profile.user_id else f"profile:{profile.pk}"


@dataclass
class ImportSummary:
    """External ids created and updated by one import."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _is_own(actor: Any, profile: Profile) -> bool:
    return actor is not None and profile.user_id is not None and profile.user_id == actor.pk


def _require_may_edit(actor: Any, profile: Profile) -> None:
    # Someone who may not see the profile is told it does not exist (404, never 403).
    if actor is not None and not is_programme_staff(actor) and not _is_own(actor, profile):
        raise NotFound("profile")


def _written_sections(profile: canonical.CandidateProfile) -> list[str]:
    names = ["identity"]
    for name in canonical.CandidateProfile.model_fields:
        if name not in {"format_version", "id", "identity"} and getattr(profile, name) not in (None, [], {}):
            names.append(name)
    return names


def import_profiles(
    actor: Any,
    profiles: Sequence[canonical.CandidateProfile],
    *,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = IMPORT_CHUNK_SIZE,
) -> ImportSummary:
    """Create or update many validated profiles in one transaction (bulk inserts per table).

    ``actor`` is ``None`` for the system (the command line) or programme staff. Ids that
    exist are updated. ``on_progress(n)`` is called after each chunk of ``n`` profiles.
    """
    if actor is not None and not is_programme_staff(actor):
        raise PermissionRefused(gettext("Only programme staff may import profiles."), rule="role")
    summary = ImportSummary()
    with transaction.atomic():
        for start in range(0, len(profiles), chunk_size):
            chunk = profiles[start : start + chunk_size]
            _import_chunk(actor, chunk, summary, trusted=True, owner=None)
            if on_progress is not None:
                on_progress(len(chunk))
    return summary


def save_profile(actor: Any, profile: canonical.CandidateProfile) -> tuple[Profile, bool]:
    """Create or update one profile from the canonical format; return it and whether it was created.

    A candidate may only create their own (first) profile or update it. From a candidate's
    payload, verification states (education ``verified``, document ``status``) and
    ``consents`` are ignored: only officers verify, and consent is given or withdrawn
    through ``give_consent``/``withdraw_consent`` at the time it happens.
    """
    existing = Profile.objects.filter(external_id=profile.id).first()
    owner = None
    if existing is not None:
        _require_may_edit(actor, existing)
    elif role_of(actor) is Role.CANDIDATE:
        if Profile.objects.filter(user=actor).exists():
            raise Conflict(
                "id", "profile_exists", gettext("You already have a profile; update it instead of creating another.")
            )
        owner = actor
    elif actor is not None and not is_programme_staff(actor):
        raise PermissionRefused(gettext("Only candidates and programme staff may create profiles."), rule="role")
    summary = ImportSummary()
    with transaction.atomic():
        _import_chunk(actor, [profile], summary, trusted=is_programme_staff(actor) or actor is None, owner=owner)
    return Profile.objects.get(external_id=profile.id), bool(summary.created)


def _import_chunk(
    actor: Any, chunk: Sequence[canonical.CandidateProfile], summary: ImportSummary, *, trusted: bool, owner: Any
) -> None:
    existing = {p.external_id: p for p in Profile.objects.filter(external_id__in=[c.id for c in chunk])}
    now = timezone.now()
    created: list[tuple[canonical.CandidateProfile, Profile]] = []
    changed: list[tuple[canonical.CandidateProfile, Profile]] = []
    for item in chunk:
        columns = mapping.profile_columns(item)
        row = existing.get(item.id)
        if row is None:
            created.append((item, Profile(external_id=item.id, user=owner, **columns)))
        else:
            for name, value in columns.items():
                setattr(row, name, value)
            row.updated_at = now
            changed.append((item, row))
    Profile.objects.bulk_create([row for _, row in created])
    if changed:
        _update_rows(Profile, [row for _, row in changed], [*mapping.PROFILE_COLUMNS, "updated_at"])
    changed_ids = [row.pk for _, row in changed]

    verified_before = _verified_education(changed_ids) if not trusted else {}
    if changed_ids:
        for section in mapping.REPLACED_SECTIONS:
            section.model._default_manager.filter(profile_id__in=changed_ids).delete()

    new_rows: NewRows = defaultdict(list)
    for item, row in (*created, *changed):
        for section in mapping.REPLACED_SECTIONS:
            for part in getattr(item, section.name):
                values = mapping.part_values(section, row.pk, part)
                if section.model is Education and not trusted:
                    values["verified"] = _education_key(part) in verified_before.get(row.pk, set())
                new_rows[section.model].append(values)
    for item, row in created:
        new_rows[Document].extend(_new_document(row.pk, doc, trusted) for doc in item.documents)
        if trusted:
            new_rows[Consent].extend(mapping.part_values(mapping.CONSENTS, row.pk, c) for c in item.consents)
    if changed:
        _merge_documents(changed, new_rows, trusted)
        if trusted:
            _merge_consents(changed, new_rows)
    for model, rows in new_rows.items():
        _insert_rows(model, rows)

    _record_profile_writes(
        actor,
        [("profile.created", row, _written_sections(item)) for item, row in created]
        + [("profile.updated", row, _written_sections(item)) for item, row in changed],
    )
    summary.created.extend(item.id for item, _ in created)
    summary.updated.extend(item.id for item, _ in changed)
    profiles_saved.send(Profile, profile_ids=[row.pk for _, row in (*created, *changed)], actor=actor)


def _record_profile_writes(actor: Any, events: list[tuple[str, Profile, list[str]]]) -> None:
    """Append one audit entry per written profile to each person's chain, for a whole chunk at once."""
    audit.record_many(
        actor, [audit.AuditEvent(action, row, chain_for_profile(row), fields) for action, row, fields in events]
    )


# Columns whose Python value both SQLite and psycopg take as is; every other field is
# converted by its own get_db_prep_save (encryption, JSON, dates, decimals, files).
_PASS_THROUGH_FIELDS = (
    dj_models.CharField,
    dj_models.IntegerField,
    dj_models.PositiveSmallIntegerField,
    dj_models.FloatField,
    dj_models.BooleanField,
    dj_models.ForeignKey,
)


def _insert_rows(model: type[dj_models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert child rows (column values by attribute name) with one prepared statement (``executemany``).

    Equivalent to ``bulk_create`` for rows whose keys are not needed afterwards, without
    building model instances or compiling one multi-row INSERT per batch (which dominated
    bulk imports). Missing columns take the field default (``auto_now_add``: now).
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    plans: list[tuple[str, Any, Callable[[Any], Any] | None]] = []
    for f in fields:
        default = now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else f.get_default()
        convert = None if type(f) in _PASS_THROUGH_FIELDS else partial(f.get_db_prep_save, connection=connection)
        plans.append((f.attname, default, convert))
    params = [
        [
            value if convert is None else convert(value)
            for attname, default, convert in plans
            for value in (row.get(attname, default),)
        ]
        for row in rows
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # quoted names of our own model; values are parameters
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _update_rows(model: type[dj_models.Model], rows: Sequence[dj_models.Model], names: list[str]) -> None:
    """Write ``names`` of existing rows with one prepared UPDATE (``executemany``).

    ``bulk_update`` builds one CASE expression per column over the whole batch, whose
    compilation cost grows with batch size x columns; a prepared statement does not.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if f.name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # nosec B608  # quoted names of our own model; values are parameters
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _education_key(part: canonical.Education) -> tuple[Any, ...]:
    return (part.level, part.field_code or "", part.field_name, part.institution, part.country, part.graduation_year)


def _verified_education(profile_ids: list[int]) -> dict[int, set[tuple[Any, ...]]]:
    keys: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    for row in Education.objects.filter(profile_id__in=profile_ids, verified=True):
        keys[row.profile_id].add(
            (row.level, row.field_code, row.field_name, row.institution, row.country, row.graduation_year)
        )
    return keys


def _new_document(profile_id: int, meta: canonical.DocumentMeta, trusted: bool) -> dict[str, Any]:
    values = mapping.part_values(mapping.DOCUMENTS, profile_id, meta)
    if not trusted:
        values.update(status=canonical.VerificationStatus.PENDING.value, rejection_reason="")
    return values


def _merge_documents(
    changed: list[tuple[canonical.CandidateProfile, Profile]],
    new_rows: NewRows,
    trusted: bool,
) -> None:
    stored: dict[tuple[int, str, str], Document] = {}
    for doc in Document.objects.filter(profile_id__in=[row.pk for _, row in changed]):
        stored.setdefault((doc.profile_id, doc.kind, doc.file_name), doc)
    to_update: list[Document] = []
    for item, row in changed:
        for meta in item.documents:
            match = stored.get((row.pk, meta.kind.value, meta.file_name))
            if match is None:
                new_rows[Document].append(_new_document(row.pk, meta, trusted))
            elif (match.issued_on, match.expires_on) != (meta.issued_on, meta.expires_on):
                # Verification state is left alone: only verify_document/reject_document change it.
                match.issued_on, match.expires_on = meta.issued_on, meta.expires_on
                to_update.append(match)
    if to_update:
        _update_rows(Document, to_update, ["issued_on", "expires_on"])


def _merge_consents(
    changed: list[tuple[canonical.CandidateProfile, Profile]],
    new_rows: NewRows,
) -> None:
    by_profile: dict[int, list[Consent]] = defaultdict(list)
    for consent in Consent.objects.filter(profile_id__in=[row.pk for _, row in changed]):
        by_profile[consent.profile_id].append(consent)
    to_update: dict[int, Consent] = {}
    for item, row in changed:
        stored = {(c.purpose, c.version, c.given_at): c for c in by_profile[row.pk]}
        active = {c.purpose: c for c in by_profile[row.pk] if c.withdrawn_at is None}
        for given in item.consents:
            purpose = given.purpose.value
            match = stored.get((purpose, given.version, given.given_at))
            if match is not None:
                if given.withdrawn_at is not None and match.withdrawn_at is None:
                    match.withdrawn_at = given.withdrawn_at
                    to_update[match.pk] = match
                    active.pop(purpose, None)
                continue
            if given.withdrawn_at is None and purpose in active:
                superseded = active.pop(purpose)
                superseded.withdrawn_at = max(given.given_at, superseded.given_at)
                to_update[superseded.pk] = superseded
            # The canonical format allows one active consent per purpose, so a new active
            # row never needs superseding within the same import.
            new_rows[Consent].append(mapping.part_values(mapping.CONSENTS, row.pk, given))
    if to_update:
        _update_rows(Consent, list(to_update.values()), ["withdrawn_at"])


# ---------------------------------------------------------------------------- consent


#: A document's verification state (and an officer's decision) as a word in a refusal; the English
#: word is the state's value, other languages translate it under the context "document status".
_DOCUMENT_STATUS_WORDS = {
    "pending": pgettext_lazy("document status", "pending"),
    "verified": pgettext_lazy("document status", "verified"),
    "rejected": pgettext_lazy("document status", "rejected"),
}


def _document_status_word(status: str) -> str:
    return str(_DOCUMENT_STATUS_WORDS.get(status, status))


def give_consent(actor: Any, profile: Profile, purpose: str, version: str) -> Consent:
    """The candidate consents to ``purpose`` under text ``version``; an older active version is withdrawn now."""
    if not _is_own(actor, profile):
        raise NotFound("profile")
    try:
        checked = canonical.Consent(purpose=purpose, version=version, given_at=timezone.now())  # type: ignore[arg-type]
    except ValidationError as error:
        raise validation_failed(error) from None
    with transaction.atomic():
        current = (
            Consent.objects.select_for_update().filter(profile=profile, purpose=purpose, withdrawn_at=None).first()
        )
        if current is not None and current.version == checked.version:
            raise Conflict(
                "version",
                "already_given",
                gettext("Consent for '%(purpose)s' version %(version)s is already given.")
                % {"purpose": purpose, "version": version},
            )
        if current is not None:
            current.withdrawn_at = checked.given_at
            current.save(update_fields=["withdrawn_at"])
            audit.record(
                actor,
                "consent.withdrawn",
                current,
                chain=chain_for_profile(profile),
                fields=["withdrawn_at"],
                reason="superseded by a newer version",
            )
        consent = Consent.objects.create(
            profile=profile, purpose=checked.purpose.value, version=checked.version, given_at=checked.given_at
        )
        audit.record(
            actor, "consent.given", consent, chain=chain_for_profile(profile), fields=["purpose", "version", "given_at"]
        )
    return consent


def withdraw_consent(actor: Any, profile: Profile, purpose: str) -> Consent:
    """The candidate withdraws the active consent for ``purpose`` (the row stays, with ``withdrawn_at`` set)."""
    if not _is_own(actor, profile):
        raise NotFound("profile")
    with transaction.atomic():
        current = (
            Consent.objects.select_for_update().filter(profile=profile, purpose=purpose, withdrawn_at=None).first()
        )
        if current is None:
            raise Conflict(
                "purpose",
                "not_given",
                gettext("There is no active consent for '%(purpose)s' to withdraw.") % {"purpose": purpose},
            )
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
        audit.record(actor, "consent.withdrawn", current, chain=chain_for_profile(profile), fields=["withdrawn_at"])
    return current


# ---------------------------------------------------------------------------- documents


def add_document(
    actor: Any,
    profile: Profile,
    *,
    kind: str,
    file: File,
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> Document:
    """Store an uploaded document (through Django's storage) for verification; it starts ``pending``."""
    _require_may_edit(actor, profile)
    file_name = os.path.basename(file.name or "")
    try:
        meta = canonical.DocumentMeta(kind=kind, file_name=file_name, issued_on=issued_on, expires_on=expires_on)  # type: ignore[arg-type]
    except ValidationError as error:
        raise validation_failed(error) from None
    with transaction.atomic():
        document = Document(
            profile=profile,
            kind=meta.kind.value,
            file_name=meta.file_name,
            issued_on=meta.issued_on,
            expires_on=meta.expires_on,
        )
        document.file.save(file_name or "document", file, save=False)
        document.save()
        audit.record(
            actor,
            "document.added",
            document,
            chain=chain_for_profile(profile),
            fields=["kind", "file", "issued_on", "expires_on"],
        )
    return document


def _decide_document(actor: Any, document: Document, status: str, reason: str) -> Document:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("profile").get(pk=document.pk)
        if _is_own(actor, locked.profile):
            raise PermissionRefused(gettext("Nobody verifies their own documents."), rule="own_document")
        if locked.status != canonical.VerificationStatus.PENDING.value:
            raise TransitionRefused(
                status,
                "status_pending",
                gettext("Only a pending document can be %(decision)s; this one is %(status)s.")
                % {"decision": _document_status_word(status), "status": _document_status_word(locked.status)},
            )
        locked.status, locked.rejection_reason = status, reason
        locked.verified_by, locked.verified_at = actor, timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
        audit.record(
            actor,
            f"document.{status}",
            locked,
            chain=chain_for_profile(locked.profile),
            fields=["status", "rejection_reason", "verified_by", "verified_at"]
            if reason
            else ["status", "verified_by", "verified_at"],
        )
    return locked


def verify_document(actor: Any, document: Document) -> Document:
    """An officer confirms a pending document."""
    return _decide_document(actor, document, canonical.VerificationStatus.VERIFIED.value, "")


def reject_document(actor: Any, document: Document, reason: str) -> Document:
    """An officer rejects a pending document, saying why (the candidate sees the reason)."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed.single("rejection_reason", "missing", gettext("Say why the document is rejected."))
    if len(reason) > 500:
        raise ValidationFailed.single(
            "rejection_reason", "string_too_long", gettext("The reason must be at most 500 characters.")
        )
    return _decide_document(actor, document, canonical.VerificationStatus.REJECTED.value, reason)


# ---------------------------------------------------------------------------- self-service (the candidate's own)
#
# What the portal's profile wizard and the API's /me routes call. The whole merged profile is
# validated by the canonical model on every write, so a rule that spans sections (a degree
# before the minimum age, a test before birth) holds however the profile is edited, and every
# error names its canonical path (``education[0].graduation_year``).

# Sections a candidate never writes through their profile: documents are uploaded one by one
# (``upload_own_document``) and consent is given and withdrawn at the time (``give_consent``).
NOT_FROM_CANDIDATE_PAYLOAD = ("documents", "consents")
# The character ``common.crypto.mask`` shows in place of hidden ones; real document numbers never hold it.
MASK_CHARACTER = "•"


def new_profile_external_id() -> str:
    """A fresh external id for a candidate's self-made profile (random: it must reveal nothing)."""
    return f"cand-{secrets.token_hex(8)}"


def _restore_masked_numbers(data: dict[str, Any], stored: list[dict[str, Any]]) -> list[FieldError]:
    """Identity document numbers are shown masked; a masked number sent back keeps the stored one it masks."""
    problems: list[FieldError] = []
    documents = data.get("identity_documents")
    if not isinstance(documents, list):
        return problems
    for index, document in enumerate(documents):
        number = document.get("number") if isinstance(document, dict) else None
        if not isinstance(number, str) or MASK_CHARACTER not in number:
            continue
        candidates = [s for s in stored if mask(s["number"]) == number]
        # Prefer the stored document of the same kind when two numbers happen to mask alike.
        match = next(
            (s for s in candidates if s["kind"] == document.get("kind")), candidates[0] if candidates else None
        )
        if match is None:
            problems.append(
                FieldError(
                    f"identity_documents[{index}].number",
                    "masked",
                    gettext("Type the whole number: the masked number sent matches none of your stored documents."),
                )
            )
        else:
            document["number"] = match["number"]
    return problems


def check_own_profile(
    actor: Any, data: Mapping[str, Any], *, sections: Iterable[str] | None = None
) -> tuple[canonical.CandidateProfile, Profile | None]:
    """The canonical profile the candidate's write would store, validated; nothing is saved.

    ``data`` holds canonical top-level keys; ``sections`` names the keys taken from it (``None``:
    the whole profile), the others stay as stored. A first write must include ``identity``.
    Refusals are ``ValidationFailed`` whose fields are canonical paths.
    """
    require_role(actor, Role.CANDIDATE)
    profile = Profile.objects.filter(user=actor).first()
    current: dict[str, Any] = {}
    if profile is not None:
        current = _selectors.to_canonical(profile).model_dump(mode="json")
    names = list(data) if sections is None else [name for name in sections if name in data]
    if profile is None and "identity" not in names:
        raise ValidationFailed.single(
            "identity", "missing", gettext("Fill in your identity first: a profile starts with it.")
        )
    given_id = data.get("id") if sections is None else None
    own_id = profile.external_id if profile is not None else None
    if given_id and own_id and given_id != own_id:
        raise ValidationFailed.single(
            "id",
            "own_profile",
            gettext("Your profile's id is '%(id)s'; send that id or leave it out.") % {"id": own_id},
        )
    merged = {key: value for key, value in current.items() if key not in NOT_FROM_CANDIDATE_PAYLOAD}
    merged.update({name: copy.deepcopy(data[name]) for name in names if name not in NOT_FROM_CANDIDATE_PAYLOAD})
    merged["id"] = own_id or given_id or new_profile_external_id()
    problems = _restore_masked_numbers(merged, current.get("identity_documents", []))
    if problems:
        raise ValidationFailed(problems)
    try:
        return canonical.CandidateProfile.model_validate(merged), profile
    except ValidationError as error:
        raise validation_failed(error) from None


def save_own_profile(actor: Any, data: Mapping[str, Any], *, sections: Iterable[str] | None = None) -> Profile:
    """The candidate writes sections of their own profile (or all of it); see :func:`check_own_profile`."""
    checked, _existing = check_own_profile(actor, data, sections=sections)
    profile, _created = save_profile(actor, checked)
    return profile


#: Accepted upload types: content type -> (file extensions, leading bytes the content must start with).
UPLOAD_TYPES: dict[str, tuple[tuple[str, ...], bytes]] = {
    "application/pdf": ((".pdf",), b"%PDF-"),
    "image/png": ((".png",), b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
}
# Names some browsers and tools use for the same types.
_CONTENT_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf": "application/pdf"}


#: Bytes read from the start of a file to tell its type (enough for every signature ``filetype`` knows).
SNIFF_BYTES = 262


def detected_content_type(head: bytes) -> str | None:
    """The type the content is by its leading bytes (``filetype``: executables, archives, images...), or ``None``."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def sniff_content_type(head: bytes) -> str | None:
    """The accepted content type whose signature ``head`` starts with, or ``None``."""
    return next((kind for kind, (_ext, magic) in UPLOAD_TYPES.items() if head.startswith(magic)), None)


def upload_problems(file: File, declared_content_type: str | None) -> list[FieldError]:
    """What is wrong with an uploaded file: size (``settings.DOCUMENT_MAX_UPLOAD_BYTES``), content and names.

    The content must be PDF, PNG or JPEG by its leading bytes, whatever it claims; the
    file name's extension and the declared content type (when given) must agree with it.
    """
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    size = file.size or 0
    if size == 0:
        return [FieldError("file", "empty", gettext("The file is empty; choose the document's file."))]
    if size > limit:
        return [
            FieldError(
                "file",
                "max_size",
                gettext("The file is %(size).1f MB; files may be at most %(limit).1f MB.")
                % {"size": size / 1e6, "limit": limit / 1e6},
            )
        ]
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    head = head if isinstance(head, bytes) else head.encode()
    sniffed = sniff_content_type(head)
    if sniffed is None:
        detected = detected_content_type(head)
        message = (
            gettext("Only PDF, PNG and JPEG files are accepted; by its content this file is %(detected)s.")
            % {"detected": detected}
            if detected
            else gettext("Only PDF, PNG and JPEG files are accepted; this file is none of them.")
        )
        return [FieldError("file", "content_type", message)]
    extension = os.path.splitext(file.name or "")[1].lower()
    extensions = UPLOAD_TYPES[sniffed][0]
    problems = []
    if extension not in extensions:
        problems.append(
            FieldError(
                "file",
                "extension_mismatch",
                gettext(
                    "The file's content is %(content)s but its name ends in '%(extension)s'; name it with %(allowed)s."
                )
                % {
                    "content": sniffed,
                    "extension": extension or gettext("(nothing)"),
                    "allowed": gettext(" or ").join(extensions),
                },
            )
        )
    declared = (declared_content_type or "").split(";")[0].strip().lower()
    declared = _CONTENT_TYPE_ALIASES.get(declared, declared)
    # A client that does not know the type sends application/octet-stream (or nothing): the content decides.
    if declared and declared != "application/octet-stream" and declared != sniffed:
        problems.append(
            FieldError(
                "file",
                "content_type_mismatch",
                gettext("The file was sent as %(declared)s but its content is %(content)s.")
                % {"declared": declared, "content": sniffed},
            )
        )
    return problems


def upload_own_document(
    actor: Any,
    *,
    kind: str,
    file: File,
    content_type: str | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> Document:
    """The candidate uploads a document to their own profile, checked by :func:`upload_problems` first.

    Every problem (file, kind, dates) is reported at once and nothing is stored when there is one.
    """
    require_role(actor, Role.CANDIDATE)
    profile = Profile.objects.filter(user=actor).first()
    if profile is None:
        raise Conflict("profile", "missing", gettext("Fill in your identity first: documents belong to a profile."))
    problems = upload_problems(file, content_type)
    try:
        canonical.DocumentMeta(kind=kind, issued_on=issued_on, expires_on=expires_on)  # type: ignore[arg-type]
    except ValidationError as error:
        problems.extend(validation_failed(error).errors)
    if problems:
        raise ValidationFailed(problems)
    return add_document(actor, profile, kind=kind, file=file, issued_on=issued_on, expires_on=expires_on)


def delete_own_document(actor: Any, document_id: int) -> None:
    """The candidate deletes one of their own documents while it is still pending (a decided one is evidence)."""
    require_role(actor, Role.CANDIDATE)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update()
            .select_related("profile")
            .filter(pk=document_id, profile__user=actor)
            .first()
        )
        if document is None:
            raise NotFound("document")
        if document.status != canonical.VerificationStatus.PENDING.value:
            raise Conflict(
                "status",
                "not_pending",
                gettext("Only a pending document can be deleted; this one is %(status)s.")
                % {"status": _document_status_word(document.status)},
            )
        audit.record(actor, "document.deleted", document, chain=chain_for_profile(document.profile), fields=["file"])
        storage, name = document.file.storage, document.file.name
        document.delete()
        if name:
            # The file goes only once the row is gone for good, never for a rolled-back delete.
            transaction.on_commit(lambda: storage.delete(name))
