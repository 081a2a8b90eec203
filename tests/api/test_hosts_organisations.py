"""Hosts API: organisation sign-up and registration, members and invitations (happy path, anonymous,
another organisation's object, a bad field named with nothing changed)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.hosts import services
from talentgate.hosts.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Orbital-2026!"


def _org(make_user, name="Orbital Works"):
    admin, staff = make_user(Role.HOST_ADMIN), make_user(Role.HOST_STAFF)
    organisation = services.register_organisation(admin, name=name, kind="private_company", country="RU")
    _invitation, token = services.invite_staff(admin, organisation.pk, email=staff.email)
    services.accept_invitation(token, staff)
    return organisation, admin, staff


def _fields(response):
    return {(e["field"], e["rule"]) for e in response.json()["errors"]}


def test_sign_up_makes_an_inactive_admin_and_a_pending_organisation(client):
    body = {
        "email": "lead@orbital.example",
        "password": PASSWORD,
        "name": "Orbital",
        "kind": "university",
        "country": "kz",
    }
    response = client.post("/api/hosts/organisations/signup", body, content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["verification"], response.json()["country"]) == ("pending", "KZ")
    assert User.objects.get(email="lead@orbital.example").is_active is False
    assert "/account/verify/" in mail.outbox[0].body


def test_sign_up_names_every_bad_field_and_saves_nothing(client, make_user):
    make_user(email="taken@example.test")
    body = {"email": "taken@example.test", "password": "x", "name": "", "kind": "castle", "country": "XX"}
    response = client.post("/api/hosts/organisations/signup", body, content_type="application/json")
    assert response.status_code == 400
    assert {("email", "unique"), ("name", "blank"), ("kind", "invalid_choice"), ("country", "invalid")} <= _fields(
        response
    )
    assert not Organisation.objects.exists()
    assert mail.outbox == []


def test_register_for_a_host_admin_without_an_organisation(client, make_user):
    admin = make_user(Role.HOST_ADMIN)
    client.force_login(admin)
    response = client.post(
        "/api/hosts/organisations",
        {"name": "Space U", "kind": "university", "country": "RU"},
        content_type="application/json",
    )
    assert response.status_code == 201
    again = client.post(
        "/api/hosts/organisations",
        {"name": "Two", "kind": "university", "country": "RU"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert _fields(again) == {("admin", "one_organisation")}
    assert Organisation.objects.count() == 1
    client.force_login(make_user(Role.CANDIDATE))
    assert (
        client.post(
            "/api/hosts/organisations",
            {"name": "C", "kind": "university", "country": "RU"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_get_organisation_own_pending_one_and_404_for_strangers(client, make_user):
    organisation, admin, _staff = _org(make_user)
    client.force_login(admin)
    assert client.get(f"/api/hosts/organisations/{organisation.pk}").json()["name"] == "Orbital Works"
    client.force_login(make_user(Role.CANDIDATE))
    assert client.get(f"/api/hosts/organisations/{organisation.pk}").status_code == 404
    client.logout()
    assert client.get(f"/api/hosts/organisations/{organisation.pk}").status_code == 401


def test_members_list_filtered_and_removal(client, make_user):
    _organisation, admin, staff = _org(make_user)
    _org(make_user, name="Other")
    client.force_login(admin)
    page = client.get("/api/hosts/members").json()
    assert page["count"] == 2
    assert {m["email"] for m in page["items"]} == {admin.email, staff.email}
    assert [m["email"] for m in client.get("/api/hosts/members", {"role": "staff"}).json()["items"]] == [staff.email]
    membership = Membership.objects.get(user=staff)
    removed = client.delete(f"/api/hosts/members/{membership.pk}")
    assert (removed.status_code, removed.json()["active"]) == (200, False)
    assert client.get("/api/hosts/members", {"active": "false"}).json()["count"] == 1
    last = client.delete(f"/api/hosts/members/{Membership.objects.get(user=admin).pk}")
    assert (last.status_code, _fields(last)) == (409, {("membership", "last_admin")})


def test_members_of_another_organisation_are_not_found(client, make_user):
    _organisation, _admin, staff = _org(make_user)
    _other, other_admin, _other_staff = _org(make_user, name="Other")
    client.force_login(other_admin)
    membership = Membership.objects.get(user=staff)
    assert client.delete(f"/api/hosts/members/{membership.pk}").status_code == 404
    assert Membership.objects.get(pk=membership.pk).active
    client.logout()
    assert client.get("/api/hosts/members").status_code == 401


def test_invitations_create_list_revoke_and_accept(client, make_user):
    organisation, admin, _staff = _org(make_user)
    invitee = make_user(Role.HOST_STAFF, email="invitee@orbital.example")
    client.force_login(admin)
    created = client.post("/api/hosts/invitations", {"email": invitee.email}, content_type="application/json")
    assert created.status_code == 201
    assert "token" not in created.json()
    assert created.json()["state"] == "open"
    token = re.search(r"/host/join/(\S+)/", mail.outbox[-1].body).group(1)
    assert client.get("/api/hosts/invitations", {"state": "open"}).json()["count"] == 1
    assert client.get("/api/hosts/invitations", {"state": "revoked"}).json()["count"] == 0
    client.force_login(invitee)
    accepted = client.post("/api/hosts/invitations/accept", {"token": token}, content_type="application/json")
    assert (accepted.status_code, accepted.json()["organisation_id"]) == (200, organisation.pk)
    client.force_login(admin)
    second = client.post(
        "/api/hosts/invitations", {"email": "later@orbital.example", "role": "admin"}, content_type="application/json"
    )
    revoked = client.post(f"/api/hosts/invitations/{second.json()['id']}/revoke")
    assert revoked.json()["state"] == "revoked"
    assert client.post(f"/api/hosts/invitations/{second.json()['id']}/revoke").status_code == 409


def test_a_bad_invitation_names_the_field_and_staff_may_not_invite(client, make_user):
    _organisation, admin, staff = _org(make_user)
    client.force_login(admin)
    bad = client.post("/api/hosts/invitations", {"email": "not-an-address"}, content_type="application/json")
    assert (bad.status_code, _fields(bad)) == (400, {("email", "invalid")})
    wrong_role = client.post(
        "/api/hosts/invitations", {"email": "a@b.example", "role": "owner"}, content_type="application/json"
    )
    assert wrong_role.status_code == 422
    assert [e["field"] for e in wrong_role.json()["errors"]] == ["role"]
    client.force_login(staff)
    assert (
        client.post("/api/hosts/invitations", {"email": "a@b.example"}, content_type="application/json").status_code
        == 403
    )
    assert Invitation.objects.count() == 1  # the staff member's own, accepted
    assert mail.outbox == []


def test_another_organisation_cannot_revoke_and_a_stranger_cannot_accept(client, make_user):
    _organisation, admin, _staff = _org(make_user)
    invitation, token = services.invite_staff(admin, _organisation.pk, email="someone@orbital.example")
    _other, other_admin, _other_staff = _org(make_user, name="Other")
    client.force_login(other_admin)
    assert client.post(f"/api/hosts/invitations/{invitation.pk}/revoke").status_code == 404
    stranger = make_user(Role.HOST_STAFF)
    client.force_login(stranger)
    refused = client.post("/api/hosts/invitations/accept", {"token": token}, content_type="application/json")
    assert (refused.status_code, _fields(refused)) == (403, {("", "email_mismatch")})
    invitation.refresh_from_db()
    assert (invitation.revoked_at, invitation.accepted_at) == (None, None)
    client.logout()
    assert (
        client.post("/api/hosts/invitations/accept", {"token": token}, content_type="application/json").status_code
        == 401
    )


def test_join_with_a_new_account_and_a_bad_password_changes_nothing(client, make_user):
    organisation, admin, _staff = _org(make_user)
    _invitation, token = services.invite_staff(admin, organisation.pk, email="fresh@orbital.example")
    weak = client.post(
        "/api/hosts/invitations/join", {"token": token, "password": "abc"}, content_type="application/json"
    )
    assert weak.status_code == 400
    assert {f for f, _r in _fields(weak)} == {"password"}
    assert not User.objects.filter(email="fresh@orbital.example").exists()
    joined = client.post(
        "/api/hosts/invitations/join", {"token": token, "password": PASSWORD}, content_type="application/json"
    )
    assert (joined.status_code, joined.json()["role"], joined.json()["email"]) == (
        201,
        "staff",
        "fresh@orbital.example",
    )
    used = client.post(
        "/api/hosts/invitations/join", {"token": token, "password": PASSWORD}, content_type="application/json"
    )
    assert (used.status_code, _fields(used)) == (409, {("token", "used")})
    unknown = client.post(
        "/api/hosts/invitations/join", {"token": "nope", "password": PASSWORD}, content_type="application/json"
    )
    assert unknown.status_code == 404
