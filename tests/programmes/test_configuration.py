"""Programmes, priority sectors and targets are configured by administrators and supervisors, with exact errors."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.common.errors import NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.programmes import selectors, services
from talentgate.programmes.models import PrioritySector, Programme, SectorTarget

pytestmark = pytest.mark.django_db


def _rules(exc_info):
    return {(e.field, e.rule) for e in exc_info.value.errors}


def test_an_administrator_creates_a_programme_audited_on_its_chain(programme):
    assert (programme.code, programme.active, programme.four_eyes) == ("talent", True, False)
    entry = AuditEntry.objects.get(chain=f"programme:{programme.pk}")
    assert (entry.action, entry.fields) == ("programme.created", ["code", "name_en", "name_ru"])


def test_officers_and_candidates_do_not_configure_programmes(make_user):
    for role in (Role.OFFICER, Role.CANDIDATE, Role.ANALYST):
        with pytest.raises(PermissionRefused):
            services.create_programme(make_user(role), code="x", name_en="X")
    assert Programme.objects.count() == 0


def test_bad_programme_fields_are_named_and_nothing_is_written(configurer, programme):
    with pytest.raises(ValidationFailed) as caught:
        services.create_programme(configurer, code="Bad Code!", name_en="", colour="red")
    assert _rules(caught) == {("code", "code_format"), ("name_en", "blank"), ("colour", "unknown_field")}
    with pytest.raises(ValidationFailed) as caught:
        services.create_programme(configurer, code="talent", name_en="Again")
    assert _rules(caught) == {("code", "unique")}
    assert Programme.objects.count() == 1


def test_update_programme_changes_fields_and_refuses_unknown_ones(configurer, programme):
    services.update_programme(configurer, programme.pk, four_eyes=True, active=False)
    programme.refresh_from_db()
    assert (programme.four_eyes, programme.active) == (True, False)
    with pytest.raises(ValidationFailed) as caught:
        services.update_programme(configurer, programme.pk, code="")
    assert _rules(caught) == {("code", "blank")}
    with pytest.raises(NotFound):
        services.update_programme(configurer, 9999, active=True)


def test_sectors_form_a_hierarchy_without_cycles(configurer, sector):
    orbital = services.create_priority_sector(
        configurer, code="space.orbital", name_en="Orbital cluster", parent_id=sector.pk
    )
    satcom = services.create_priority_sector(
        configurer, code="space.orbital.satcom", name_en="Satellite communications", parent_id=orbital.pk
    )
    assert satcom.ancestors() == [orbital, sector]
    with pytest.raises(ValidationFailed) as caught:
        services.update_priority_sector(configurer, sector.pk, parent_id=satcom.pk)
    assert _rules(caught) == {("parent", "cycle")}
    sector.refresh_from_db()
    assert sector.parent is None
    with pytest.raises(ValidationFailed) as caught:
        services.create_priority_sector(configurer, code="dangling", name_en="Dangling", parent_id=99999)
    assert _rules(caught) == {("parent", "invalid")}
    assert PrioritySector.objects.count() == 3


def test_targets_are_set_then_replaced_per_programme_sector_year_and_region(configurer, programme, sector):
    target = services.set_sector_target(
        configurer, programme_id=programme.pk, sector_id=sector.pk, year=2026, target_count=120
    )
    regional = services.set_sector_target(
        configurer, programme_id=programme.pk, sector_id=sector.pk, year=2026, target_count=30, region="Primorsky Krai"
    )
    replaced = services.set_sector_target(
        configurer, programme_id=programme.pk, sector_id=sector.pk, year=2026, target_count=150
    )
    assert replaced.pk == target.pk
    assert sorted(SectorTarget.objects.values_list("region", "target_count")) == [("", 150), ("Primorsky Krai", 30)]
    assert regional.region == "Primorsky Krai"
    actions = list(AuditEntry.objects.filter(chain=f"programme:{programme.pk}").values_list("action", flat=True))
    assert actions == ["programme.created", "target.created", "target.created", "target.updated"]


def test_bad_targets_are_refused_naming_the_field(configurer, programme, sector):
    with pytest.raises(ValidationFailed) as caught:
        services.set_sector_target(
            configurer, programme_id=programme.pk, sector_id=sector.pk, year=1999, target_count=0
        )
    assert _rules(caught) == {("year", "min_value"), ("target_count", "min_value")}
    with pytest.raises(ValidationFailed) as caught:
        services.set_sector_target(configurer, programme_id=9999, sector_id=sector.pk, year=2026, target_count=1)
    assert _rules(caught) == {("programme", "invalid")}
    assert SectorTarget.objects.count() == 0


def test_inactive_programmes_are_seen_only_by_programme_staff(configurer, programme, make_user, officer):
    services.update_programme(configurer, programme.pk, active=False)
    candidate = make_user(Role.CANDIDATE)
    assert not selectors.programmes_visible_to(candidate).exists()
    assert selectors.get_programme_for(officer, programme.pk) == programme
    with pytest.raises(NotFound):
        selectors.get_programme_for(candidate, programme.pk)


def test_targets_are_for_programme_staff_and_analysts(configurer, programme, sector, make_user):
    services.set_sector_target(configurer, programme_id=programme.pk, sector_id=sector.pk, year=2026, target_count=5)
    assert selectors.targets_visible_to(make_user(Role.ANALYST)).count() == 1
    assert selectors.targets_visible_to(make_user(Role.CANDIDATE)).count() == 0
    assert selectors.sectors_visible_to(make_user(Role.CANDIDATE)).count() == 1
    assert selectors.sectors_visible_to(None).count() == 0
