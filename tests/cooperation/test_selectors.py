"""Membership as of a day, the bloc and region filters analytics reuses, quotas with use, and reads for signed-in people only."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.accounts.roles import Role
from talentgate.common.errors import NotFound
from talentgate.cooperation import selectors, services
from talentgate.cooperation.models import ExchangeQuota

pytestmark = pytest.mark.django_db

D = dt.date


def codes(countries) -> set[str]:
    return set(countries.values_list("iso_alpha2", flat=True))


def test_a_country_joining_brics_in_2024_counts_from_that_day():
    founders = {"BR", "RU", "IN", "CN", "ZA"}
    assert codes(selectors.countries_in_bloc("brics", on=D(2023, 12, 31))) == founders
    assert codes(selectors.countries_in_bloc("brics", on=D(2024, 1, 1))) == founders | {"EG", "ET", "IR", "AE"}
    assert "ID" not in codes(selectors.countries_in_bloc("brics", on=D(2025, 1, 5)))
    assert "ID" in codes(selectors.countries_in_bloc("brics", on=D(2025, 1, 6)))
    # Indonesia was a partner for five days before it became a member; Saudi Arabia is only an unconfirmed invitee.
    assert "ID" in codes(selectors.countries_in_bloc("brics", on=D(2025, 1, 2), kinds=["partner"]))
    assert "SA" not in codes(selectors.countries_in_bloc("brics", on=D(2026, 1, 1)))


def test_a_membership_ends_on_its_end_date():
    assert "GE" in codes(selectors.countries_in_bloc("cis", on=D(2009, 8, 17)))
    assert "GE" not in codes(selectors.countries_in_bloc("cis", on=D(2009, 8, 18)))


def test_suspended_members_count_unless_left_out_and_only_from_the_suspension():
    assert "NE" in codes(selectors.countries_in_bloc("african-union", on=D(2024, 1, 1)))
    assert "NE" not in codes(selectors.countries_in_bloc("african-union", on=D(2024, 1, 1), include_suspended=False))
    assert "NE" in codes(selectors.countries_in_bloc("african-union", on=D(2023, 8, 21), include_suspended=False))


def test_non_state_members_are_not_countries():
    g20 = selectors.countries_in_bloc("g20", on=D(2025, 1, 1))
    assert g20.count() == 19
    assert "EU" not in codes(g20)


def test_the_sco_categories_merge_on_the_tianjin_day():
    before, after = D(2025, 8, 31), D(2025, 9, 1)
    assert "MN" in codes(selectors.countries_in_bloc("sco", on=before, kinds=["observer"]))
    assert "MN" not in codes(selectors.countries_in_bloc("sco", on=after, kinds=["observer"]))
    assert "MN" in codes(selectors.countries_in_bloc("sco", on=after, kinds=["partner"]))


def test_region_filters_follow_un_m49():
    assert selectors.countries_in_region("Africa").count() == 60
    assert "EG" in codes(selectors.countries_in_region(sub_region="Northern Africa"))
    assert codes(selectors.countries_in_region("Americas", intermediate_region="Caribbean")) >= {"CU", "JM"}
    regions = {region.name: dict(region.sub_regions) for region in selectors.m49_regions()}
    assert set(regions) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert "Caribbean" in regions["Americas"]["Latin America and the Caribbean"]


def test_organisation_members_on_a_day():
    assert "CZ" in codes(selectors.countries_in_organisation("jinr", on=D(2022, 12, 30)))
    assert "CZ" not in codes(selectors.countries_in_organisation("jinr", on=D(2023, 1, 1)))
    assert "EG" in codes(selectors.countries_in_organisation("jinr", on=D(2021, 11, 22)))
    assert "EG" not in codes(selectors.countries_in_organisation("jinr", on=D(2021, 11, 21)))


def test_quota_use_is_computed_where_tracked_and_absent_otherwise(make_user):
    officer, reader = make_user(Role.OFFICER), make_user(Role.CANDIDATE)
    quota = ExchangeQuota.objects.get(programme__code="demo-partner-mobility", country_id="IN", year=2026)
    services.allocate_quota_place(officer, quota.pk, "award:1")
    services.allocate_quota_place(officer, quota.pk, "award:2")
    (row,) = selectors.quotas_for(reader, "demo-partner-mobility", year=2026, country="IN")
    assert (row.places, row.used, row.remaining) == (40, 2, 38)
    untracked = ExchangeQuota.objects.create(programme=quota.programme, country_id="BR", year=2027, places=5)
    assert (untracked.used, untracked.remaining) == (None, None)


def test_the_registry_is_for_people_signed_in(make_user):
    assert not selectors.blocs_visible_to(None).exists()
    assert not selectors.countries_visible_to(None).exists()
    with pytest.raises(NotFound):
        selectors.get_bloc_for(None, "brics")
    for role in Role:
        assert selectors.get_bloc_for(make_user(role), "brics").acronym_en == "BRICS"


def test_country_list_filters_combine_bloc_day_and_region(make_user):
    reader = make_user(Role.ANALYST)
    filters = selectors.CountryFilter(bloc="brics", region="Africa", on=D(2024, 6, 1))
    assert codes(selectors.countries_visible_to(reader, filters)) == {"ZA", "EG", "ET"}
    filters = selectors.CountryFilter(
        bloc="brics", kinds=("partner",), on=D(2025, 7, 1), sub_region="South-eastern Asia"
    )
    assert codes(selectors.countries_visible_to(reader, filters)) == {"MY", "TH", "VN"}
