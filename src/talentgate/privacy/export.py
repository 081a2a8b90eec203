"""Export of everything held about one person: a JSON document and a readable PDF of the same content.

The document walks the person's profile and every record that points at it (profile parts, documents'
metadata, consents with history, applications with their histories and assessments, offers, cases
with transitions, decisions, requests, messages, permits), then the account, its notifications, the
privacy records (holds, erasure requests) and the audit entries about the person. Values come
decrypted for the person themself; for staff, encrypted values (identity and permit numbers) stay
masked. Files are listed by name, never embedded.

:func:`export_for` is the access-checked entry point: a candidate exports only their own data;
programme staff export anyone's, and every staff export is audited in the person's chain.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape  # nosec B406  # only escapes text for reportlab's markup; nothing parses XML

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import chain_for_profile
from talentgate.common import audit
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.crypto import EncryptedCharField, EncryptedTextField, mask
from talentgate.common.errors import NotFound
from talentgate.common.models import AuditEntry
from talentgate.notifications.models import Notification

#: Account fields never exported: secrets, not personal data about the person.
ACCOUNT_FIELDS_LEFT_OUT = frozenset({"password"})
#: Derived lookup columns never exported: the blind index is a keyed hash of a document number (with the key,
#: numbers could be tested against it) and the search key only repeats the names.
DERIVED_FIELDS_LEFT_OUT = frozenset({"number_blind_index", "name_search_key"})
#: How deep the walk from the profile goes (profile -> case -> transition); deeper rows are about other things.
DEPTH = 2


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, *, unmasked: bool, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One record's own columns (foreign keys as ids), encrypted ones decrypted or masked."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in leave_out or field.name in DERIVED_FIELDS_LEFT_OUT:
            continue
        value = getattr(obj, field.name if isinstance(field, models.FileField) else field.attname)
        if isinstance(field, EncryptedCharField | EncryptedTextField) and not unmasked:
            value = mask(value)
        row[field.attname] = _plain(value)
    return row


def _related_lists(obj: models.Model, *, unmasked: bool, depth: int, came_from: type | None) -> dict[str, Any]:
    """Every one-to-many list pointing at ``obj`` (the way back excluded), each row with its own lists."""
    lists: dict[str, Any] = {}
    for relation in obj._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one) or relation.related_model is came_from:
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        if relation.one_to_one:
            related = getattr(obj, accessor, None) if hasattr(obj, accessor) else None
            items = [related] if related is not None else []
        else:
            items = list(getattr(obj, accessor).all().order_by("pk"))
        if not items:
            continue
        rows = []
        for item in items:
            row = _row(item, unmasked=unmasked)
            if depth > 1:
                row.update(_related_lists(item, unmasked=unmasked, depth=depth - 1, came_from=type(obj)))
            rows.append(row)
        lists[f"{items[0]._meta.label_lower}:{accessor}"] = rows
    return lists


def audit_entries_about(profile: Profile) -> models.QuerySet[AuditEntry]:
    """Audit entries in the person's chain, their cases' chains, or naming their profile or account."""
    chains = {chain_for_profile(profile), f"profile:{profile.pk}"}
    chains.update(audit.chain_for_case(pk) for pk in profile.cases.values_list("pk", flat=True))
    about = Q(chain__in=chains) | Q(object_type="candidates.profile", object_id=str(profile.pk))
    if profile.user_id:
        about |= Q(object_type=get_user_model()._meta.label_lower, object_id=str(profile.user_id))
    return AuditEntry.objects.filter(about).order_by("chain", "seq", "pk")


def build_export(profile: Profile, *, unmasked: bool) -> dict[str, Any]:
    """The whole export of one person as a JSON-ready dict (see the module docstring)."""
    user = profile.user
    account = None
    notifications: list[dict[str, Any]] = []
    if user is not None:
        account = _row(user, unmasked=unmasked, leave_out=ACCOUNT_FIELDS_LEFT_OUT)
        account.pop("is_superuser", None)
        notifications = [_row(n, unmasked=unmasked) for n in user.notifications.order_by("created_at", "pk")]
    return {
        "format": "talentgate.personal-data/1",
        "generated_at": timezone.now().isoformat(),
        "person": {"profile_id": profile.pk, "external_id": profile.external_id, "user_id": profile.user_id},
        "account": account,
        "profile": _row(profile, unmasked=unmasked),
        "records": _related_lists(profile, unmasked=unmasked, depth=DEPTH, came_from=None),
        "notifications": notifications,
        "audit_entries": [_row(entry, unmasked=unmasked) for entry in audit_entries_about(profile)],
    }


def _profile_for(actor: Any, profile_id: int | None) -> tuple[Profile, bool]:
    """The profile ``actor`` may export and whether values come unmasked (only for the person themself)."""
    if role_of(actor) is Role.CANDIDATE:
        profile = Profile.objects.filter(user=actor).first()
        if profile is None or (profile_id is not None and profile.pk != profile_id):
            raise NotFound("profile")
        return profile, True
    if is_programme_staff(actor):
        profile = Profile.objects.filter(pk=profile_id).first() if profile_id is not None else None
        if profile is None:
            raise NotFound("profile")
        return profile, False
    raise NotFound("profile")


def export_for(actor: Any, profile_id: int | None = None) -> dict[str, Any]:
    """The export of ``profile_id`` (a candidate: their own, ``profile_id`` may be left out), audited as
    ``personal_data.exported`` in the person's chain. Anyone else's profile: ``NotFound``."""
    profile, unmasked = _profile_for(actor, profile_id)
    with transaction.atomic():
        audit.record(
            actor,
            "personal_data.exported",
            profile,
            chain=chain_for_profile(profile),
            reason="" if unmasked else "staff export",
        )
    return build_export(profile, unmasked=unmasked)


def export_json(document: dict[str, Any]) -> bytes:
    """The export as UTF-8 JSON (non-ASCII kept readable)."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode()


def _list_heading(key: str) -> tuple[str, type[models.Model] | None]:
    """A list's heading in the reader's language (the model's plural name) and its model, from the JSON key
    ``"<app>.<model>:<accessor>"``; the key itself when it names no model."""
    label = key.partition(":")[0]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return key, None
    return capfirst(str(model._meta.verbose_name_plural)), model


def _field_line(model: type[models.Model] | None, key: str, value: Any) -> tuple[str, str]:
    """``(label, value)`` of one exported column for people: the field's name in the reader's language and a
    stored choice by its label; the JSON keeps the column names and codes (it is the machine-readable copy)."""
    field = next((f for f in model._meta.concrete_fields if f.attname == key), None) if model else None
    label = capfirst(str(field.verbose_name)) if field is not None else key
    if value is None:
        return label, "—"
    if field is not None and field.choices:
        return label, str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return label, gettext("yes") if value else gettext("no")
    return label, json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def export_pdf(document: dict[str, Any]) -> bytes:
    """The export as a readable PDF in DejaVu Sans (Latin and Cyrillic): one section per kind of record,
    each record as a list of field: value lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from talentgate.cases import letters

    letters._register_fonts()  # the decision letters' font setup, shared so both render alike
    body = ParagraphStyle("body", fontName=letters.FONT_NAME, fontSize=8.5, leading=11)
    head = ParagraphStyle("head", fontName=letters.BOLD_FONT_NAME, fontSize=12, leading=16, spaceBefore=8)
    sub = ParagraphStyle("sub", fontName=letters.BOLD_FONT_NAME, fontSize=9.5, leading=13, spaceBefore=4)
    story: list[Any] = [
        Paragraph(escape(gettext("Personal data held about %(id)s") % {"id": document["person"]["external_id"]}), head),
        Paragraph(escape(gettext("Generated at %(at)s") % {"at": document["generated_at"]}), body),
    ]

    def record(title: str, row: dict[str, Any], model: type[models.Model] | None) -> None:
        story.append(Paragraph(escape(title), sub))
        for key, value in row.items():
            if isinstance(value, list) and all(isinstance(item, dict) for item in value) and value:
                list_title, list_model = _list_heading(key)
                for index, item in enumerate(value, 1):
                    record(f"{title} / {list_title} {index}", item, list_model)
                continue
            label, shown = _field_line(model, key, value)
            story.append(Paragraph(f"{escape(label)}: {escape(shown)}", body))

    if document["account"]:
        story.append(Paragraph(escape(gettext("Account")), head))
        record(gettext("Account"), document["account"], get_user_model())
    story.append(Paragraph(escape(gettext("Profile")), head))
    record(gettext("Profile"), document["profile"], Profile)
    for key, rows in document["records"].items():
        name, model = _list_heading(key)
        story.append(Paragraph(escape(name), head))
        for index, row in enumerate(rows, 1):
            record(f"{name} {index}", row, model)
    sections = (
        (gettext("Notifications"), "notifications", Notification),
        (gettext("Audit entries"), "audit_entries", AuditEntry),
    )
    for title, key, section_model in sections:
        story.append(Paragraph(escape(title), head))
        for index, row in enumerate(document[key], 1):
            record(f"{title} {index}", row, section_model)
    story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm).build(story)
    return buffer.getvalue()
