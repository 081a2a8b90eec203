"""API routes of the cooperation registry: read for every signed-in role, writes for administrators only.

Countries with their UN M49 regions, blocs and organisations with dated memberships (``?on=YYYY-MM-DD``
gives the memberships holding that day), agreements, mega-science facilities, exchange programmes with
their quotas (places used and remaining where the quota tracks its use here), sources, the science areas
and the registry's gaps (``/check``). Administrators add sources, memberships and agreements and set
quotas; anyone else is refused with 403 and nothing changes. Every operation calls
``cooperation.selectors`` or ``cooperation.services`` only.

Dates the sources give only to the year or month are returned as written (``"2006"``, ``"2015-07"``)
with their precision. Bloc and region filters are for analytics and the registry, never for a merit
round's selection.
"""

# No ``from __future__ import annotations``: ninja's @paginate rebuilds the view's signature from its
# annotations, and a ``Query[...]`` parameter left as a string cannot be resolved there.

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.cooperation import completeness, selectors, services
from talentgate.cooperation.models import (
    Agreement,
    Bloc,
    BlocMembership,
    ExchangeProgramme,
    ExchangeQuota,
    Facility,
    Organisation,
    OrganisationMembership,
    ScienceArea,
    Source,
)
from talentgate.reference.models import Country

router = Router(tags=["cooperation"])

KindName = Literal["member", "associate", "partner", "dialogue_partner", "observer", "participant", "invited"]
StatusName = Literal["active", "suspended", "withdrawing", "dormant", "unconfirmed"]


def _source_keys(obj: Any) -> list[str]:
    return [source.key for source in obj.sources.all()]


# --- schemas -------------------------------------------------------------------------------------------------------------


class SourceOut(Schema):
    key: str
    citation: str
    url: str
    as_of: str


class SourceIn(Schema):
    key: str = Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$", description="Short name entries cite it by.")
    citation: str = Field(min_length=1, description="Who published what, and when.")
    url: str = ""
    as_of: str = Field("", description="The day the facts taken from it were current: YYYY, YYYY-MM or YYYY-MM-DD.")


class AreaOut(Schema):
    code: str
    name_en: str
    name_ru: str
    parent_code: str | None = Field(alias="parent_id")


class BlocOut(Schema):
    code: str
    acronym_en: str
    acronym_ru: str
    name_en: str
    name_ru: str
    kind: str
    kind_detail: str
    founded: str = Field(description="As precisely as the sources give it.")
    description: str
    notes: str
    uncertain: str = Field(description="What the sources could not confirm.")
    as_of: str
    sources: list[str]

    @staticmethod
    def resolve_founded(bloc: Bloc) -> str:
        return bloc.founded_text

    @staticmethod
    def resolve_sources(bloc: Bloc) -> list[str]:
        return _source_keys(bloc)


class MembershipOut(Schema):
    id: int
    country: str | None = Field(alias="country_id", description="ISO 3166-1 alpha-2; empty for a non-state member.")
    party_name: str
    member_bloc: str | None = Field(None, description="The member bloc's code (the African Union in the G20).")
    entity_code: str
    kind: str
    status: str = Field(description="The recorded status; it applies from status_since.")
    status_since: str
    start: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD as the sources give it.")
    start_precision: str
    start_attested_only: bool = Field(description="The start is when a source attests membership, not the accession.")
    end: str = Field(description="The first day the membership no longer held; empty while it holds.")
    end_precision: str
    notes: str
    uncertain: str
    locally_edited: bool
    sources: list[str]

    @staticmethod
    def resolve_member_bloc(membership: Any) -> str | None:
        return membership.member_bloc.code if membership.member_bloc_id else None

    @staticmethod
    def resolve_status_since(membership: Any) -> str:
        return membership.status_since_text

    @staticmethod
    def resolve_start(membership: Any) -> str:
        return membership.start_text

    @staticmethod
    def resolve_end(membership: Any) -> str:
        return membership.end_text

    @staticmethod
    def resolve_sources(membership: Any) -> list[str]:
        return _source_keys(membership)


class BlocMembershipOut(MembershipOut):
    bloc: str

    @staticmethod
    def resolve_bloc(membership: BlocMembership) -> str:
        return membership.bloc.code


class OrganisationMembershipOut(MembershipOut):
    organisation: str

    @staticmethod
    def resolve_organisation(membership: OrganisationMembership) -> str:
        return membership.organisation.code


class MembershipIn(Schema):
    country: str = Field("", description="ISO 3166-1 alpha-2; or give entity_name for a non-state member.")
    entity_code: str = ""
    entity_name: str = ""
    kind: KindName = "member"
    start: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    end: str | None = None
    status: StatusName = "active"
    status_since: str | None = None
    attested: bool = False
    notes: str = ""
    uncertain: str = ""
    sources: list[str] = Field(description="Keys of the sources (at least one).")


class MembershipPatch(Schema):
    kind: KindName | None = None
    start: str | None = None
    end: str | None = Field(None, description="Send an empty string to clear it.")
    status: StatusName | None = None
    status_since: str | None = None
    attested: bool | None = None
    notes: str | None = None
    uncertain: str | None = None
    sources: list[str] | None = None


class MembershipFilters(Schema):
    on: IsoDate | None = Field(None, description="Only the memberships holding that day (default: the whole history).")
    kind: str | None = Field(None, description="Only these kinds, comma-separated (e.g. 'member,partner').")

    def kinds(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in (self.kind or "").split(",") if part.strip())


class CountryOut(Schema):
    code: str = Field(alias="iso_alpha2")
    iso_alpha3: str
    m49_code: str
    name_en: str
    region: str
    sub_region: str
    intermediate_region: str


class CountryFilters(Schema):
    bloc: str = Field("", description="A bloc's code (e.g. 'brics'): its countries on the day 'on'.")
    organisation: str = Field("", description="An organisation's code (e.g. 'jinr'): its countries on the day 'on'.")
    region: str = Field("", description="A UN M49 region, e.g. 'Africa'.")
    sub_region: str = Field("", description="A UN M49 sub-region, e.g. 'Western Asia'.")
    kind: str = Field(
        "", description="Membership kinds counted for bloc/organisation, comma-separated (default: member)."
    )
    on: IsoDate | None = Field(None, description="The day memberships are taken on (default: today).")
    search: str = Field("", description="Part of the name, or the alpha-2/alpha-3 code.")

    def query(self) -> selectors.CountryFilter:
        return selectors.CountryFilter(
            bloc=self.bloc.strip(),
            organisation=self.organisation.strip(),
            region=self.region.strip(),
            sub_region=self.sub_region.strip(),
            kinds=tuple(part.strip() for part in self.kind.split(",") if part.strip()),
            on=self.on,
            search=self.search.strip(),
        )


class CountryProfileOut(Schema):
    country: CountryOut
    on: IsoDate
    bloc_memberships: list[BlocMembershipOut]
    organisation_memberships: list[OrganisationMembershipOut]
    current_blocs: list[str] = Field(description="Codes of the blocs it holds any membership of on 'on'.")
    agreement_ids: list[int]
    facility_codes: list[str]


class RegionOut(Schema):
    name: str
    sub_regions: list[dict[str, Any]] = Field(description="Each {name, intermediate_regions}.")


class InternationalOrganisationOut(Schema):
    code: str
    acronym: str
    name_en: str
    name_ru: str
    kind: str
    kind_detail: str
    founded: str
    headquarters: str
    headquarters_country: str | None = Field(alias="headquarters_country_id")
    url: str
    description: str
    relevance: str
    notes: str
    bloc: str | None = None
    uncertain: str
    as_of: str
    sources: list[str]

    @staticmethod
    def resolve_founded(organisation: Organisation) -> str:
        return organisation.founded_text

    @staticmethod
    def resolve_bloc(organisation: Organisation) -> str | None:
        return organisation.bloc.code if organisation.bloc_id and organisation.bloc else None

    @staticmethod
    def resolve_sources(organisation: Organisation) -> list[str]:
        return _source_keys(organisation)


class InternationalOrganisationFilters(Schema):
    bloc: str = Field("", description="Only bodies of this bloc (its code).")
    kind: str = ""


class PartyOut(Schema):
    country: str | None = Field(alias="country_id")
    organisation: str | None = None
    entity_code: str
    name: str
    represented_by: str

    @staticmethod
    def resolve_organisation(party: Any) -> str | None:
        return party.organisation.code if party.organisation_id else None


class AgreementOut(Schema):
    id: int
    title_en: str
    title_ru: str
    kind: str
    signed: str
    in_force: str
    ends: str
    parties: list[PartyOut]
    areas: list[str]
    summary: str
    notes: str
    uncertain: str
    sources: list[str]

    @staticmethod
    def resolve_signed(agreement: Agreement) -> str:
        return agreement.signed_text

    @staticmethod
    def resolve_in_force(agreement: Agreement) -> str:
        return agreement.in_force_text

    @staticmethod
    def resolve_ends(agreement: Agreement) -> str:
        return agreement.ends_text

    @staticmethod
    def resolve_parties(agreement: Agreement) -> list[Any]:
        return list(agreement.parties.all())

    @staticmethod
    def resolve_areas(agreement: Agreement) -> list[str]:
        return [area.code for area in agreement.areas.all()]

    @staticmethod
    def resolve_sources(agreement: Agreement) -> list[str]:
        return _source_keys(agreement)


class AgreementFilters(Schema):
    country: str = Field("", description="A party country (ISO alpha-2).")
    organisation: str = Field("", description="A party organisation's code.")
    bloc: str = Field("", description="A party country in this bloc on the day 'on'.")
    area: str = Field("", description="An OECD FOS code; '1' matches 1.1, 1.2...")
    on: IsoDate | None = None

    def query(self) -> selectors.AgreementFilter:
        return selectors.AgreementFilter(
            country=self.country.strip(),
            organisation=self.organisation.strip(),
            bloc=self.bloc.strip(),
            area=self.area.strip(),
            on=self.on,
        )


class PartyIn(Schema):
    country: str = ""
    organisation: str = ""
    represented_by: str = ""


class AgreementIn(Schema):
    title_en: str = Field(min_length=1, max_length=300)
    title_ru: str = ""
    kind: Literal["treaty", "cooperation", "declaration", "action_plan", "convention"] = "cooperation"
    signed: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    in_force: str | None = None
    ends: str | None = None
    parties: list[PartyIn]
    areas: list[str] = Field(default_factory=list, description="OECD FOS codes.")
    summary: str = ""
    notes: str = ""
    sources: list[str]


class CollaborationOut(Schema):
    name_en: str
    name_ru: str
    kind: str
    partner_countries: list[str]
    start: str
    description: str
    uncertain: str
    sources: list[str]

    @staticmethod
    def resolve_partner_countries(programme: Any) -> list[str]:
        return sorted(c.iso_alpha2 for c in programme.partner_countries.all())

    @staticmethod
    def resolve_start(programme: Any) -> str:
        return programme.start_text

    @staticmethod
    def resolve_sources(programme: Any) -> list[str]:
        return _source_keys(programme)


class FacilityOut(Schema):
    code: str
    name_en: str
    name_ru: str
    kind: str
    status: str
    operator: str | None = None
    country: str | None = Field(alias="country_id")
    site: str
    operating_since: str
    areas: list[str]
    description: str
    notes: str
    uncertain: str
    url: str
    sources: list[str]

    @staticmethod
    def resolve_operator(facility: Facility) -> str | None:
        return facility.operator.code if facility.operator_id and facility.operator else None

    @staticmethod
    def resolve_operating_since(facility: Facility) -> str:
        return facility.operating_since_text

    @staticmethod
    def resolve_areas(facility: Facility) -> list[str]:
        return [area.code for area in facility.areas.all()]

    @staticmethod
    def resolve_sources(facility: Facility) -> list[str]:
        return _source_keys(facility)


class FacilityDetailOut(FacilityOut):
    programmes: list[CollaborationOut]

    @staticmethod
    def resolve_programmes(facility: Facility) -> list[Any]:
        return list(facility.programmes.all())


class FacilityFilters(Schema):
    country: str = ""
    organisation: str = Field("", description="The operator's code.")
    region: str = Field("", description="A UN M49 region of the host country.")


class ExchangeProgrammeOut(Schema):
    code: str
    name_en: str
    name_ru: str
    kind: str
    operator: str | None = None
    facility: str | None = None
    start: str
    areas: list[str]
    description: str
    url: str
    uncertain: str
    sources: list[str]

    @staticmethod
    def resolve_operator(programme: ExchangeProgramme) -> str | None:
        return programme.operator.code if programme.operator_id and programme.operator else None

    @staticmethod
    def resolve_facility(programme: ExchangeProgramme) -> str | None:
        return programme.facility.code if programme.facility_id and programme.facility else None

    @staticmethod
    def resolve_start(programme: ExchangeProgramme) -> str:
        return programme.start_text

    @staticmethod
    def resolve_areas(programme: ExchangeProgramme) -> list[str]:
        return [area.code for area in programme.areas.all()]

    @staticmethod
    def resolve_sources(programme: ExchangeProgramme) -> list[str]:
        return _source_keys(programme)


class ExchangeFilters(Schema):
    kind: str = ""
    organisation: str = Field("", description="The operator's code.")


class QuotaOut(Schema):
    id: int
    country: str = Field(alias="country_id")
    year: int
    places: int
    tracks_use: bool
    used: int | None = Field(description="Places taken; empty when the quota's use is not tracked here.")
    remaining: int | None = Field(description="Places left; empty when the quota's use is not tracked here.")
    notes: str


class QuotaFilters(Schema):
    year: int | None = None
    country: str = ""


class QuotaIn(Schema):
    country: str = Field(min_length=2, max_length=2)
    year: int = Field(ge=1900, le=2200)
    places: int = Field(ge=0, le=2**31 - 1)  # the column is a 32-bit integer: PostgreSQL refused more (a 500)
    tracks_use: StrictBool = False
    notes: str = ""


class ProblemOut(Schema):
    kind: str
    entry: str
    label: str
    detail: str


# --- countries and regions ---------------------------------------------------------------------------------------------------


@router.get("/countries", response={200: list[CountryOut], **error_responses(401, 422)}, summary="List countries")
@paginate(LimitOffsetPage)
def list_countries(request: HttpRequest, filters: Query[CountryFilters]) -> QuerySet[Country]:
    """UN M49 countries and areas, optionally those in a bloc or organisation on a day, or in a region."""
    return selectors.countries_visible_to(actor_of(request), filters.query())


@router.get(
    "/countries/{code}", response={200: CountryProfileOut, **error_responses(401, 404, 422)}, summary="Get a country"
)
def get_country(request: HttpRequest, code: str, on: IsoDate | None = None) -> dict[str, Any]:
    """A country's M49 place, every bloc and organisation membership (history), agreements and facilities."""
    profile = selectors.get_country_for(actor_of(request), code, on)
    return {
        "country": profile.country,
        "on": profile.on,
        "bloc_memberships": profile.bloc_memberships,
        "organisation_memberships": profile.organisation_memberships,
        "current_blocs": sorted({m.bloc.code for m in profile.bloc_memberships if m.holds_on(profile.on)}),
        "agreement_ids": [a.pk for a in profile.agreements],
        "facility_codes": [f.code for f in profile.facilities],
    }


@router.get("/regions", response={200: list[RegionOut], **error_responses(401)}, summary="List UN M49 regions")
def list_regions(request: HttpRequest) -> list[dict[str, Any]]:
    """Every M49 region with its sub-regions and intermediate regions."""
    return [
        {"name": r.name, "sub_regions": [{"name": s, "intermediate_regions": list(i)} for s, i in r.sub_regions]}
        for r in selectors.m49_regions()
    ]


# --- blocs -------------------------------------------------------------------------------------------------------------------


@router.get("/blocs", response={200: list[BlocOut], **error_responses(401, 422)}, summary="List blocs")
@paginate(LimitOffsetPage)
def list_blocs(request: HttpRequest) -> QuerySet[Bloc]:
    """Blocs and groupings (BRICS, SCO, EAEU, CIS, G20, OIC, ASEAN, African Union, Arab League...)."""
    return selectors.blocs_visible_to(actor_of(request))


@router.get("/blocs/{code}", response={200: BlocOut, **error_responses(401, 404, 422)}, summary="Get a bloc")
def get_bloc(request: HttpRequest, code: str) -> Bloc:
    return selectors.get_bloc_for(actor_of(request), code)


@router.get(
    "/blocs/{code}/memberships",
    response={200: list[BlocMembershipOut], **error_responses(401, 404, 422)},
    summary="List a bloc's memberships",
)
@paginate(LimitOffsetPage)
def list_bloc_memberships(
    request: HttpRequest, code: str, filters: Query[MembershipFilters]
) -> QuerySet[BlocMembership]:
    """A bloc's memberships: its whole history, or (with ``on``) those holding that day."""
    return selectors.bloc_memberships_for(actor_of(request), code, on=filters.on, kinds=filters.kinds())


@router.post(
    "/blocs/{code}/memberships",
    response={201: BlocMembershipOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Add a membership (administrators)",
)
def add_bloc_membership(request: HttpRequest, code: str, payload: MembershipIn) -> Status:
    """Record a country's (or a non-state entity's) membership of a bloc, dated and sourced."""
    data = payload.dict()
    country, entity_code, entity_name = data.pop("country"), data.pop("entity_code"), data.pop("entity_name")
    membership = services.add_bloc_membership(
        actor_of(request), code, country=country, entity_code=entity_code, entity_name=entity_name, **data
    )
    return Status(201, selectors.get_bloc_membership_for(actor_of(request), membership.pk))


@router.patch(
    "/memberships/{membership_id}",
    response={200: BlocMembershipOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Change a bloc membership (administrators)",
)
def update_bloc_membership(request: HttpRequest, membership_id: int, payload: MembershipPatch) -> BlocMembership:
    """Change a membership's kind, dates, status, notes or sources; only the fields sent change."""
    changes = payload.dict(exclude_unset=True)
    services.update_bloc_membership(actor_of(request), membership_id, **changes)
    return selectors.get_bloc_membership_for(actor_of(request), membership_id)


# --- organisations ------------------------------------------------------------------------------------------------------------


@router.get(
    "/organisations",
    response={200: list[InternationalOrganisationOut], **error_responses(401, 422)},
    summary="List organisations",
)
@paginate(LimitOffsetPage)
def list_organisations(
    request: HttpRequest, filters: Query[InternationalOrganisationFilters]
) -> QuerySet[Organisation]:
    """International organisations (UNESCO, UNIDO, IAEA, WHO, JINR...)."""
    return selectors.organisations_visible_to(actor_of(request), bloc=filters.bloc.strip(), kind=filters.kind.strip())


@router.get(
    "/organisations/{code}",
    response={200: InternationalOrganisationOut, **error_responses(401, 404, 422)},
    summary="Get an organisation",
)
def get_organisation(request: HttpRequest, code: str) -> Organisation:
    return selectors.get_organisation_for(actor_of(request), code)


@router.get(
    "/organisations/{code}/memberships",
    response={200: list[OrganisationMembershipOut], **error_responses(401, 404, 422)},
    summary="List an organisation's memberships",
)
@paginate(LimitOffsetPage)
def list_organisation_memberships(
    request: HttpRequest, code: str, filters: Query[MembershipFilters]
) -> QuerySet[OrganisationMembership]:
    return selectors.organisation_memberships_for(actor_of(request), code, on=filters.on, kinds=filters.kinds())


# --- agreements ------------------------------------------------------------------------------------------------------------


@router.get("/agreements", response={200: list[AgreementOut], **error_responses(401, 422)}, summary="List agreements")
@paginate(LimitOffsetPage)
def list_agreements(request: HttpRequest, filters: Query[AgreementFilters]) -> QuerySet[Agreement]:
    """Cooperation agreements, by party (country, organisation, a bloc's countries) or area of science."""
    return selectors.agreements_visible_to(actor_of(request), filters.query())


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, **error_responses(401, 404, 422)},
    summary="Get an agreement",
)
def get_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return selectors.get_agreement_for(actor_of(request), agreement_id)


@router.post(
    "/agreements",
    response={201: AgreementOut, **error_responses(400, 401, 403, 422)},
    summary="Record an agreement (administrators)",
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    data = payload.dict()
    agreement = services.create_agreement(actor_of(request), **data)
    return Status(201, selectors.get_agreement_for(actor_of(request), agreement.pk))


# --- facilities and exchange programmes ---------------------------------------------------------------------------------------


@router.get("/facilities", response={200: list[FacilityOut], **error_responses(401, 422)}, summary="List facilities")
@paginate(LimitOffsetPage)
def list_facilities(request: HttpRequest, filters: Query[FacilityFilters]) -> QuerySet[Facility]:
    """Mega-science research facilities, by host country, operator or M49 region."""
    return selectors.facilities_visible_to(
        actor_of(request),
        country=filters.country.strip(),
        organisation=filters.organisation.strip(),
        region=filters.region.strip(),
    )


@router.get(
    "/facilities/{code}", response={200: FacilityDetailOut, **error_responses(401, 404, 422)}, summary="Get a facility"
)
def get_facility(request: HttpRequest, code: str) -> Facility:
    """A facility with its collaboration programmes."""
    return selectors.get_facility_for(actor_of(request), code)


@router.get(
    "/exchange-programmes",
    response={200: list[ExchangeProgrammeOut], **error_responses(401, 422)},
    summary="List exchange programmes",
)
@paginate(LimitOffsetPage)
def list_exchange_programmes(request: HttpRequest, filters: Query[ExchangeFilters]) -> QuerySet[ExchangeProgramme]:
    """Exchange, academic-mobility, fellowship and visiting-researcher programmes."""
    return selectors.exchange_programmes_visible_to(
        actor_of(request), kind=filters.kind.strip(), organisation=filters.organisation.strip()
    )


@router.get(
    "/exchange-programmes/{code}",
    response={200: ExchangeProgrammeOut, **error_responses(401, 404, 422)},
    summary="Get an exchange programme",
)
def get_exchange_programme(request: HttpRequest, code: str) -> ExchangeProgramme:
    return selectors.get_exchange_programme_for(actor_of(request), code)


@router.get(
    "/exchange-programmes/{code}/quotas",
    response={200: list[QuotaOut], **error_responses(401, 404, 422)},
    summary="List a programme's quotas",
)
@paginate(LimitOffsetPage)
def list_quotas(request: HttpRequest, code: str, filters: Query[QuotaFilters]) -> QuerySet[ExchangeQuota]:
    """Places per partner country and year, with the places used and remaining where tracked here."""
    return selectors.quotas_for(actor_of(request), code, year=filters.year, country=filters.country.strip())


@router.put(
    "/exchange-programmes/{code}/quotas",
    response={200: QuotaOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Set a quota (administrators)",
)
def set_quota(request: HttpRequest, code: str, payload: QuotaIn) -> ExchangeQuota:
    """Create or replace the places for one partner country and year; below the places already taken is 409."""
    quota = services.set_exchange_quota(actor_of(request), code, **payload.dict())
    return selectors.get_quota_for(actor_of(request), quota.pk)


# --- sources, science areas, gaps ---------------------------------------------------------------------------------------------


@router.get("/sources", response={200: list[SourceOut], **error_responses(401, 422)}, summary="List sources")
@paginate(LimitOffsetPage)
def list_sources(request: HttpRequest) -> QuerySet[Source]:
    return selectors.sources_visible_to(actor_of(request))


@router.post(
    "/sources",
    response={201: SourceOut, **error_responses(400, 401, 403, 422)},
    summary="Add a source (administrators)",
)
def create_source(request: HttpRequest, payload: SourceIn) -> Status:
    return Status(201, services.create_source(actor_of(request), **payload.dict()))


@router.get("/science-areas", response={200: list[AreaOut], **error_responses(401, 422)}, summary="List science areas")
@paginate(LimitOffsetPage)
def list_science_areas(request: HttpRequest) -> QuerySet[ScienceArea]:
    """OECD Fields of Science and Technology, the areas agreements and programmes name."""
    return selectors.science_areas_visible_to(actor_of(request))


@router.get("/check", response={200: list[ProblemOut], **error_responses(401)}, summary="List the registry's gaps")
def check_registry(request: HttpRequest) -> list[completeness.Problem]:
    """What ``talentgate registry check`` reports: missing regions, undated entries, unsourced entries."""
    return completeness.registry_problems()
