"""Code lists the canonical profile validates against: ISO 3166-1 countries, ISO 4217 currencies,
ISO 639-1 languages (all via pycountry), ISCED 2011 levels and ISCED-F 2013 broad fields,
ISCO-08 codes and ESCO URIs.

Each ``*Code`` type is an ``Annotated[str, ...]`` usable as a pydantic field type; a bad
value fails with a ``PydanticCustomError`` whose type names the rule broken:

>>> from pydantic import TypeAdapter
>>> TypeAdapter(CountryCode).validate_python("kz")
'KZ'
>>> TypeAdapter(CurrencyCode).validate_python("eur")
'EUR'
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

__all__ = [
    "ESCO_OCCUPATION_URI_PATTERN",
    "ESCO_SKILL_URI_PATTERN",
    "ISCED_2011_LEVELS",
    "ISCED_F_2013_BROAD_FIELDS",
    "CountryCode",
    "CurrencyCode",
    "EscoOccupationUri",
    "EscoSkillUri",
    "IscedFieldCode",
    "IscoCode",
    "LanguageCode",
]

# ISCED 2011 levels of education (UNESCO Institute for Statistics, "International Standard
# Classification of Education ISCED 2011", 2012), level number -> English name.
ISCED_2011_LEVELS: dict[int, str] = {
    0: "Early childhood education",
    1: "Primary education",
    2: "Lower secondary education",
    3: "Upper secondary education",
    4: "Post-secondary non-tertiary education",
    5: "Short-cycle tertiary education",
    6: "Bachelor's or equivalent level",
    7: "Master's or equivalent level",
    8: "Doctoral or equivalent level",
}

# ISCED-F 2013 broad fields (UNESCO Institute for Statistics, "ISCED Fields of Education and
# Training 2013", 2014). Narrow (3-digit) and detailed (4-digit) codes start with their broad code.
ISCED_F_2013_BROAD_FIELDS: dict[str, str] = {
    "00": "Generic programmes and qualifications",
    "01": "Education",
    "02": "Arts and humanities",
    "03": "Social sciences, journalism and information",
    "04": "Business, administration and law",
    "05": "Natural sciences, mathematics and statistics",
    "06": "Information and Communication Technologies",
    "07": "Engineering, manufacturing and construction",
    "08": "Agriculture, forestry, fisheries and veterinary",
    "09": "Health and welfare",
    "10": "Services",
    "99": "Field unknown",
}

ESCO_OCCUPATION_URI_PATTERN = (
    r"^http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
ESCO_SKILL_URI_PATTERN = (
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


@cache
def _known(kind: str, code: str) -> bool:
    # pycountry looks codes up through a lazily built index; caching keeps bulk validation fast.
    database = {"country": pycountry.countries, "currency": pycountry.currencies, "language": pycountry.languages}[kind]
    key = {"country": "alpha_2", "currency": "alpha_3", "language": "alpha_2"}[kind]
    return database.get(**{key: code}) is not None


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not _known("country", code):
        raise PydanticCustomError(
            "country_code",
            "'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. 'KZ', 'IN', 'BR')",
            {"value": value},
        )
    return code


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not _known("currency", code):
        raise PydanticCustomError(
            "currency_code",
            "'{value}' is not an ISO 4217 currency code (e.g. 'EUR', 'USD', 'RUB')",
            {"value": value},
        )
    return code


def _language(value: str) -> str:
    code = value.strip().lower()
    if len(code) != 2 or not _known("language", code):
        raise PydanticCustomError(
            "language_code",
            "'{value}' is not an ISO 639-1 language code (e.g. 'en', 'ru', 'zh')",
            {"value": value},
        )
    return code


def _isced_field(value: str) -> str:
    code = value.strip()
    if not re.fullmatch(r"\d{2,4}", code) or code[:2] not in ISCED_F_2013_BROAD_FIELDS:
        raise PydanticCustomError(
            "isced_field_code",
            "'{value}' is not an ISCED-F 2013 field code (2-digit broad, 3-digit narrow or 4-digit detailed, starting with a broad field 00-10 or 99)",
            {"value": value},
        )
    return code


CountryCode = Annotated[str, AfterValidator(_country), Field(json_schema_extra={"format": "iso3166-1-alpha-2"})]
CurrencyCode = Annotated[str, AfterValidator(_currency), Field(json_schema_extra={"format": "iso4217"})]
LanguageCode = Annotated[str, AfterValidator(_language), Field(json_schema_extra={"format": "iso639-1"})]
IscedFieldCode = Annotated[str, AfterValidator(_isced_field)]
IscoCode = Annotated[str, Field(pattern=r"^\d{4}$", description="ISCO-08 unit group (4 digits), e.g. '2144'.")]
EscoOccupationUri = Annotated[str, Field(pattern=ESCO_OCCUPATION_URI_PATTERN)]
EscoSkillUri = Annotated[str, Field(pattern=ESCO_SKILL_URI_PATTERN)]
