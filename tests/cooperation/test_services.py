"""Administrators write the registry (audited, marked as edited here); every other role is refused and nothing changes;
a bad field is named; quota places are allocated until none remains."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.accounts.roles import Role
from talentgate.common.errors import Conflict, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.cooperation import services
from talentgate.cooperation.loader import REGISTRY_CHAIN, load_registry
from talentgate.cooperation.models import Agreement, BlocMembership, ExchangeQuota, QuotaAllocation, Source

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_dated_sourced_membership_audited_and_kept_by_reloads(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    membership = services.add_bloc_membership(
        admin, "brics", country="DZ", kind="partner", start="2026-03", sources=["brics-india-chair-2026"]
    )
    assert (membership.start_date, membership.start_precision, membership.locally_edited) == (
        dt.date(2026, 3, 1),
        "month",
        True,
    )
    entry = AuditEntry.objects.get(object_type="cooperation.blocmembership", object_id=str(membership.pk))
    assert (entry.chain, entry.action, entry.actor_id) == (REGISTRY_CHAIN, "bloc_membership.created", admin.pk)
    load_registry(None)
    assert BlocMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_every_other_role_is_refused_and_nothing_changes(make_user, role):
    actor = make_user(role)
    before = (BlocMembership.objects.count(), Source.objects.count(), AuditEntry.objects.count())
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    with pytest.raises(PermissionRefused):
        services.add_bloc_membership(actor, "brics", country="DZ", start="2026", sources=["brics-india-chair-2026"])
    with pytest.raises(PermissionRefused):
        services.update_bloc_membership(actor, egypt.pk, end="2030")
    with pytest.raises(PermissionRefused):
        services.create_source(actor, key="x", citation="y")
    with pytest.raises(PermissionRefused):
        services.set_exchange_quota(actor, "demo-partner-mobility", country="IN", year=2026, places=1)
    assert (BlocMembership.objects.count(), Source.objects.count(), AuditEntry.objects.count()) == before
    assert BlocMembership.objects.get(pk=egypt.pk).end_date is None


def test_a_bad_field_is_named_and_nothing_changes(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    before = BlocMembership.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.add_bloc_membership(admin, "brics", country="DZ", start="2026-13", sources=["no-such-source"])
    assert {(e.field, e.rule) for e in refused.value.errors} == {
        ("start", "date_format"),
        ("sources.0", "unknown_source"),
    }
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    with pytest.raises(ValidationFailed) as refused:
        services.update_bloc_membership(admin, egypt.pk, end="2023-01-01")
    assert [(e.field, e.rule) for e in refused.value.errors] == [("end", "before_start")]
    egypt.refresh_from_db()
    assert (egypt.end_date, egypt.locally_edited, BlocMembership.objects.count()) == (None, False, before)


def test_an_update_marks_the_membership_edited_here_so_reloads_keep_it(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    services.update_bloc_membership(admin, egypt.pk, status="suspended", status_since="2030-01-01")
    assert load_registry(None).kept_local_edits == 1
    egypt.refresh_from_db()
    assert (egypt.status, egypt.status_on(dt.date(2029, 12, 31)), egypt.status_on(dt.date(2030, 1, 1))) == (
        "suspended",
        "active",
        "suspended",
    )


def test_quota_places_run_out_and_a_quota_cannot_drop_below_them(make_user):
    admin, officer = make_user(Role.ADMINISTRATOR), make_user(Role.OFFICER)
    quota = services.set_exchange_quota(
        admin, "demo-partner-mobility", country="MN", year=2026, places=1, tracks_use=True
    )
    services.allocate_quota_place(officer, quota.pk, "award:7")
    with pytest.raises(Conflict) as refused:
        services.allocate_quota_place(officer, quota.pk, "award:8")
    assert refused.value.errors[0].rule == "quota_exhausted"
    with pytest.raises(Conflict):
        services.set_exchange_quota(admin, "demo-partner-mobility", country="MN", year=2026, places=0, tracks_use=True)
    services.release_quota_place(officer, quota.pk, "award:7")
    assert QuotaAllocation.objects.filter(quota=quota).count() == 0
    with pytest.raises(PermissionRefused):
        services.allocate_quota_place(make_user(Role.CANDIDATE), quota.pk, "award:9")
    untracked = ExchangeQuota.objects.create(programme=quota.programme, country_id="BR", year=2030, places=3)
    with pytest.raises(Conflict):
        services.allocate_quota_place(officer, untracked.pk, "award:10")


def test_an_agreement_names_its_parties_areas_and_sources(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    agreement = services.create_agreement(
        admin,
        title_en="Memorandum on neutron science",
        kind="cooperation",
        signed="2026-05-20",
        parties=[{"country": "EG"}, {"organisation": "jinr"}],
        areas=["1.3"],
        sources=["jinr-1"],
    )
    assert [p.name for p in agreement.parties.all()] == ["Egypt", "JINR"]
    with pytest.raises(ValidationFailed) as refused:
        services.create_agreement(
            admin, title_en="Bad", kind="cooperation", parties=[{"country": "QQ"}], areas=["9.9"], sources=[]
        )
    assert {e.field for e in refused.value.errors} == {"parties.0.country", "areas.0", "sources"}
    assert Agreement.objects.filter(title_en="Bad").count() == 0
