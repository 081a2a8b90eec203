"""What ``talentgate registry check`` reports: countries without an M49 region, undated memberships and
agreements, and entries without a source.

Only countries the registry uses are checked for a region (M49 leaves Antarctica without one, and nothing
here names it); a country is used when a membership, an agreement, a facility, a collaboration programme,
a quota or an organisation's headquarters names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

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
)
from talentgate.reference.models import Country

MISSING_REGION = "missing_region"
UNDATED = "undated"
UNSOURCED = "unsourced"
PROBLEM_KINDS = (MISSING_REGION, UNDATED, UNSOURCED)


@dataclass(frozen=True)
class Problem:
    """One gap in the registry: its kind, the entry (``bloc-membership 12``) and what is missing."""

    kind: str
    entry: str
    label: str
    detail: str


def _entry(obj: Model) -> str:
    return f"{obj._meta.model_name} {obj.pk}"


def _label(obj: Any) -> str:
    """A membership as "<bloc or organisation>: <party>"; anything else by its own name."""
    owner = getattr(obj, "bloc", None) or getattr(obj, "organisation", None)
    if hasattr(obj, "party_name") and owner is not None:
        return f"{owner}: {obj.party_name}"
    return str(obj)


def _used_country_codes() -> set[str]:
    codes: set[str] = set()
    for queryset in (
        BlocMembership.objects.values_list("country_id", flat=True),
        OrganisationMembership.objects.values_list("country_id", flat=True),
        AgreementParty.objects.values_list("country_id", flat=True),
        Facility.objects.values_list("country_id", flat=True),
        CollaborationProgramme.objects.values_list("partner_countries", flat=True),
        ExchangeQuota.objects.values_list("country_id", flat=True),
        Organisation.objects.values_list("headquarters_country_id", flat=True),
    ):
        codes.update(code for code in queryset if code)
    return codes


def missing_regions() -> list[Problem]:
    """Countries the registry names whose M49 region or sub-region is empty."""
    countries = Country.objects.filter(iso_alpha2__in=_used_country_codes()).filter(Q(region="") | Q(sub_region=""))
    return [
        Problem(
            MISSING_REGION,
            f"country {country.iso_alpha2}",
            country.name_en,
            "no UN M49 region" if not country.region else "no UN M49 sub-region",
        )
        for country in countries.order_by("iso_alpha2")
    ]


def undated_entries() -> list[Problem]:
    """Memberships without a start date and agreements with neither a signature nor an entry-into-force date."""
    problems: list[Problem] = []
    for model, owner in ((BlocMembership, "bloc"), (OrganisationMembership, "organisation")):
        rows: QuerySet[Any] = model.objects.filter(start_date__isnull=True).select_related(
            owner, "country", "member_bloc"
        )
        for row in rows.order_by("pk"):
            problems.append(
                Problem(
                    UNDATED, _entry(row), f"{getattr(row, owner)}: {row.party_name}", "membership has no start date"
                )
            )
    for agreement in Agreement.objects.filter(signed_on__isnull=True, in_force_from__isnull=True).order_by("pk"):
        problems.append(
            Problem(
                UNDATED, _entry(agreement), agreement.title_en, "agreement has no signature or entry-into-force date"
            )
        )
    return problems


SOURCED_MODELS: tuple[type[Model], ...] = (
    Bloc,
    BlocMembership,
    Organisation,
    OrganisationMembership,
    Agreement,
    Facility,
    CollaborationProgramme,
    ExchangeProgramme,
)


def unsourced_entries(models: Iterable[type[Model]] = SOURCED_MODELS) -> list[Problem]:
    """Registry entries that name no source."""
    problems: list[Problem] = []
    for model in models:
        for row in model._default_manager.filter(sources__isnull=True).order_by("pk"):
            problems.append(Problem(UNSOURCED, _entry(row), _label(row), "names no source"))
    return problems


def registry_problems() -> list[Problem]:
    """Every problem of every kind, grouped by kind (missing regions, undated, unsourced)."""
    return missing_regions() + undated_entries() + unsourced_entries()
