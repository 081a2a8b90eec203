"""How the canonical profile's sections map onto the candidates tables, in both directions.

One table per list section; column names equal canonical field names, so the mapping is
generic: enums become their values, optional text ``None`` becomes ``""`` in a column and
back. ``FamilyMember`` keeps the member's education, language tests and work history as
canonical JSON in ``career``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db import models as dj_models
from pydantic import BaseModel

from talentgate import canonical
from talentgate.candidates import identity_keys, models

FAMILY_CAREER_SECTIONS = ("education", "language_tests", "work_history")


@dataclass(frozen=True)
class Section:
    """A list section of the canonical profile and the table holding it."""

    name: str
    model: type[dj_models.Model]
    item: type[BaseModel]

    @property
    def columns(self) -> list[str]:
        return [name for name in self.item.model_fields if name not in FAMILY_CAREER_SECTIONS]


# Sections an import replaces wholesale; documents and consents are merged (evidence and consent history are kept).
REPLACED_SECTIONS = (
    Section("identity_documents", models.IdentityDocument, canonical.IdentityDocument),
    Section("education", models.Education, canonical.Education),
    Section("work_history", models.Employment, canonical.Employment),
    Section("skills", models.Skill, canonical.Skill),
    Section("language_tests", models.LanguageTestResult, canonical.LanguageTestResult),
    Section("publications", models.Publication, canonical.Publication),
    Section("patents", models.Patent, canonical.Patent),
    Section("achievements", models.Achievement, canonical.Achievement),
    Section("salary_offers", models.SalaryOffer, canonical.SalaryOffer),
    Section("family", models.FamilyMember, canonical.FamilyMember),
)
DOCUMENTS = Section("documents", models.Document, canonical.DocumentMeta)
CONSENTS = Section("consents", models.Consent, canonical.Consent)
ALL_SECTIONS = (*REPLACED_SECTIONS, DOCUMENTS, CONSENTS)

PROFILE_COLUMNS = [
    "given_names_latin",
    "family_name_latin",
    "given_names_native",
    "family_name_native",
    "date_of_birth",
    "sex",
    "citizenships",
    "residence_country",
    "email",
    "phone",
    "h_index",
    "extensions",
    "name_search_key",
]


def _column_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return "" if value is None else value


def profile_columns(profile: canonical.CandidateProfile) -> dict[str, Any]:
    """The ``Profile`` row's columns for a canonical profile (with the derived name search key)."""
    identity = profile.identity
    columns = {
        "given_names_latin": identity.given_names_latin,
        "family_name_latin": identity.family_name_latin,
        "given_names_native": identity.given_names_native,
        "family_name_native": identity.family_name_native,
        "date_of_birth": identity.date_of_birth,
        "sex": identity.sex.value,
        "citizenships": list(identity.citizenships),
        "residence_country": identity.residence_country or "",
        "email": identity.email or "",
        "phone": identity.phone or "",
        "h_index": profile.h_index,
        "extensions": dict(profile.extensions),
    }
    columns["name_search_key"] = identity_keys.profile_search_key(columns)
    return columns


def part_values(section: Section, profile_id: int, item: BaseModel) -> dict[str, Any]:
    """The column values (by attribute name) of the ``section.model`` row for one canonical list item."""
    values: dict[str, Any] = {"profile_id": profile_id}
    for name in section.columns:
        value = getattr(item, name)
        field = section.model._meta.get_field(name)
        values[name] = value if value is None and getattr(field, "null", False) else _column_value(value)
    if section.model is models.FamilyMember:
        values["career"] = {
            name: [entry.model_dump(mode="json") for entry in getattr(item, name)] for name in FAMILY_CAREER_SECTIONS
        }
    if section.model is models.IdentityDocument:
        values["number_blind_index"] = identity_keys.document_blind_index(values["number"], values["issuing_country"])
    return values


def value_columns(section: Section) -> list[str]:
    """The columns to read (``.values()``) for a section's rows."""
    extra = ["career"] if section.model is models.FamilyMember else []
    return ["profile_id", *section.columns, *extra]


def part_data(section: Section, row: dict[str, Any]) -> dict[str, Any]:
    """The canonical dict of one stored row (as read by ``.values(*value_columns(section))``)."""
    data: dict[str, Any] = {}
    for name, info in section.item.model_fields.items():
        if name in FAMILY_CAREER_SECTIONS and section.model is models.FamilyMember:
            data[name] = row["career"].get(name, [])
            continue
        value = row[name]
        if value == "" and info.default is None:
            value = None
        data[name] = value
    return data


def profile_data(profile: models.Profile, parts: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The canonical dict of a profile from its row and its child rows (dicts) by section name."""
    data: dict[str, Any] = {
        "id": profile.external_id,
        "identity": {
            "given_names_latin": profile.given_names_latin,
            "family_name_latin": profile.family_name_latin,
            "given_names_native": profile.given_names_native,
            "family_name_native": profile.family_name_native,
            "date_of_birth": profile.date_of_birth,
            "sex": profile.sex,
            "citizenships": list(profile.citizenships),
            "residence_country": profile.residence_country or None,
            "email": profile.email or None,
            "phone": profile.phone or None,
        },
        "h_index": profile.h_index,
        "extensions": dict(profile.extensions),
    }
    for section in ALL_SECTIONS:
        data[section.name] = [part_data(section, row) for row in parts.get(section.name, [])]
    return data
