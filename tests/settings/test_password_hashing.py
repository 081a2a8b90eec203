"""Passwords are stored with Argon2 outside the test suite (which keeps a fast hasher for speed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.settings import base


def test_the_platform_settings_hash_new_passwords_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_stored_as_argon2_and_still_verifies():
    user = create_user(None, email="argon@example.org", password="a-Long-enough-pass-42", role=Role.CANDIDATE)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("a-Long-enough-pass-42")
    assert not user.check_password("a-Long-enough-pass-43")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_password_stored_with_an_older_hasher_is_rehashed_with_argon2_at_sign_in():
    user = create_user(None, email="old@example.org", password=None, role=Role.CANDIDATE)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user.set_password("a-Long-enough-pass-42")
        user.save()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("a-Long-enough-pass-42")
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
