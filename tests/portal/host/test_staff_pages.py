"""Staff pages: the admin invites by e-mail (the link is only e-mailed), the invitee joins with a new account
or signed in, the admin revokes invitations and removes members (never the last admin)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.hosts.models import Invitation, Membership

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Joining-2026!"


def _invite(client, admin, email="new.hire@orbital.example", role="staff"):
    client.force_login(admin)
    response = client.post(reverse("portal:host:invite"), {"email": email, "role": role})
    link = re.search(r"http://testserver(/host/join/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    return response, link


def test_staff_page_lists_members_and_shows_the_invite_form_to_admins_only(client, org):
    _organisation, admin, staff = org
    client.force_login(admin)
    html = client.get(reverse("portal:host:staff")).content.decode()
    assert staff.email in html
    assert 'action="/host/staff/invite/"' in html
    client.force_login(staff)
    html = client.get(reverse("portal:host:staff")).content.decode()
    assert admin.email in html
    assert 'action="/host/staff/invite/"' not in html
    assert client.post(reverse("portal:host:invite"), {"email": "x@example.test"}).status_code == 403


def test_an_invitation_is_e_mailed_and_joining_creates_a_signed_in_staff_account(client, org):
    organisation, admin, _staff = org
    response, link = _invite(client, admin)
    assert response["Location"] == reverse("portal:host:staff")
    assert mail.outbox[-1].to == ["new.hire@orbital.example"]
    assert organisation.name in mail.outbox[-1].subject
    page = client.get(link).content.decode()
    assert "This invitation is for new.hire@orbital.example" in page
    joined = client.post(link, {"first_name": "Lin", "password1": PASSWORD, "password2": PASSWORD})
    assert joined["Location"] == reverse("portal:host:dashboard")
    user = User.objects.get(email="new.hire@orbital.example")
    assert (user.role, user.is_active, user.first_name) == (Role.HOST_STAFF, True, "Lin")
    assert Membership.objects.get(user=user, active=True).organisation == organisation
    assert client.get(reverse("portal:host:dashboard")).status_code == 200  # signed in at once
    again = client.get(link).content.decode()
    assert "This invitation has already been used." in again


def test_joining_with_a_weak_password_shows_the_error_next_to_the_field_and_creates_nothing(client, org):
    _organisation, admin, _staff = org
    _response, link = _invite(client, admin)
    response = client.post(link, {"password1": "short", "password2": "short"})
    assert response.status_code == 400
    assert 'id="id_password1_error"' in response.content.decode()
    assert not User.objects.filter(email="new.hire@orbital.example").exists()


def test_a_signed_in_invitee_joins_and_someone_else_is_refused(client, org, make_user):
    _organisation, admin, _staff = org
    invitee = make_user(Role.HOST_ADMIN, email="second.admin@orbital.example")
    _response, link = _invite(client, admin, email=invitee.email, role="admin")
    client.force_login(make_user(Role.HOST_ADMIN))
    refused = client.post(link)
    assert refused.status_code == 403
    assert "This invitation was sent to another e-mail address." in refused.content.decode()
    client.force_login(invitee)
    assert client.post(link)["Location"] == reverse("portal:host:dashboard")
    assert Membership.objects.get(user=invitee).role == "admin"


def test_a_bad_invitation_address_is_shown_next_to_the_field_and_nothing_is_sent(client, org):
    _organisation, admin, staff = org
    client.force_login(admin)
    response = client.post(reverse("portal:host:invite"), {"email": staff.email, "role": "staff"})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"] == ["This person is already a member of the organisation."]
    assert mail.outbox == []
    assert Invitation.objects.filter(email=staff.email).count() == 1  # only the one they joined with


def test_the_admin_revokes_an_invitation_and_its_link_stops_working(client, org):
    _organisation, admin, _staff = org
    _response, link = _invite(client, admin)
    invitation = Invitation.objects.get(email="new.hire@orbital.example")
    client.force_login(admin)
    assert (
        client.post(reverse("portal:host:revoke_invitation", kwargs={"invitation_id": invitation.pk})).status_code
        == 302
    )
    client.logout()
    assert "This invitation was revoked" in client.get(link).content.decode()
    assert client.post(link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 409


def test_the_admin_removes_staff_but_not_the_last_admin(client, org):
    _organisation, admin, staff = org
    client.force_login(admin)
    staff_membership = Membership.objects.get(user=staff, active=True)
    admin_membership = Membership.objects.get(user=admin, active=True)
    client.post(reverse("portal:host:remove_member", kwargs={"membership_id": staff_membership.pk}))
    assert not Membership.objects.get(pk=staff_membership.pk).active
    response = client.post(
        reverse("portal:host:remove_member", kwargs={"membership_id": admin_membership.pk}), follow=True
    )
    assert "last admin cannot be removed" in response.content.decode()
    assert Membership.objects.get(pk=admin_membership.pk).active


def test_another_organisations_admin_cannot_touch_our_members_or_invitations(client, org, make_org):
    _organisation, admin, staff = org
    _other, other_admin, _other_staff = make_org()
    _response, _link = _invite(client, admin)
    invitation = Invitation.objects.get(email="new.hire@orbital.example")
    client.force_login(other_admin)
    membership = Membership.objects.get(user=staff, active=True)
    assert client.post(reverse("portal:host:remove_member", kwargs={"membership_id": membership.pk})).status_code == 404
    assert (
        client.post(reverse("portal:host:revoke_invitation", kwargs={"invitation_id": invitation.pk})).status_code
        == 404
    )
    assert Membership.objects.get(pk=membership.pk).active
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_staff_page_renders_in_russian(client, org):
    client.force_login(org[1])
    html = client.get(reverse("portal:host:staff"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="ru">' in html
