"""The demo loader: expected rows per role and table, history rows, idempotent top-up, exact round trip."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.db import connection

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.candidates import selectors
from talentgate.candidates.models import IdentityDocument, Profile
from talentgate.canonical import CandidateProfile
from talentgate.common.errors import Conflict
from talentgate.common.models import AuditEntry, Job
from talentgate.demo import catalogue
from talentgate.demo import competition as demo_competition
from talentgate.demo.generator import generate_candidates
from talentgate.demo.loader import demo_counts, demo_state, load_demo
from talentgate.hosts.models import Membership, Offer, Opportunity, Organisation
from talentgate.programmes.models import Application, ApplicationTransition, Programme, SectorTarget

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 15)


@pytest.fixture
def loaded():
    return load_demo(100, seed=4, as_of=AS_OF, batch_size=40)


def test_load_creates_one_login_per_role_plus_hosts_staff_and_candidates(loaded):
    counts = {role: User.objects.filter(role=role).count() for role in Role}
    hosts = len(catalogue.HOST_ORGANISATIONS)
    assert counts == {
        Role.CANDIDATE: 100,
        Role.HOST_ADMIN: hosts,
        Role.HOST_STAFF: hosts,
        Role.OFFICER: 1,
        Role.SUPERVISOR: 1,
        Role.REVIEWER: len(demo_competition.PANEL),  # the printed reviewer login and the rest of the demo panel
        Role.AUTHORITY: 1,
        Role.ANALYST: 1,
        Role.ADMINISTRATOR: 1,
    }
    admin = User.objects.get(email="admin@demo.talentgate.test")
    assert admin.is_staff
    assert admin.is_superuser
    officer = User.objects.get(email="officer@demo.talentgate.test")
    assert officer.is_staff
    assert not officer.is_superuser
    assert officer.check_password(catalogue.DEMO_PASSWORD)
    assert officer.has_perm("candidates.view_profile")
    assert officer.has_perm("programmes.view_application")
    assert not officer.has_perm("candidates.change_profile")
    host_admin = User.objects.get(email="host.admin@demo.talentgate.test")
    assert Membership.objects.get(user=host_admin, active=True).organisation.name == "Orbital Dynamics"


def test_load_creates_profiles_hosts_opportunities_programme_and_targets(loaded):
    assert Profile.objects.count() == 100
    assert Profile.objects.filter(user__isnull=True).count() == 0
    assert Organisation.objects.count() == len(catalogue.HOST_ORGANISATIONS)
    assert set(Organisation.objects.values_list("verification", flat=True)) == {"verified"}
    assert Opportunity.objects.count() == 40
    assert Opportunity.objects.filter(status="published").exists()
    programme = Programme.objects.get(code=catalogue.PROGRAMME.code)
    leaf_sectors = [s for s in catalogue.SECTORS if s.yearly_target]
    assert SectorTarget.objects.filter(programme=programme).count() == 3 * len(leaf_sectors)


def test_applications_are_in_several_stages_with_their_history(loaded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "screening", "assessed", "matched"} <= statuses
    assert ApplicationTransition.objects.count() == loaded.transitions_added > 0
    matched = Application.objects.filter(status="matched").first()
    history = list(matched.history.order_by("at"))
    assert [h.to_state for h in history] == ["submitted", "screening", "assessed", "invited", "matched"]
    assert history[0].actor_id == matched.profile.user_id
    assert all(a.at < b.at for a, b in itertools.pairwise(history))
    # Back-dated: the pipeline has a past, not just today.
    assert matched.created_at.date() < AS_OF
    draft = Application.objects.filter(status="draft").first()
    assert not draft.history.exists()
    assert Offer.objects.count() == loaded.offers_added == Application.objects.filter(status="matched").count()


def test_the_candidate_login_owns_a_matched_application_with_an_open_offer(loaded):
    user = User.objects.get(email="candidate@demo.talentgate.test")
    application = Application.objects.get(profile__user=user)
    assert application.status == "matched"
    offer = Offer.objects.get(profile__user=user)
    assert offer.status == "offered"
    # The printed host staff login sees it: the offer comes from their organisation.
    host_staff = User.objects.get(email="host.staff@demo.talentgate.test")
    assert Membership.objects.filter(user=host_staff, organisation=offer.opportunity.organisation).exists()


def test_loading_again_adds_nothing(loaded):
    before = demo_counts()
    again = load_demo(100, seed=4, as_of=AS_OF)
    assert again.candidates_added == 0
    assert demo_counts() == before


def test_a_larger_load_tops_up_the_missing_candidates_only(loaded):
    report = load_demo(130, seed=4, as_of=AS_OF)
    assert (report.candidates_before, report.candidates_added) == (100, 30)
    assert Profile.objects.count() == 130
    assert User.objects.filter(role=Role.CANDIDATE).count() == 130
    assert demo_state() == {"seed": 4, "candidates": 130, "as_of": AS_OF.isoformat()}


def test_another_seed_is_refused_and_changes_nothing(loaded):
    before = demo_counts()
    with pytest.raises(Conflict) as refused:
        load_demo(100, seed=5, as_of=AS_OF)
    [error] = refused.value.errors
    assert (error.field, error.rule) == ("seed", "seed_mismatch")
    assert demo_counts() == before


def test_stored_profiles_read_back_as_the_generated_ones(loaded):
    generated = {
        c.profile["id"]: CandidateProfile.model_validate(c.profile).model_dump(mode="json")
        for c in generate_candidates(100, seed=4, as_of=AS_OF)
    }
    for profile in Profile.objects.order_by("external_id")[:25]:
        assert selectors.to_canonical(profile).model_dump(mode="json") == generated[profile.external_id]


def test_passport_numbers_are_encrypted_at_rest(loaded):
    document = IdentityDocument.objects.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM candidates_identitydocument WHERE id = %s", [document.pk])
        (raw,) = cursor.fetchone()
    assert document.number
    assert raw != document.number
    assert document.number not in raw


def test_the_bulk_load_stores_blind_indexes_and_name_search_keys(loaded):
    from talentgate.candidates.identity_keys import document_blind_index, profile_search_key

    documents = list(IdentityDocument.objects.all())
    assert documents
    assert all(d.number_blind_index == document_blind_index(d.number, d.issuing_country) != "" for d in documents)
    profiles = list(Profile.objects.all())
    assert all(p.name_search_key == profile_search_key(p) != "" for p in profiles)


def test_a_load_is_recorded_as_a_job_and_one_audit_entry(loaded):
    job = Job.objects.get(kind="demo.load")
    assert (job.status, job.done, job.total) == ("succeeded", 100, 100)
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 1


def test_an_interrupted_load_is_resumed_with_its_own_seed(monkeypatch):
    from talentgate.demo import loader

    calls = {"n": 0}
    real_insert = loader._insert_batch

    def fail_on_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(loader, "_insert_batch", fail_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        load_demo(100, seed=4, as_of=AS_OF, batch_size=60)
    monkeypatch.undo()
    assert Profile.objects.count() == 60
    assert demo_state() is None
    assert Job.objects.get(kind="demo.load").status == "failed"
    with pytest.raises(Conflict):
        load_demo(100, seed=5, as_of=AS_OF)
    report = load_demo(100, seed=4)
    assert (report.candidates_before, report.candidates_added) == (60, 40)
    assert demo_state() == {"seed": 4, "candidates": 100, "as_of": AS_OF.isoformat()}


def test_applications_past_submission_are_assessed_once_so_a_round_has_a_pool(loaded):
    from talentgate.assessment.models import Assessment
    from talentgate.assessment.services import POOL_STATUSES

    pool = Application.objects.filter(status__in=POOL_STATUSES)
    assert pool.exists()
    assert set(Assessment.objects.values_list("application_id", flat=True)) == set(pool.values_list("pk", flat=True))
    assert Assessment.objects.count() == pool.count() == loaded.assessments_added
    assert set(Assessment.objects.values_list("policy_id", "on").distinct()) == {("programme-merit", AS_OF)}
    assert demo_counts()["assessments"] == pool.count()
    report = load_demo(130, seed=4, as_of=AS_OF)
    assert Assessment.objects.count() == Application.objects.filter(status__in=POOL_STATUSES).count()
    assert report.assessments_added == Assessment.objects.count() - loaded.assessments_added
