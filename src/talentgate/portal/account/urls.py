"""URLs of the account pages, included by the portal under /account/ (namespace ``portal:account``)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.account import second_factor, views

app_name = "account"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/done/", views.sign_up_done, name="sign_up_done"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("second-factor/", second_factor.enrol, name="second_factor_enrol"),
    path("second-factor/verify/", second_factor.verify, name="second_factor_verify"),
    path("second-factor/backup-codes/", second_factor.renew_backup_codes, name="second_factor_backup_codes"),
]
