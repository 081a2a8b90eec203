"""Organisations are registered with their admin, verified by officers, and staffed by invitation."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import services
from talentgate.hosts.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db


def _rules(exc_info):
    return {(e.field, e.rule) for e in exc_info.value.errors}


def test_registering_creates_a_pending_organisation_with_its_admin(make_user, sector):
    admin = make_user(Role.HOST_ADMIN)
    org = services.register_organisation(
        admin, name=" Zvezda Launch ", kind="state_corporation", country="ru", region="Primorye", sector_id=sector.pk
    )
    assert (org.name, org.country_id, org.verification) == ("Zvezda Launch", "RU", "pending")
    membership = Membership.objects.get(organisation=org)
    assert (membership.user, membership.role, membership.active) == (admin, "admin", True)
    actions = list(
        AuditEntry.objects.filter(chain=audit.chain_for_organisation(org.pk)).values_list("action", flat=True)
    )
    assert actions == ["organisation.registered", "membership.created"]


def test_a_candidate_cannot_register_an_organisation(make_user):
    with pytest.raises(PermissionRefused):
        services.register_organisation(make_user(Role.CANDIDATE), name="X", kind="other", country="RU")
    assert Organisation.objects.count() == 0


def test_bad_registration_names_each_field_and_writes_nothing(make_user):
    admin = make_user(Role.HOST_ADMIN)
    with pytest.raises(ValidationFailed) as caught:
        services.register_organisation(admin, name="", kind="spaceport", country="XX", website="not a url")
    rules = _rules(caught)
    assert {field for field, _ in rules} == {"name", "kind", "country", "website"}
    assert ("kind", "invalid_choice") in rules
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0


def test_an_admin_already_in_an_organisation_cannot_register_another(make_org):
    _, admin = make_org()
    with pytest.raises(Conflict) as caught:
        services.register_organisation(admin, name="Second", kind="other", country="RU")
    assert _rules(caught) == {("admin", "one_organisation")}


def test_an_officer_registers_an_organisation_for_a_host_admin(make_user, officer):
    admin = make_user(Role.HOST_ADMIN)
    org = services.register_organisation(
        officer, name="Dubna Facility", kind="megascience_facility", country="RU", admin=admin
    )
    assert Membership.objects.get(organisation=org).user == admin
    with pytest.raises(ValidationFailed) as caught:
        services.register_organisation(officer, name="Y", kind="other", country="RU", admin=make_user(Role.CANDIDATE))
    assert _rules(caught) == {("admin", "role")}


def test_officer_verifies_and_supervisor_rejects_with_a_reason(make_org, officer, make_user):
    org, _ = make_org(verified=False)
    verified = services.verify_organisation(officer, org.pk, note="registry extract checked")
    assert (verified.verification, verified.verified_by, verified.verified_at is not None) == (
        "verified",
        officer,
        True,
    )
    supervisor = make_user(Role.SUPERVISOR)
    with pytest.raises(ValidationFailed) as caught:
        services.reject_organisation(supervisor, org.pk, reason=" ")
    assert _rules(caught) == {("reason", "required")}
    rejected = services.reject_organisation(supervisor, org.pk, reason="licence revoked")
    assert (rejected.verification, rejected.verification_reason) == ("rejected", "licence revoked")
    entry = AuditEntry.objects.filter(chain=audit.chain_for_organisation(org.pk)).last()
    assert (entry.action, entry.reason) == ("organisation.rejected", "licence revoked")


def test_only_officers_and_supervisors_verify(make_org, make_user):
    org, admin = make_org(verified=False)
    for actor in (admin, make_user(Role.ADMINISTRATOR), make_user(Role.ANALYST)):
        with pytest.raises(PermissionRefused):
            services.verify_organisation(actor, org.pk)
    org.refresh_from_db()
    assert org.verification == "pending"


def test_verifying_an_unknown_organisation_is_not_found(officer):
    with pytest.raises(NotFound):
        services.verify_organisation(officer, 99999)


def test_invitation_token_is_returned_once_and_only_its_hash_is_stored(make_org):
    org, admin = make_org()
    invitation, token = services.invite_staff(admin, org.pk, email="New.Hire@Example.test")
    invitation.refresh_from_db()
    assert invitation.email == "new.hire@example.test"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {invitation.token_hash, invitation.email}
    assert invitation.expires_at > timezone.now() + timedelta(days=6)


def test_staff_cannot_invite_and_another_organisation_cannot_either(make_org, make_staff):
    org, admin = make_org()
    staff = make_staff(org, admin)
    with pytest.raises(PermissionRefused):
        services.invite_staff(staff, org.pk, email="x@example.test")
    pending_org, _ = make_org(verified=False)
    with pytest.raises(NotFound):  # an unverified organisation is invisible to outsiders
        services.invite_staff(admin, pending_org.pk, email="x@example.test")
    other_org, _ = make_org()
    with pytest.raises(PermissionRefused):  # visible (verified) but not theirs
        services.invite_staff(admin, other_org.pk, email="x@example.test")
    assert Invitation.objects.filter(email="x@example.test").count() == 0


def test_bad_invitation_input_names_the_field(make_org):
    org, admin = make_org()
    with pytest.raises(ValidationFailed) as caught:
        services.invite_staff(admin, org.pk, email="not-an-address", role="owner")
    assert _rules(caught) == {("email", "invalid"), ("role", "invalid_choice")}


def test_a_second_open_invitation_to_one_address_is_refused(make_org):
    org, admin = make_org()
    services.invite_staff(admin, org.pk, email="a@example.test")
    with pytest.raises(Conflict) as caught:
        services.invite_staff(admin, org.pk, email="a@example.test")
    assert _rules(caught) == {("email", "open_invitation")}


def test_accepting_an_invitation_makes_the_user_staff(make_org, make_user):
    org, admin = make_org()
    user = make_user(Role.HOST_STAFF)
    invitation, token = services.invite_staff(admin, org.pk, email=user.email)
    membership = services.accept_invitation(token, user)
    assert (membership.organisation, membership.role, membership.active) == (org, "staff", True)
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (user, True)
    with pytest.raises(Conflict) as caught:
        services.accept_invitation(token, user)
    assert _rules(caught) == {("token", "used")}


def test_an_expired_invitation_is_refused(make_org, make_user):
    org, admin = make_org()
    user = make_user(Role.HOST_STAFF)
    invitation, token = services.invite_staff(admin, org.pk, email=user.email)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict) as caught:
        services.accept_invitation(token, user)
    assert _rules(caught) == {("token", "expired")}
    assert not Membership.objects.filter(user=user).exists()


def test_a_revoked_invitation_is_refused(make_org, make_user):
    org, admin = make_org()
    user = make_user(Role.HOST_STAFF)
    invitation, token = services.invite_staff(admin, org.pk, email=user.email)
    services.revoke_invitation(admin, invitation.pk)
    with pytest.raises(Conflict) as caught:
        services.accept_invitation(token, user)
    assert _rules(caught) == {("token", "revoked")}
    assert not Membership.objects.filter(user=user).exists()


def test_an_invitation_for_another_address_is_refused(make_org, make_user):
    org, admin = make_org()
    _, token = services.invite_staff(admin, org.pk, email="invited@example.test")
    intruder = make_user(Role.HOST_STAFF)
    with pytest.raises(PermissionRefused) as caught:
        services.accept_invitation(token, intruder)
    assert _rules(caught) == {("", "email_mismatch")}
    assert not Membership.objects.filter(user=intruder).exists()


def test_an_unknown_token_is_not_found(make_user):
    with pytest.raises(NotFound):
        services.accept_invitation("made-up-token", make_user(Role.HOST_STAFF))


def test_the_account_role_must_match_the_invited_role(make_org, make_user):
    org, admin = make_org()
    candidate = make_user(Role.CANDIDATE)
    _, token = services.invite_staff(admin, org.pk, email=candidate.email)
    with pytest.raises(PermissionRefused) as caught:
        services.accept_invitation(token, candidate)
    assert _rules(caught) == {("", "role")}


def test_a_person_belongs_to_at_most_one_organisation(make_org, make_staff):
    org, admin = make_org()
    staff = make_staff(org, admin)
    other, other_admin = make_org()
    _, token = services.invite_staff(other_admin, other.pk, email=staff.email)
    with pytest.raises(Conflict) as caught:
        services.accept_invitation(token, staff)
    assert _rules(caught) == {("user", "one_organisation")}


def test_admin_removes_staff_and_audits_it(make_org, make_staff):
    org, admin = make_org()
    staff = make_staff(org, admin)
    membership = Membership.objects.get(user=staff)
    removed = services.remove_staff(admin, membership.pk)
    assert (removed.active, removed.left_at is not None) == (False, True)
    last = AuditEntry.objects.filter(chain=audit.chain_for_organisation(org.pk)).last()
    assert (last.action, last.object_id) == ("membership.removed", str(membership.pk))


def test_the_last_admin_cannot_be_removed(make_org, make_staff):
    org, admin = make_org()
    own = Membership.objects.get(user=admin)
    with pytest.raises(Conflict) as caught:
        services.remove_staff(admin, own.pk)
    assert _rules(caught) == {("membership", "last_admin")}
    second_admin = make_staff(org, admin, role="admin")
    services.remove_staff(second_admin, own.pk)  # with another admin left, it is allowed
    assert not Membership.objects.get(pk=own.pk).active


def test_staff_cannot_remove_and_other_organisations_cannot_see_memberships(make_org, make_staff):
    org, admin = make_org()
    staff = make_staff(org, admin)
    with pytest.raises(PermissionRefused):
        services.remove_staff(staff, Membership.objects.get(user=admin).pk)
    _, other_admin = make_org()
    with pytest.raises(NotFound):
        services.remove_staff(other_admin, Membership.objects.get(user=staff).pk)
    assert Membership.objects.filter(organisation=org, active=True).count() == 2


def test_audit_chains_stay_valid_after_organisation_work(make_org, make_staff):
    org, admin = make_org()
    make_staff(org, admin)
    assert audit.verify() == []
