"""Loads the shipped registry files (``cooperation/data/*.yaml``) into the database: validated, idempotent, audited.

Each file is read with YAML's safe loader and checked against a schema before anything is written; a
mistake is refused with the file, the path inside it (``blocs[0].memberships[3].start``) and the rule,
and nothing is written. Countries must be ISO 3166-1 codes (pycountry) present in the reference M49
table; sources, science areas, blocs and organisations must be defined where they are used.

Rows keep a ``data_key`` (``bloc-membership:brics:EG:member``; a party with several rows of one kind
gets ``#2``, ``#3`` in file order), so loading again updates the same rows, even after a correction of
their dates, and changes nothing when the files did not change. Rows an administrator edited
(``locally_edited``) are left as they are unless ``overwrite_local_edits`` is asked for. A load that
changes something writes one :class:`RegistryLoad` row and one audit entry on the ``registry`` chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
import yaml
from django.db import models, transaction
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from talentgate.common import audit
from talentgate.cooperation.models import (
    Agreement,
    AgreementParty,
    Bloc,
    BlocMembership,
    CollaborationProgramme,
    ExchangeProgramme,
    ExchangeQuota,
    Facility,
    Organisation,
    OrganisationMembership,
    RegistryLoad,
    ScienceArea,
    Source,
)
from talentgate.cooperation.partial_dates import PartialDateError, parse_partial_date
from talentgate.reference.models import Country

REGISTRY_CHAIN = "registry"
# libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one: both safe.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_FILES = (
    "science_areas.yaml",
    "blocs.yaml",
    "organisations.yaml",
    "facilities.yaml",
    "agreements.yaml",
    "exchange_programmes.yaml",
)


class RegistryDataError(ValueError):
    """A shipped registry file breaks a rule: names the file, the path inside it and the rule."""

    def __init__(self, file: str, path: str, message: str) -> None:
        self.file, self.path, self.message = file, path, message
        super().__init__(f"{file}: {path or '(file)'}: {message}")


# --- file schemas ------------------------------------------------------------------------------------------------


def _date_text(value: Any) -> Any:
    """Unquoted YAML dates and years arrive as ``date``/``int``; every date is checked as a partial date."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    try:
        parse_partial_date(text)
    except PartialDateError as exc:
        raise ValueError(str(exc)) from None
    return text


DateText = Annotated[str | None, BeforeValidator(_date_text)]
Code = Annotated[str, BeforeValidator(lambda v: str(v) if v is not None and not isinstance(v, bool) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceIn(_Strict):
    citation: str
    url: str = ""
    as_of: DateText = None


class MembershipIn(_Strict):
    country: Code | None = None
    bloc: str | None = None
    entity_code: str = ""
    entity_name: str = ""
    kind: Literal["member", "associate", "partner", "dialogue_partner", "observer", "participant", "invited"]
    start: DateText = None
    end: DateText = None
    status: Literal["suspended", "withdrawing", "dormant", "unconfirmed"] | None = None
    status_since: DateText = None
    attested: bool = False
    notes: str = ""
    uncertain: str = ""
    sources: list[str] | None = None

    @model_validator(mode="after")
    def _one_party(self) -> MembershipIn:
        parties = [bool(self.country), bool(self.bloc), bool(self.entity_name)]
        if sum(parties) != 1:
            raise ValueError("give exactly one party: country, bloc, or entity_name (with entity_code)")
        return self


class BlocIn(_Strict):
    code: str
    acronym_en: str
    acronym_ru: str = ""
    name_en: str
    name_ru: str = ""
    kind: Literal["informal_grouping", "forum", "intergovernmental", "economic_union", "continental"]
    kind_detail: str = ""
    founded: DateText = None
    description: str = ""
    notes: str = ""
    uncertain: str = ""
    as_of: DateText = None
    sources: list[str] = []
    membership_sources: list[str] = []
    memberships: list[MembershipIn] = []


class BlocsFile(_Strict):
    format: Literal["talentgate-cooperation-blocs/1"]
    compiled: DateText = None
    sources: dict[str, SourceIn] = {}
    blocs: list[BlocIn]


class OrganisationIn(_Strict):
    code: str
    acronym: str = ""
    name_en: str
    name_ru: str = ""
    kind: Literal["un_agency", "un_body", "research", "intergovernmental", "academy", "development_bank", "bloc_body"]
    kind_detail: str = ""
    founded: DateText = None
    headquarters: str = ""
    headquarters_country: Code | None = None
    url: str = ""
    description: str = ""
    relevance: str = ""
    notes: str = ""
    bloc: str | None = None
    uncertain: str = ""
    as_of: DateText = None
    sources: list[str] = []
    membership_sources: list[str] = []
    memberships: list[MembershipIn] = []


class OrganisationsFile(_Strict):
    format: Literal["talentgate-cooperation-organisations/1"]
    compiled: DateText = None
    sources: dict[str, SourceIn] = {}
    organisations: list[OrganisationIn]


class AreaIn(_Strict):
    code: Code
    en: str
    ru: str = ""


class AreasSourceIn(SourceIn):
    key: str


class ScienceAreasFile(_Strict):
    format: Literal["talentgate-cooperation-science-areas/1"]
    source: AreasSourceIn
    areas: list[AreaIn]


class PartyIn(_Strict):
    country: Code | None = None
    organisation: str | None = None
    entity_code: str = ""
    entity_name: str = ""
    represented_by: str = ""

    @model_validator(mode="after")
    def _one_party(self) -> PartyIn:
        if sum([bool(self.country), bool(self.organisation), bool(self.entity_name)]) != 1:
            raise ValueError("give exactly one party: country, organisation, or entity_name (with entity_code)")
        return self


class AgreementIn(_Strict):
    key: str
    title_en: str
    title_ru: str = ""
    kind: Literal["treaty", "cooperation", "declaration", "action_plan", "convention"]
    signed: DateText = None
    in_force: DateText = None
    ends: DateText = None
    parties: list[PartyIn]
    areas: list[Code] = []
    summary: str = ""
    notes: str = ""
    uncertain: str = ""
    sources: list[str] = []


class AgreementsFile(_Strict):
    format: Literal["talentgate-cooperation-agreements/1"]
    compiled: DateText = None
    sources: dict[str, SourceIn] = {}
    agreements: list[AgreementIn]


class CollaborationIn(_Strict):
    key: str
    name_en: str
    name_ru: str = ""
    kind: Literal["user_programme", "contribution", "membership_programme", "training"]
    partner_countries: list[Code] = []
    start: DateText = None
    end: DateText = None
    description: str = ""
    notes: str = ""
    uncertain: str = ""
    sources: list[str] = []


class FacilityIn(_Strict):
    code: str
    name_en: str
    name_ru: str = ""
    kind: Literal["collider", "neutron_source", "light_source", "telescope", "fusion", "nuclear_physics", "computing"]
    status: Literal["operating", "construction", "unknown"] = "unknown"
    operator: str | None = None
    country: Code | None = None
    site: str = ""
    operating_since: DateText = None
    areas: list[Code] = []
    url: str = ""
    description: str = ""
    notes: str = ""
    uncertain: str = ""
    sources: list[str] = []
    programmes: list[CollaborationIn] = []


class FacilitiesFile(_Strict):
    format: Literal["talentgate-cooperation-facilities/1"]
    compiled: DateText = None
    sources: dict[str, SourceIn] = {}
    facilities: list[FacilityIn]


class QuotaIn(_Strict):
    country: Code
    year: int
    places: int
    tracks_use: bool = False
    notes: str = ""

    @model_validator(mode="after")
    def _sensible(self) -> QuotaIn:
        if self.places < 0:
            raise ValueError("places must be 0 or more")
        if not 1900 <= self.year <= 2200:
            raise ValueError("year must be a calendar year (1900-2200)")
        return self


class ExchangeProgrammeIn(_Strict):
    code: str
    name_en: str
    name_ru: str = ""
    kind: Literal["academic_mobility", "scientific_exchange", "fellowship", "visiting_researcher"]
    operator: str | None = None
    facility: str | None = None
    bloc: str | None = None
    start: DateText = None
    end: DateText = None
    areas: list[Code] = []
    description: str = ""
    url: str = ""
    notes: str = ""
    uncertain: str = ""
    sources: list[str] = []
    quotas: list[QuotaIn] = []


class ExchangeProgrammesFile(_Strict):
    format: Literal["talentgate-cooperation-exchange-programmes/1"]
    compiled: DateText = None
    sources: dict[str, SourceIn] = {}
    programmes: list[ExchangeProgrammeIn]


SCHEMAS: dict[str, type[BaseModel]] = {
    "science_areas.yaml": ScienceAreasFile,
    "blocs.yaml": BlocsFile,
    "organisations.yaml": OrganisationsFile,
    "facilities.yaml": FacilitiesFile,
    "agreements.yaml": AgreementsFile,
    "exchange_programmes.yaml": ExchangeProgrammesFile,
}


def _path(loc: Sequence[Any]) -> str:
    """``("blocs", 0, "memberships", 3, "start")`` -> ``blocs[0].memberships[3].start``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- reading -----------------------------------------------------------------------------------------------------


@dataclass
class RegistryData:
    """The six files, parsed and validated, plus a digest of their bytes."""

    areas: ScienceAreasFile
    blocs: BlocsFile
    organisations: OrganisationsFile
    facilities: FacilitiesFile
    agreements: AgreementsFile
    exchange: ExchangeProgrammesFile
    digest: str


def _read_text(name: str, data_dir: Path | None) -> str:
    if data_dir is not None:
        return (data_dir / name).read_text(encoding="utf-8")
    return resources.files("talentgate.cooperation").joinpath("data", name).read_text(encoding="utf-8")


def read_registry_data(data_dir: Path | None = None) -> RegistryData:
    """Read and validate every registry file (from the package, or ``data_dir`` for other data)."""
    parsed: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name in DATA_FILES:
        try:
            text = _read_text(name, data_dir)
        except FileNotFoundError:
            raise RegistryDataError(name, "", "file not found") from None
        digest.update(text.encode())
        try:
            raw = yaml.load(text, Loader=_SAFE_LOADER)  # nosec B506  # a safe loader: builds no Python objects
        except yaml.YAMLError as exc:
            raise RegistryDataError(name, "", f"not valid YAML: {exc}") from None
        try:
            parsed[name] = SCHEMAS[name].model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            message = str(first["msg"]).removeprefix("Value error, ")
            raise RegistryDataError(name, _path(first["loc"]), message) from None
    return RegistryData(
        areas=parsed["science_areas.yaml"],
        blocs=parsed["blocs.yaml"],
        organisations=parsed["organisations.yaml"],
        facilities=parsed["facilities.yaml"],
        agreements=parsed["agreements.yaml"],
        exchange=parsed["exchange_programmes.yaml"],
        digest=digest.hexdigest(),
    )


# --- writing -----------------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What a load did: rows created, rows updated, rows left alone because an administrator edited them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_local_edits: int = 0
    by_table: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date_fields(prefix: str, text: str | None) -> dict[str, Any]:
    """``start`` -> ``{"start_date": ..., "start_precision": ...}`` style pairs for one partial date."""
    names = {
        "start": ("start_date", "start_precision"),
        "end": ("end_date", "end_precision"),
        "status_since": ("status_since", "status_since_precision"),
        "founded": ("founded", "founded_precision"),
        "signed": ("signed_on", "signed_precision"),
        "in_force": ("in_force_from", "in_force_precision"),
        "ends": ("ends_on", "ends_precision"),
        "operating_since": ("operating_since", "operating_since_precision"),
    }
    day_field, precision_field = names[prefix]
    if not text:
        return {day_field: None, precision_field: "day"}
    value = parse_partial_date(text)
    return {day_field: value.day, precision_field: value.precision}


class _Writer:
    """Upserts rows by ``data_key`` and counts what changed; one instance per load."""

    def __init__(self, overwrite_local_edits: bool) -> None:
        self.overwrite = overwrite_local_edits
        self.report = LoadReport()
        self._existing: dict[type[models.Model], dict[str, Any]] = {}

    def _rows(self, model: type[models.Model], m2m: Iterable[str]) -> dict[str, Any]:
        if model not in self._existing:
            queryset: Any = model._default_manager.filter(data_key__isnull=False).prefetch_related(*m2m)
            self._existing[model] = {row.data_key: row for row in queryset}
        return self._existing[model]

    def upsert(
        self,
        model: type[models.Model],
        data_key: str,
        values: Mapping[str, Any],
        m2m: Mapping[str, Iterable[Any]] | None = None,
    ) -> Any:
        m2m = {name: sorted(set(ids), key=str) for name, ids in (m2m or {}).items()}
        rows = self._rows(model, m2m)
        table = model._meta.model_name or ""
        row = rows.get(data_key)
        if row is None:
            row = model(data_key=data_key, **values)
            row.save()
            for name, ids in m2m.items():
                getattr(row, name).set(ids)
            rows[data_key] = row
            self.report.created += 1
            self.report.by_table[table] += 1
            return row
        if row.locally_edited and not self.overwrite:
            self.report.kept_local_edits += 1
            return row
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        changed_m2m = [
            name for name, ids in m2m.items() if sorted((o.pk for o in getattr(row, name).all()), key=str) != ids
        ]
        if row.locally_edited:
            changed.append("locally_edited")
            row.locally_edited = False
        if not changed and not changed_m2m:
            self.report.unchanged += 1
            return row
        for name in changed:
            if name != "locally_edited":
                setattr(row, name, values[name])
        if changed:
            row.save(update_fields=changed)
        for name in changed_m2m:
            getattr(row, name).set(m2m[name])
        self.report.updated += 1
        self.report.by_table[table] += 1
        return row


class _Resolver:
    """Turns codes in the files into database ids, refusing unknown ones with the file and path."""

    def __init__(self) -> None:
        self.countries = set(Country.objects.values_list("iso_alpha2", flat=True))
        self.sources: dict[str, int] = {}
        self.areas: set[str] = set()
        self.blocs: dict[str, int] = {}
        self.organisations: dict[str, int] = {}
        self.facilities: dict[str, int] = {}

    def country(self, file: str, path: str, code: str | None) -> str | None:
        if code is None:
            return None
        if pycountry.countries.get(alpha_2=code) is None:
            raise RegistryDataError(file, path, f"'{code}' is not an ISO 3166-1 alpha-2 country code")
        if code not in self.countries:
            raise RegistryDataError(file, path, f"country '{code}' is not in the reference M49 table")
        return code

    def source_ids(self, file: str, path: str, keys: Iterable[str]) -> list[int]:
        ids = []
        for index, key in enumerate(keys):
            if key not in self.sources:
                raise RegistryDataError(file, f"{path}[{index}]", f"source '{key}' is not defined in any registry file")
            ids.append(self.sources[key])
        return ids

    def area_codes(self, file: str, path: str, codes: Iterable[str]) -> list[str]:
        for index, code in enumerate(codes):
            if code not in self.areas:
                raise RegistryDataError(
                    file, f"{path}[{index}]", f"'{code}' is not a science area of science_areas.yaml"
                )
        return list(codes)

    @staticmethod
    def known(file: str, path: str, table: Mapping[str, int], code: str | None, what: str) -> int | None:
        if code is None:
            return None
        if code not in table:
            raise RegistryDataError(file, path, f"no {what} with code '{code}'")
        return table[code]


def _load_sources(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    files: list[tuple[str, Mapping[str, SourceIn]]] = [
        ("science_areas.yaml", {data.areas.source.key: data.areas.source}),
        ("blocs.yaml", data.blocs.sources),
        ("organisations.yaml", data.organisations.sources),
        ("facilities.yaml", data.facilities.sources),
        ("agreements.yaml", data.agreements.sources),
        ("exchange_programmes.yaml", data.exchange.sources),
    ]
    for file, sources in files:
        for key, source in sources.items():
            if key in resolver.sources:
                raise RegistryDataError(file, f"sources.{key}", "source key already defined in another file")
            values = {"key": key, "citation": source.citation, "url": source.url, "as_of": source.as_of or ""}
            resolver.sources[key] = writer.upsert(Source, f"source:{key}", values).pk


def _load_areas(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    existing = {area.code: area for area in ScienceArea.objects.all()}
    for area in data.areas.areas:
        parent_code = area.code.rsplit(".", 1)[0] if "." in area.code else None
        values = {"name_en": area.en, "name_ru": area.ru, "parent_id": parent_code}
        row = existing.get(area.code)
        if row is None:
            ScienceArea.objects.create(code=area.code, **values)
            writer.report.created += 1
            writer.report.by_table["sciencearea"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            ScienceArea.objects.filter(code=area.code).update(**values)
            writer.report.updated += 1
            writer.report.by_table["sciencearea"] += 1
        else:
            writer.report.unchanged += 1
        resolver.areas.add(area.code)


def _membership_values(file: str, path: str, row: MembershipIn, resolver: _Resolver) -> tuple[str, dict[str, Any]]:
    """The party key (for the data key) and the model values of one membership."""
    country = resolver.country(file, f"{path}.country", row.country)
    member_bloc = resolver.known(file, f"{path}.bloc", resolver.blocs, row.bloc, "bloc")
    if country:
        party = country
    elif member_bloc:
        party = f"bloc-{row.bloc}"
    else:
        party = f"entity-{row.entity_code or row.entity_name}"
    if row.end and row.start and parse_partial_date(row.end).day <= parse_partial_date(row.start).day:
        raise RegistryDataError(file, f"{path}.end", "the end must come after the start")
    values: dict[str, Any] = {
        "country_id": country,
        "member_bloc_id": member_bloc,
        "entity_code": row.entity_code if not (country or member_bloc) else "",
        "entity_name": row.entity_name if not (country or member_bloc) else "",
        "kind": row.kind,
        "status": row.status or "active",
        "start_attested_only": row.attested,
        "notes": row.notes,
        "uncertain": row.uncertain,
        **_date_fields("start", row.start),
        **_date_fields("end", row.end),
        **_date_fields("status_since", row.status_since),
    }
    return party, values


def _load_memberships(
    writer: _Writer,
    resolver: _Resolver,
    file: str,
    path: str,
    model: type[models.Model],
    owner_field: str,
    owner_code: str,
    owner_id: int,
    rows: Sequence[MembershipIn],
    default_sources: list[int],
) -> None:
    seen: Counter[str] = Counter()
    prefix = model._meta.model_name
    for index, row in enumerate(rows):
        row_path = f"{path}.memberships[{index}]"
        party, values = _membership_values(file, row_path, row, resolver)
        stem = f"{prefix}:{owner_code}:{party}:{row.kind}"
        seen[stem] += 1
        data_key = stem if seen[stem] == 1 else f"{stem}#{seen[stem]}"
        sources = (
            resolver.source_ids(file, f"{row_path}.sources", row.sources)
            if row.sources is not None
            else default_sources
        )
        writer.upsert(model, data_key, {owner_field: owner_id, **values}, {"sources": sources})


def _load_blocs(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    file = "blocs.yaml"
    for index, bloc in enumerate(data.blocs.blocs):
        path = f"blocs[{index}]"
        values = {
            "code": bloc.code,
            "acronym_en": bloc.acronym_en,
            "acronym_ru": bloc.acronym_ru,
            "name_en": bloc.name_en,
            "name_ru": bloc.name_ru,
            "kind": bloc.kind,
            "kind_detail": bloc.kind_detail,
            "description": bloc.description,
            "notes": bloc.notes,
            "uncertain": bloc.uncertain,
            "as_of": bloc.as_of or "",
            **_date_fields("founded", bloc.founded),
        }
        sources = resolver.source_ids(file, f"{path}.sources", bloc.sources)
        resolver.blocs[bloc.code] = writer.upsert(Bloc, f"bloc:{bloc.code}", values, {"sources": sources}).pk
    # Memberships after every bloc exists: a bloc can be a member of another (the African Union in the G20).
    for index, bloc in enumerate(data.blocs.blocs):
        path = f"blocs[{index}]"
        defaults = resolver.source_ids(file, f"{path}.membership_sources", bloc.membership_sources)
        _load_memberships(
            writer,
            resolver,
            file,
            path,
            BlocMembership,
            "bloc_id",
            bloc.code,
            resolver.blocs[bloc.code],
            bloc.memberships,
            defaults,
        )


def _load_organisations(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    file = "organisations.yaml"
    for index, org in enumerate(data.organisations.organisations):
        path = f"organisations[{index}]"
        values = {
            "code": org.code,
            "acronym": org.acronym,
            "name_en": org.name_en,
            "name_ru": org.name_ru,
            "kind": org.kind,
            "kind_detail": org.kind_detail,
            "headquarters": org.headquarters,
            "headquarters_country_id": resolver.country(file, f"{path}.headquarters_country", org.headquarters_country),
            "url": org.url,
            "description": org.description,
            "relevance": org.relevance,
            "notes": org.notes,
            "bloc_id": resolver.known(file, f"{path}.bloc", resolver.blocs, org.bloc, "bloc"),
            "uncertain": org.uncertain,
            "as_of": org.as_of or "",
            **_date_fields("founded", org.founded),
        }
        sources = resolver.source_ids(file, f"{path}.sources", org.sources)
        resolver.organisations[org.code] = writer.upsert(
            Organisation, f"organisation:{org.code}", values, {"sources": sources}
        ).pk
        defaults = resolver.source_ids(file, f"{path}.membership_sources", org.membership_sources)
        _load_memberships(
            writer,
            resolver,
            file,
            path,
            OrganisationMembership,
            "organisation_id",
            org.code,
            resolver.organisations[org.code],
            org.memberships,
            defaults,
        )


def _load_facilities(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    file = "facilities.yaml"
    for index, facility in enumerate(data.facilities.facilities):
        path = f"facilities[{index}]"
        values = {
            "code": facility.code,
            "name_en": facility.name_en,
            "name_ru": facility.name_ru,
            "kind": facility.kind,
            "status": facility.status,
            "operator_id": resolver.known(
                file, f"{path}.operator", resolver.organisations, facility.operator, "organisation"
            ),
            "country_id": resolver.country(file, f"{path}.country", facility.country),
            "site": facility.site,
            "url": facility.url,
            "description": facility.description,
            "notes": facility.notes,
            "uncertain": facility.uncertain,
            **_date_fields("operating_since", facility.operating_since),
        }
        m2m: dict[str, list[Any]] = {
            "sources": resolver.source_ids(file, f"{path}.sources", facility.sources),
            "areas": resolver.area_codes(file, f"{path}.areas", facility.areas),
        }
        row = writer.upsert(Facility, f"facility:{facility.code}", values, m2m)
        resolver.facilities[facility.code] = row.pk
        for p_index, programme in enumerate(facility.programmes):
            p_path = f"{path}.programmes[{p_index}]"
            p_values = {
                "facility_id": row.pk,
                "name_en": programme.name_en,
                "name_ru": programme.name_ru,
                "kind": programme.kind,
                "description": programme.description,
                "notes": programme.notes,
                "uncertain": programme.uncertain,
                **_date_fields("start", programme.start),
                **_date_fields("end", programme.end),
            }
            partners = [
                resolver.country(file, f"{p_path}.partner_countries[{i}]", code)
                for i, code in enumerate(programme.partner_countries)
            ]
            writer.upsert(
                CollaborationProgramme,
                f"collaboration:{programme.key}",
                p_values,
                {
                    "sources": resolver.source_ids(file, f"{p_path}.sources", programme.sources),
                    "partner_countries": partners,
                },
            )


def _load_agreements(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    file = "agreements.yaml"
    for index, agreement in enumerate(data.agreements.agreements):
        path = f"agreements[{index}]"
        values = {
            "title_en": agreement.title_en,
            "title_ru": agreement.title_ru,
            "kind": agreement.kind,
            "summary": agreement.summary,
            "notes": agreement.notes,
            "uncertain": agreement.uncertain,
            **_date_fields("signed", agreement.signed),
            **_date_fields("in_force", agreement.in_force),
            **_date_fields("ends", agreement.ends),
        }
        parties = [
            (
                resolver.country(file, f"{path}.parties[{i}].country", party.country),
                resolver.known(
                    file,
                    f"{path}.parties[{i}].organisation",
                    resolver.organisations,
                    party.organisation,
                    "organisation",
                ),
                party.entity_code if party.entity_name else "",
                party.entity_name,
                party.represented_by,
            )
            for i, party in enumerate(agreement.parties)
        ]
        m2m: dict[str, list[Any]] = {
            "sources": resolver.source_ids(file, f"{path}.sources", agreement.sources),
            "areas": resolver.area_codes(file, f"{path}.areas", agreement.areas),
        }
        before = writer.report.created + writer.report.updated
        row = writer.upsert(Agreement, f"agreement:{agreement.key}", values, m2m)
        stored = list(
            row.parties.order_by("pk").values_list(
                "country_id", "organisation_id", "entity_code", "entity_name", "represented_by"
            )
        )
        if row.locally_edited and not writer.overwrite:
            continue
        if stored != parties:
            row.parties.all().delete()
            AgreementParty.objects.bulk_create(
                AgreementParty(
                    agreement=row, country_id=c, organisation_id=o, entity_code=ec, entity_name=en, represented_by=rb
                )
                for c, o, ec, en, rb in parties
            )
            if writer.report.created + writer.report.updated == before:
                writer.report.updated += 1
                writer.report.unchanged -= 1


def _load_exchange(writer: _Writer, resolver: _Resolver, data: RegistryData) -> None:
    file = "exchange_programmes.yaml"
    for index, programme in enumerate(data.exchange.programmes):
        path = f"programmes[{index}]"
        values = {
            "code": programme.code,
            "name_en": programme.name_en,
            "name_ru": programme.name_ru,
            "kind": programme.kind,
            "operator_id": resolver.known(
                file, f"{path}.operator", resolver.organisations, programme.operator, "organisation"
            ),
            "facility_id": resolver.known(
                file, f"{path}.facility", resolver.facilities, programme.facility, "facility"
            ),
            "bloc_id": resolver.known(file, f"{path}.bloc", resolver.blocs, programme.bloc, "bloc"),
            "description": programme.description,
            "url": programme.url,
            "notes": programme.notes,
            "uncertain": programme.uncertain,
            **_date_fields("start", programme.start),
            **_date_fields("end", programme.end),
        }
        m2m: dict[str, list[Any]] = {
            "sources": resolver.source_ids(file, f"{path}.sources", programme.sources),
            "areas": resolver.area_codes(file, f"{path}.areas", programme.areas),
        }
        row = writer.upsert(ExchangeProgramme, f"exchange:{programme.code}", values, m2m)
        seen: set[tuple[str, int]] = set()
        for q_index, quota in enumerate(programme.quotas):
            q_path = f"{path}.quotas[{q_index}]"
            country = resolver.country(file, f"{q_path}.country", quota.country)
            if (quota.country, quota.year) in seen:
                raise RegistryDataError(file, q_path, f"a second quota for {quota.country} in {quota.year}")
            seen.add((quota.country, quota.year))
            writer.upsert(
                ExchangeQuota,
                f"quota:{programme.code}:{quota.country}:{quota.year}",
                {
                    "programme_id": row.pk,
                    "country_id": country,
                    "year": quota.year,
                    "places": quota.places,
                    "tracks_use": quota.tracks_use,
                    "notes": quota.notes,
                },
            )


def load_registry(
    actor: Any = None, *, data_dir: Path | None = None, overwrite_local_edits: bool = False
) -> LoadReport:
    """Load (or refresh) the registry from the shipped files, all in one transaction; see the module docstring.

    Refuses with :class:`RegistryDataError` (and writes nothing) when a file breaks a rule.
    """
    data = read_registry_data(data_dir)
    if not Country.objects.exists():
        # The registry names countries of the reference table; a fresh database may not have them yet.
        from talentgate.reference.loading import load_countries

        load_countries()
    writer = _Writer(overwrite_local_edits)
    resolver = _Resolver()
    with transaction.atomic():
        _load_sources(writer, resolver, data)
        _load_areas(writer, resolver, data)
        _load_blocs(writer, resolver, data)
        _load_organisations(writer, resolver, data)
        _load_facilities(writer, resolver, data)
        _load_agreements(writer, resolver, data)
        _load_exchange(writer, resolver, data)
        report = writer.report
        if report.changed:
            user = actor if getattr(actor, "is_authenticated", False) else None
            load = RegistryLoad.objects.create(
                actor=user,
                data_digest=data.digest,
                created=report.created,
                updated=report.updated,
                kept_local_edits=report.kept_local_edits,
            )
            audit.record(
                user,
                "registry.loaded",
                load,
                chain=REGISTRY_CHAIN,
                fields=sorted(report.by_table),
                reason=f"created {report.created}, updated {report.updated}, kept {report.kept_local_edits} local edits",
            )
    return report


def load_after_migrate(**kwargs: Any) -> None:
    """``post_migrate`` hook: bring the registry up to date with the shipped files."""
    load_registry(None)
