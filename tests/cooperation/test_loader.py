"""The shipped registry files load after migrate, load again without changing anything, keep administrators'
edits, and a broken file is refused naming the file, the path inside it and the rule, with nothing written."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

import pytest

from talentgate.common.models import AuditEntry
from talentgate.cooperation.loader import REGISTRY_CHAIN, RegistryDataError, load_registry, read_registry_data
from talentgate.cooperation.models import (
    Agreement,
    Bloc,
    BlocMembership,
    ExchangeQuota,
    Facility,
    Organisation,
    OrganisationMembership,
    RegistryLoad,
    ScienceArea,
    Source,
)

pytestmark = pytest.mark.django_db

REGISTRY_MODELS = (
    Source,
    ScienceArea,
    Bloc,
    BlocMembership,
    Organisation,
    OrganisationMembership,
    Agreement,
    Facility,
    ExchangeQuota,
)


def snapshot() -> dict[str, list[tuple]]:
    return {model.__name__: sorted(map(tuple, model.objects.values_list())) for model in REGISTRY_MODELS}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped files to alter."""
    shipped = Path(str(resources.files("talentgate.cooperation").joinpath("data")))
    target = tmp_path / "data"
    shutil.copytree(shipped, target)
    return target


def test_the_shipped_registry_is_loaded_after_migrate():
    assert sorted(Bloc.objects.values_list("code", flat=True)) == [
        "african-union",
        "arab-league",
        "asean",
        "brics",
        "cis",
        "eaeu",
        "g20",
        "oic",
        "sco",
    ]
    brics = Bloc.objects.get(code="brics")
    egypt = brics.memberships.get(country_id="EG", kind="member")
    assert (egypt.start_date, egypt.start_precision) == (dt.date(2024, 1, 1), "day")
    assert [s.key for s in egypt.sources.all()] == ["brics-india-chair-2026"]
    south_africa = brics.memberships.get(country_id="ZA", kind="member")
    assert (south_africa.start_text, "2010-12-24" in south_africa.uncertain) == ("2010", True)
    assert BlocMembership.objects.filter(bloc__code="oic", kind="member").count() == 57
    assert BlocMembership.objects.filter(bloc__code="african-union", kind="member").count() == 55
    assert Organisation.objects.get(code="jinr").memberships.filter(country_id="EG", kind="member").exists()
    assert ScienceArea.objects.get(code="1.3").parent_id == "1"


def test_loading_again_changes_nothing_and_writes_no_load_record():
    before, loads, entries = snapshot(), RegistryLoad.objects.count(), AuditEntry.objects.count()
    report = load_registry(None)
    assert (report.created, report.updated, report.changed) == (0, 0, False)
    assert report.unchanged > 500
    assert snapshot() == before
    assert (RegistryLoad.objects.count(), AuditEntry.objects.count()) == (loads, entries)


def test_a_corrected_date_updates_the_same_row_and_is_audited(data_dir):
    path = data_dir / "blocs.yaml"
    path.write_text(
        path.read_text().replace(
            '{country: "EG", kind: "member", start: "2024-01-01"', '{country: "EG", kind: "member", start: "2024-01-02"'
        )
    )
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    report = load_registry(None, data_dir=data_dir)
    assert (report.created, report.updated) == (0, 1)
    egypt.refresh_from_db()
    assert egypt.start_date == dt.date(2024, 1, 2)
    load = RegistryLoad.objects.order_by("-pk").first()
    entry = AuditEntry.objects.get(chain=REGISTRY_CHAIN, object_id=str(load.pk))
    assert (entry.action, entry.fields) == ("registry.loaded", ["blocmembership"])
    assert load_registry(None, data_dir=data_dir).changed is False


def test_an_administrators_edit_is_kept_unless_overwriting_is_asked_for(data_dir):
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    BlocMembership.objects.filter(pk=egypt.pk).update(notes="checked by hand", locally_edited=True)
    report = load_registry(None)
    assert (report.updated, report.kept_local_edits) == (0, 1)
    assert BlocMembership.objects.get(pk=egypt.pk).notes == "checked by hand"
    load_registry(None, overwrite_local_edits=True)
    egypt.refresh_from_db()
    assert (egypt.notes, egypt.locally_edited) == ("Invited at the Johannesburg summit, August 2023.", False)


@pytest.mark.parametrize(
    ("file", "old", "new", "path", "words"),
    [
        (
            "blocs.yaml",
            '{country: "BR", kind: "member", start: "2006"}',
            '{country: "BR", kind: "member", start: "2006-13"}',
            "blocs[0].memberships[0].start",
            "not a real date",
        ),
        (
            "blocs.yaml",
            '{country: "BR", kind: "member", start: "2006"}',
            '{country: "XX", kind: "member", start: "2006"}',
            "blocs[0].memberships[0].country",
            "ISO 3166-1",
        ),
        (
            "blocs.yaml",
            '{country: "BR", kind: "member", start: "2006"}',
            '{country: "BR", kind: "ally", start: "2006"}',
            "blocs[0].memberships[0].kind",
            "member",
        ),
        (
            "blocs.yaml",
            "membership_sources: [brics-india-chair-2026]",
            "membership_sources: [no-such-source]",
            "blocs[0].membership_sources[0]",
            "no-such-source",
        ),
        ("agreements.yaml", 'areas: ["1.3", "2.7"]', 'areas: ["1.3", "9.9"]', "agreements[0].areas[1]", "9.9"),
        (
            "exchange_programmes.yaml",
            '{country: "IN", year: 2026, places: 40, tracks_use: true}',
            '{country: "IN", year: 2026, places: -4, tracks_use: true}',
            "programmes[0].quotas[0]",
            "places",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_file_path_and_rule_and_nothing_is_written(
    data_dir, file, old, new, path, words
):
    target = data_dir / file
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    before = snapshot()
    with pytest.raises(RegistryDataError) as refused:
        load_registry(None, data_dir=data_dir)
    assert (refused.value.file, refused.value.path) == (file, path)
    assert words in refused.value.message
    assert snapshot() == before


def test_reading_the_shipped_files_needs_no_database():
    data = read_registry_data()
    assert [b.code for b in data.blocs.blocs][:3] == ["brics", "sco", "eaeu"]
    assert len(data.digest) == 64
