"""The self-service writes of the hosts app: organisation sign-up, invitations sent by e-mail, joining with a
new account, and which candidates a host may pick (only those who applied or consented)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import selectors, services
from talentgate.hosts.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Orbital-2026!"


def _link(token: str) -> str:
    return f"https://example.test/x/{token}/"


def test_sign_up_organisation_makes_both_waits_for_the_link_and_audits(make_user):
    organisation = services.sign_up_organisation(
        email="Lead@Orbital.example",
        password=PASSWORD,
        name=" Orbital ",
        kind="university",
        country="ru",
        verification_link=_link,
    )
    admin = User.objects.get(email="lead@orbital.example")
    assert (organisation.name, organisation.country_id, organisation.verification) == ("Orbital", "RU", "pending")
    assert (admin.role, admin.is_active) == (Role.HOST_ADMIN, False)
    assert Membership.objects.get(user=admin).role == "admin"
    assert "https://example.test/x/" in mail.outbox[0].body
    actions = set(AuditEntry.objects.filter(chain=audit.chain_for_person(admin.pk)).values_list("action", flat=True))
    assert {"user.created", "user.signed_up"} <= actions
    assert audit.verify() == []


def test_sign_up_organisation_reports_every_error_and_saves_nothing(make_user):
    with pytest.raises(ValidationFailed) as caught:
        services.sign_up_organisation(
            email="bad", password="", name="", kind="castle", country="XX", verification_link=_link
        )
    fields = {e.field for e in caught.value.errors}
    assert {"email", "password", "name", "kind", "country"} <= fields
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_invite_staff_by_email_sends_the_link_with_the_raw_token(make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Orbital", kind="university", country="RU")
    invitation = services.invite_staff_by_email(admin, organisation.pk, email="Ann@Example.test", invitation_link=_link)
    (message,) = mail.outbox
    token = message.body.split("https://example.test/x/")[1].split("/")[0]
    assert message.to == ["ann@example.test"]
    assert selectors.invitation_for_token(token) == invitation
    assert selectors.invitation_state(invitation) == "open"


def test_join_with_new_account_creates_the_invited_role_and_refuses_used_or_expired_tokens(make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Orbital", kind="university", country="RU")
    _invitation, token = services.invite_staff(admin, organisation.pk, email="second@example.test", role="admin")
    membership = services.join_with_new_account(token, password=PASSWORD, first_name="Lin")
    assert (membership.role, membership.user.role, membership.user.is_active) == ("admin", Role.HOST_ADMIN, True)
    with pytest.raises(Conflict) as caught:
        services.join_with_new_account(token, password=PASSWORD)
    assert caught.value.errors[0].rule == "used"
    stale, stale_token = services.invite_staff(admin, organisation.pk, email="late@example.test")
    Invitation.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict) as caught:
        services.join_with_new_account(stale_token, password=PASSWORD)
    assert caught.value.errors[0].rule == "expired"
    with pytest.raises(NotFound):
        services.join_with_new_account("no-such-token", password=PASSWORD)
    assert not User.objects.filter(email="late@example.test").exists()


def test_join_with_an_address_that_has_an_account_is_refused_and_changes_nothing(make_user):
    admin = make_user(Role.HOST_ADMIN)
    organisation = services.register_organisation(admin, name="Orbital", kind="university", country="RU")
    make_user(Role.HOST_STAFF, email="has@example.test")
    invitation, token = services.invite_staff(admin, organisation.pk, email="has@example.test")
    with pytest.raises(ValidationFailed) as caught:
        services.join_with_new_account(token, password=PASSWORD)
    assert {(e.field, e.rule) for e in caught.value.errors} == {("email", "unique")}
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_candidates_visible_to_hosts_are_those_who_applied_or_consented(make_user):
    from talentgate.candidates.services import give_consent, save_profile
    from talentgate.canonical import CandidateProfile

    def profile(external_id):
        user = make_user(Role.CANDIDATE)
        payload = {
            "id": external_id,
            "identity": {"given_names_latin": "Ann", "date_of_birth": "1990-01-01", "sex": "female"},
        }
        return user, save_profile(user, CandidateProfile.model_validate(payload))[0]

    consenting_user, consenting = profile("open-1")
    give_consent(consenting_user, consenting, "matched_hosts", "1")
    _user, hidden = profile("hidden-1")
    staff = make_user(Role.HOST_ADMIN)
    services.register_organisation(staff, name="Orbital", kind="university", country="RU")
    assert list(selectors.candidates_visible_to(staff)) == [consenting]
    assert selectors.search_candidates_for(staff, "open") == [consenting]
    assert selectors.search_candidates_for(staff, "") == []
    assert selectors.candidates_visible_to(make_user(Role.CANDIDATE)).count() == 0
    assert selectors.candidates_visible_to(make_user(Role.OFFICER)).count() == 2
    with pytest.raises(NotFound):
        selectors.get_candidate_for(staff, hidden.external_id)
