"""Reads of the cooperation registry: everyone signed in sees all of it (it holds no personal data), nobody else.

Also the filters analytics reuses: :func:`countries_in_bloc` (the countries in a bloc on a date),
:func:`countries_in_organisation` and :func:`countries_in_region` (UN M49 region, sub-region or
intermediate region). They serve analytics, this registry and exchange-quota programmes; they are never
a filter in a merit round (see the package docstring).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from talentgate.common.access import role_of
from talentgate.common.errors import NotFound
from talentgate.cooperation.models import (
    Agreement,
    AgreementParty,
    Bloc,
    BlocMembership,
    CollaborationProgramme,
    ExchangeProgramme,
    ExchangeQuota,
    Facility,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    ScienceArea,
    Source,
)
from talentgate.reference.models import Country

#: The kinds counted as "in" a bloc by default: full members only.
MEMBERS_ONLY = (MembershipKind.MEMBER,)


def today() -> dt.date:
    return timezone.localdate()


def _may_read(actor: Any) -> bool:
    return role_of(actor) is not None


def held_on(on: dt.date, prefix: str = "") -> Q:
    """The memberships that held on ``on`` (``prefix`` reaches them through a relation, e.g. ``"memberships__"``)."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": on})
    )


def suspended_on(on: dt.date, prefix: str = "") -> Q:
    """The memberships suspended on ``on`` (the suspension recorded from ``status_since``)."""
    return Q(**{f"{prefix}status": MembershipStatus.SUSPENDED}) & (
        Q(**{f"{prefix}status_since__isnull": True}) | Q(**{f"{prefix}status_since__lte": on})
    )


# --- the filters analytics reuses --------------------------------------------------------------------------------


def countries_in_bloc(
    bloc: Bloc | str,
    on: dt.date | None = None,
    kinds: Iterable[str] = MEMBERS_ONLY,
    include_suspended: bool = True,
) -> QuerySet[Country]:
    """The countries holding one of ``kinds`` in ``bloc`` (an instance or its code) on ``on`` (default: today).

    A suspended member is still a member (suspension does not end membership); pass
    ``include_suspended=False`` to leave out those suspended on that day. Non-state members (the
    European Union, the African Union in the G20) are not countries and are never returned.
    """
    on = on or today()
    memberships = BlocMembership.objects.filter(held_on(on), kind__in=list(kinds), country__isnull=False)
    memberships = memberships.filter(bloc=bloc) if isinstance(bloc, Bloc) else memberships.filter(bloc__code=bloc)
    if not include_suspended:
        memberships = memberships.exclude(suspended_on(on))
    return Country.objects.filter(iso_alpha2__in=memberships.values("country_id"))


def countries_in_organisation(
    organisation: Organisation | str, on: dt.date | None = None, kinds: Iterable[str] = MEMBERS_ONLY
) -> QuerySet[Country]:
    """The countries holding one of ``kinds`` in an international organisation on ``on`` (default: today)."""
    on = on or today()
    memberships = OrganisationMembership.objects.filter(held_on(on), kind__in=list(kinds), country__isnull=False)
    if isinstance(organisation, Organisation):
        memberships = memberships.filter(organisation=organisation)
    else:
        memberships = memberships.filter(organisation__code=organisation)
    return Country.objects.filter(iso_alpha2__in=memberships.values("country_id"))


def countries_in_region(region: str = "", sub_region: str = "", intermediate_region: str = "") -> QuerySet[Country]:
    """The M49 countries and areas of a region, sub-region and/or intermediate region (empty: no condition)."""
    countries = Country.objects.all()
    if region:
        countries = countries.filter(region=region)
    if sub_region:
        countries = countries.filter(sub_region=sub_region)
    if intermediate_region:
        countries = countries.filter(intermediate_region=intermediate_region)
    return countries


@dataclass(frozen=True)
class Region:
    """A UN M49 region with its sub-regions (and each sub-region's intermediate regions)."""

    name: str
    sub_regions: tuple[tuple[str, tuple[str, ...]], ...]


def m49_regions() -> list[Region]:
    """Every M49 region with its sub-regions and intermediate regions, by name (for filters and pickers)."""
    tree: dict[str, dict[str, set[str]]] = {}
    rows = Country.objects.exclude(region="").values_list("region", "sub_region", "intermediate_region").distinct()
    for region, sub_region, intermediate in rows:
        subs = tree.setdefault(region, {})
        inter = subs.setdefault(sub_region, set())
        if intermediate:
            inter.add(intermediate)
    return [
        Region(name, tuple((sub, tuple(sorted(inter))) for sub, inter in sorted(subs.items())))
        for name, subs in sorted(tree.items())
    ]


def blocs_of_country(country_code: str, on: dt.date | None = None) -> QuerySet[BlocMembership]:
    """The country's bloc memberships of any kind holding on ``on`` (default: today)."""
    on = on or today()
    return BlocMembership.objects.filter(held_on(on), country_id=country_code).select_related("bloc")


def blocs_of_countries(country_codes: Iterable[str], on: dt.date | None = None) -> dict[str, list[BlocMembership]]:
    """``{country code: its bloc memberships holding on on}`` for many countries in one query (list pages)."""
    found: dict[str, list[BlocMembership]] = {}
    rows = (
        BlocMembership.objects.filter(held_on(on or today()), country_id__in=list(country_codes))
        .select_related("bloc")
        .order_by("bloc__acronym_en", "kind")
    )
    for membership in rows:
        found.setdefault(str(membership.country_id), []).append(membership)
    return found


def members_on(bloc: Bloc, on: dt.date | None = None) -> dict[str, int]:
    """How many parties hold each kind of membership in ``bloc`` on ``on``, e.g. ``{"member": 10, "partner": 10}``."""
    rows = bloc.memberships.filter(held_on(on or today())).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


# --- registry pages and API --------------------------------------------------------------------------------------


def sources_visible_to(actor: Any) -> QuerySet[Source]:
    return Source.objects.all() if _may_read(actor) else Source.objects.none()


def science_areas_visible_to(actor: Any) -> QuerySet[ScienceArea]:
    return ScienceArea.objects.all() if _may_read(actor) else ScienceArea.objects.none()


def blocs_visible_to(actor: Any) -> QuerySet[Bloc]:
    if not _may_read(actor):
        return Bloc.objects.none()
    return Bloc.objects.prefetch_related("sources")


def get_bloc_for(actor: Any, code: str) -> Bloc:
    bloc = blocs_visible_to(actor).filter(code=code).first()
    if bloc is None:
        raise NotFound("bloc")
    return bloc


def _membership_rows(queryset: QuerySet[Any], on: dt.date | None, kinds: Iterable[str]) -> QuerySet[Any]:
    kinds = list(kinds)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if on is not None:
        queryset = queryset.filter(held_on(on))
    return queryset.select_related("country", "member_bloc").prefetch_related("sources")


def bloc_memberships_for(
    actor: Any, code: str, *, on: dt.date | None = None, kinds: Iterable[str] = ()
) -> QuerySet[BlocMembership]:
    """A bloc's memberships: all of them (its history), or those holding on ``on``; optionally of some kinds only."""
    bloc = get_bloc_for(actor, code)
    rows = _membership_rows(bloc.memberships.all(), on, kinds)
    return rows.order_by("kind", "country__name_en", "entity_name", "start_date", "pk")


def get_bloc_membership_for(actor: Any, membership_id: int) -> BlocMembership:
    if not _may_read(actor):
        raise NotFound("membership")
    membership = (
        BlocMembership.objects.select_related("bloc", "country", "member_bloc").filter(pk=membership_id).first()
    )
    if membership is None:
        raise NotFound("membership")
    return membership


@dataclass
class CountryFilter:
    """The registry's country filters; every field empty means no condition."""

    bloc: str = ""
    organisation: str = ""
    region: str = ""
    sub_region: str = ""
    kinds: tuple[str, ...] = ()
    on: dt.date | None = None
    search: str = ""

    @property
    def day(self) -> dt.date:
        return self.on or today()


def countries_visible_to(actor: Any, filters: CountryFilter | None = None) -> QuerySet[Country]:
    """Countries (M49) with the registry's filters: in a bloc or organisation on a day, in a region or sub-region."""
    if not _may_read(actor):
        return Country.objects.none()
    filters = filters or CountryFilter()
    countries = countries_in_region(filters.region, filters.sub_region)
    kinds = filters.kinds or MEMBERS_ONLY
    if filters.bloc:
        countries = countries.filter(iso_alpha2__in=countries_in_bloc(filters.bloc, filters.day, kinds).values("pk"))
    if filters.organisation:
        in_organisation = countries_in_organisation(filters.organisation, filters.day, kinds)
        countries = countries.filter(iso_alpha2__in=in_organisation.values("pk"))
    if filters.search:
        term = filters.search.strip()
        countries = countries.filter(
            Q(name_en__icontains=term) | Q(iso_alpha2__iexact=term) | Q(iso_alpha3__iexact=term)
        )
    return countries.order_by("name_en")


@dataclass
class CountryProfile:
    """One country as the registry sees it: its M49 place, memberships, agreements, facilities and quotas."""

    country: Country
    on: dt.date
    bloc_memberships: list[BlocMembership] = field(default_factory=list)
    organisation_memberships: list[OrganisationMembership] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    collaborations: list[CollaborationProgramme] = field(default_factory=list)
    quotas: list[ExchangeQuota] = field(default_factory=list)

    @property
    def current_bloc_memberships(self) -> list[BlocMembership]:
        """The bloc memberships holding on the profile's day."""
        return [m for m in self.bloc_memberships if m.holds_on(self.on)]


def get_country_for(actor: Any, code: str, on: dt.date | None = None) -> CountryProfile:
    """A country's registry profile (every membership, with those holding on ``on`` marked by the caller)."""
    if not _may_read(actor):
        raise NotFound("country")
    country = Country.objects.filter(iso_alpha2=str(code).upper()).first()
    if country is None:
        raise NotFound("country")
    return CountryProfile(
        country=country,
        on=on or today(),
        bloc_memberships=list(
            BlocMembership.objects.filter(country=country)
            .select_related("bloc")
            .prefetch_related("sources")
            .order_by("bloc__acronym_en", "start_date")
        ),
        organisation_memberships=list(
            OrganisationMembership.objects.filter(country=country)
            .select_related("organisation")
            .prefetch_related("sources")
            .order_by("organisation__name_en", "start_date")
        ),
        agreements=list(Agreement.objects.filter(parties__country=country).distinct().order_by("signed_on")),
        facilities=list(Facility.objects.filter(country=country).select_related("operator")),
        collaborations=list(
            CollaborationProgramme.objects.filter(partner_countries=country).select_related("facility")
        ),
        quotas=list(
            _quotas().filter(country=country).select_related("programme").order_by("programme__name_en", "year")
        ),
    )


def organisations_visible_to(actor: Any, *, bloc: str = "", kind: str = "") -> QuerySet[Organisation]:
    if not _may_read(actor):
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("bloc", "headquarters_country").prefetch_related("sources")
    if bloc:
        organisations = organisations.filter(bloc__code=bloc)
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name_en")


def get_organisation_for(actor: Any, code: str) -> Organisation:
    organisation = organisations_visible_to(actor).filter(code=code).first()
    if organisation is None:
        raise NotFound("organisation")
    return organisation


def organisation_memberships_for(
    actor: Any, code: str, *, on: dt.date | None = None, kinds: Iterable[str] = ()
) -> QuerySet[OrganisationMembership]:
    organisation = get_organisation_for(actor, code)
    rows = _membership_rows(organisation.memberships.all(), on, kinds)
    return rows.order_by("kind", "country__name_en", "entity_name", "start_date", "pk")


@dataclass
class AgreementFilter:
    country: str = ""
    organisation: str = ""
    bloc: str = ""
    area: str = ""
    on: dt.date | None = None


def agreements_visible_to(actor: Any, filters: AgreementFilter | None = None) -> QuerySet[Agreement]:
    """Agreements, optionally with a party (a country, an organisation, a country of a bloc on the day) or an area.

    An area filter matches the area and its sub-areas (``1`` matches ``1.3``).
    """
    if not _may_read(actor):
        return Agreement.objects.none()
    filters = filters or AgreementFilter()
    agreements = Agreement.objects.prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("country", "organisation")),
        "areas",
        "sources",
    )
    if filters.country:
        agreements = agreements.filter(parties__country_id=filters.country.upper())
    if filters.organisation:
        agreements = agreements.filter(parties__organisation__code=filters.organisation)
    if filters.bloc:
        in_bloc = countries_in_bloc(filters.bloc, filters.on or today())
        agreements = agreements.filter(parties__country__in=in_bloc)
    if filters.area:
        agreements = agreements.filter(Q(areas__code=filters.area) | Q(areas__code__startswith=f"{filters.area}."))
    return agreements.distinct().order_by("signed_on", "title_en", "pk")


def get_agreement_for(actor: Any, agreement_id: int) -> Agreement:
    agreement = agreements_visible_to(actor).filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound("agreement")
    return agreement


def facilities_visible_to(
    actor: Any, *, country: str = "", organisation: str = "", region: str = ""
) -> QuerySet[Facility]:
    if not _may_read(actor):
        return Facility.objects.none()
    facilities = Facility.objects.select_related("operator", "country").prefetch_related("areas", "sources")
    if country:
        facilities = facilities.filter(country_id=country.upper())
    if organisation:
        facilities = facilities.filter(operator__code=organisation)
    if region:
        facilities = facilities.filter(country__region=region)
    return facilities.order_by("name_en")


def get_facility_for(actor: Any, code: str) -> Facility:
    facility = (
        facilities_visible_to(actor)
        .prefetch_related(
            Prefetch(
                "programmes",
                queryset=CollaborationProgramme.objects.prefetch_related("partner_countries", "sources"),
            ),
            "exchange_programmes",
        )
        .filter(code=code)
        .first()
    )
    if facility is None:
        raise NotFound("facility")
    return facility


def exchange_programmes_visible_to(
    actor: Any, *, kind: str = "", organisation: str = ""
) -> QuerySet[ExchangeProgramme]:
    if not _may_read(actor):
        return ExchangeProgramme.objects.none()
    programmes = ExchangeProgramme.objects.select_related("operator", "facility", "bloc").prefetch_related(
        "areas", "sources"
    )
    if kind:
        programmes = programmes.filter(kind=kind)
    if organisation:
        programmes = programmes.filter(operator__code=organisation)
    return programmes.annotate(quota_count=Count("quotas")).order_by("name_en")


def get_exchange_programme_for(actor: Any, code: str) -> ExchangeProgramme:
    programme = exchange_programmes_visible_to(actor).filter(code=code).first()
    if programme is None:
        raise NotFound("exchange programme")
    return programme


def _quotas() -> QuerySet[ExchangeQuota]:
    return ExchangeQuota.objects.select_related("country").annotate(allocated=Count("allocations"))


def quotas_for(
    actor: Any, programme_code: str, *, year: int | None = None, country: str = ""
) -> QuerySet[ExchangeQuota]:
    """A programme's quotas with the places used and remaining (where the quota tracks its use here)."""
    programme = get_exchange_programme_for(actor, programme_code)
    quotas = _quotas().filter(programme=programme)
    if year is not None:
        quotas = quotas.filter(year=year)
    if country:
        quotas = quotas.filter(country_id=country.upper())
    return quotas.order_by("year", "country__name_en")


def get_quota_for(actor: Any, quota_id: int) -> ExchangeQuota:
    if not _may_read(actor):
        raise NotFound("quota")
    quota = _quotas().select_related("programme").filter(pk=quota_id).first()
    if quota is None:
        raise NotFound("quota")
    return quota
