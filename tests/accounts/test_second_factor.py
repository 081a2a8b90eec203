"""The staff second factor's services: who needs it, enrolment, codes, backup codes and an administrator's reset."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentgate.accounts import second_factor
from talentgate.accounts.roles import Role
from talentgate.common.errors import PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def enrolled(user):
    device = second_factor.pending_authenticator(user)
    _device, codes = second_factor.confirm_authenticator(user, second_factor.current_code(device))
    return device, codes


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        (Role.OFFICER, True),
        (Role.SUPERVISOR, True),
        (Role.REVIEWER, True),
        (Role.AUTHORITY, True),
        (Role.ANALYST, True),
        (Role.ADMINISTRATOR, True),
        (Role.CANDIDATE, False),
        (Role.HOST_ADMIN, False),
        (Role.HOST_STAFF, False),
    ],
)
def test_programme_staff_need_a_second_factor_when_the_setting_is_on(make_user, role, needs):
    user = make_user(role)
    with override_settings(STAFF_MFA_REQUIRED=True):
        assert second_factor.is_required_for(user) is needs
    with override_settings(STAFF_MFA_REQUIRED=False):
        assert second_factor.is_required_for(user) is False


def test_anyone_who_may_open_the_admin_site_needs_one(make_user):
    user = make_user(Role.CANDIDATE)
    user.is_staff = True
    with override_settings(STAFF_MFA_REQUIRED=True):
        assert second_factor.is_required_for(user)


def test_enrolment_shows_a_base32_secret_and_an_otpauth_uri_and_a_qr_code(make_user):
    user = make_user(Role.OFFICER, email="olga@example.test")
    device = second_factor.pending_authenticator(user)
    assert second_factor.pending_authenticator(user).pk == device.pk  # the same secret until confirmed
    secret = second_factor.secret_of(device)
    assert len(secret) == 32
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    uri = second_factor.provisioning_uri(device)
    assert uri.startswith("otpauth://totp/talentgate%3Aolga%40example.test?")
    assert f"secret={secret}" in uri
    assert "issuer=talentgate" in uri
    assert second_factor.qr_code_data_uri(uri).startswith("data:image/svg+xml")


def test_a_wrong_code_confirms_nothing_and_names_the_field(make_user):
    user = make_user(Role.OFFICER)
    device = second_factor.pending_authenticator(user)
    wrong = str((int(second_factor.current_code(device)) + 1) % 1_000_000).zfill(6)
    with pytest.raises(ValidationFailed) as caught:
        second_factor.confirm_authenticator(user, wrong)
    assert [(e.field, e.rule) for e in caught.value.errors] == [("otp_token", "invalid")]
    assert not second_factor.has_authenticator(user)
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_confirming_with_the_current_code_turns_it_on_with_ten_backup_codes_and_is_audited(make_user):
    user = make_user(Role.SUPERVISOR)
    _device, codes = enrolled(user)
    assert second_factor.has_authenticator(user)
    assert len(codes) == len(set(codes)) == second_factor.BACKUP_CODE_COUNT
    assert second_factor.remaining_backup_codes(user) == 10
    assert AuditEntry.objects.filter(action="second_factor.enrolled", chain=f"person:{user.pk}").count() == 1


def test_a_candidate_cannot_enrol(make_user):
    user = make_user(Role.CANDIDATE)
    device = second_factor.pending_authenticator(user)
    with pytest.raises(PermissionRefused):
        second_factor.confirm_authenticator(user, second_factor.current_code(device))


def test_a_backup_code_works_once_and_its_use_is_audited(make_user):
    user = make_user(Role.ANALYST)
    _device, codes = enrolled(user)
    assert second_factor.verify_code(user, codes[0]).name == second_factor.BACKUP_DEVICE_NAME
    assert second_factor.remaining_backup_codes(user) == 9
    assert AuditEntry.objects.filter(action="second_factor.backup_code_used").count() == 1
    with pytest.raises(ValidationFailed):
        second_factor.verify_code(user, codes[0])


def test_the_authenticator_code_verifies_spaces_allowed(make_user):
    user = make_user(Role.AUTHORITY)
    device, _codes = enrolled(user)
    device.refresh_from_db()
    device.last_t = -1  # the enrolment used this step's code; a new step's code is what sign-in sees
    device.save()
    code = second_factor.current_code(device)
    assert second_factor.verify_code(user, f"{code[:3]} {code[3:]}").pk == device.pk


def test_new_backup_codes_replace_the_old(make_user):
    user = make_user(Role.REVIEWER)
    _device, old = enrolled(user)
    new = second_factor.regenerate_backup_codes(user)
    assert not set(old) & set(new)
    assert second_factor.verify_code(user, new[1])
    with pytest.raises(ValidationFailed):  # (last: a wrong code makes the device wait before the next try)
        second_factor.verify_code(user, old[1])


def test_only_an_administrator_resets_a_second_factor_and_it_is_audited(make_user):
    officer, administrator, colleague = make_user(Role.OFFICER), make_user(Role.ADMINISTRATOR), make_user(Role.OFFICER)
    enrolled(officer)
    with pytest.raises(PermissionRefused):
        second_factor.reset_second_factor(colleague, officer)
    assert second_factor.has_authenticator(officer)
    assert second_factor.reset_second_factor(administrator, officer) == 2
    assert not second_factor.has_authenticator(officer)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert entry.chain == f"person:{officer.pk}"


def test_the_admin_action_resets_the_chosen_peoples_second_factor(make_user):
    from django.test import Client
    from django.urls import reverse

    officer = make_user(Role.OFFICER)
    enrolled(officer)
    administrator = make_user(Role.ADMINISTRATOR)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = Client()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "Second factor reset for 1 person." in response.content.decode()
    assert not second_factor.has_authenticator(officer)
