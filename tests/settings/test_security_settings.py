"""The platform settings' security defaults (the test settings relax only what they say they do)."""

from __future__ import annotations

from talentgate.settings import base, test


def test_staff_need_a_second_factor_by_default_and_only_the_test_settings_turn_it_off():
    assert base.STAFF_MFA_REQUIRED is True
    assert test.STAFF_MFA_REQUIRED is False


def test_cookies_are_http_only_and_same_site_and_staff_sessions_are_shorter():
    assert base.SESSION_COOKIE_HTTPONLY is True
    assert base.CSRF_COOKIE_HTTPONLY is True
    assert base.SESSION_COOKIE_SAMESITE == base.CSRF_COOKIE_SAMESITE == "Lax"
    assert base.STAFF_SESSION_AGE_SECONDS == 8 * 3600
    assert base.STAFF_SESSION_AGE_SECONDS < base.SESSION_COOKIE_AGE


def test_sign_in_is_throttled_before_any_password_is_checked():
    assert base.AUTHENTICATION_BACKENDS[0] == "talentgate.accounts.throttling.WebSignInThrottle"
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_second_factor_check_runs_after_authentication():
    order = base.MIDDLEWARE.index
    assert (
        order("django.contrib.auth.middleware.AuthenticationMiddleware")
        < order("django_otp.middleware.OTPMiddleware")
        < order("talentgate.portal.account.middleware.StaffSecondFactorMiddleware")
    )
