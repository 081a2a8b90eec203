"""``registry check`` finds each kind of gap in crafted bad data and nothing in the shipped data."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.cooperation.completeness import MISSING_REGION, UNDATED, UNSOURCED, registry_problems
from talentgate.cooperation.models import Agreement, Bloc, BlocMembership, OrganisationMembership
from talentgate.reference.models import Country

pytestmark = pytest.mark.django_db


def test_the_shipped_registry_has_no_gap():
    assert registry_problems() == []


def test_a_country_without_an_m49_region_is_reported_once_the_registry_names_it():
    kosovo = Country.objects.create(
        iso_alpha2="XK", iso_alpha3="XKX", m49_code="983", name_en="Kosovo", source="added by hand"
    )
    assert registry_problems() == []  # not named by the registry yet
    membership = BlocMembership.objects.create(
        bloc=Bloc.objects.get(code="oic"), country=kosovo, kind="observer", start_date=dt.date(2020, 1, 1)
    )
    membership.sources.set(Bloc.objects.get(code="oic").sources.all())
    (problem,) = registry_problems()
    assert (problem.kind, problem.entry, problem.detail) == (MISSING_REGION, "country XK", "no UN M49 region")


def test_undated_memberships_and_agreements_are_reported():
    undated = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    BlocMembership.objects.filter(pk=undated.pk).update(start_date=None)
    jinr_membership = OrganisationMembership.objects.filter(organisation__code="jinr").first()
    OrganisationMembership.objects.filter(pk=jinr_membership.pk).update(start_date=None)
    agreement = Agreement.objects.create(title_en="An undated memorandum", kind="cooperation")
    agreement.sources.set(Bloc.objects.get(code="brics").sources.all())
    problems = registry_problems()
    assert {p.entry for p in problems if p.kind == UNDATED} == {
        f"blocmembership {undated.pk}",
        f"organisationmembership {jinr_membership.pk}",
        f"agreement {agreement.pk}",
    }
    assert {p.kind for p in problems} == {UNDATED}


def test_entries_without_a_source_are_reported():
    bloc = Bloc.objects.create(code="quad", acronym_en="Quad", name_en="Quadrilateral dialogue", kind="forum")
    membership = BlocMembership.objects.create(bloc=bloc, country_id="IN", start_date=dt.date(2007, 1, 1))
    problems = registry_problems()
    assert [(p.kind, p.entry) for p in problems] == [
        (UNSOURCED, f"bloc {bloc.pk}"),
        (UNSOURCED, f"blocmembership {membership.pk}"),
    ]
