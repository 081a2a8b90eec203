"""Portal URLs: home, sign-in and sign-out. Later issues add their pages here (and to the permission matrix)."""

from __future__ import annotations

from django.urls import include, path

from talentgate.portal import views
from talentgate.portal.forms import EmailAuthenticationForm

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        views.SignInView.as_view(
            template_name="portal/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", views.SignOutView.as_view(next_page="portal:login"), name="logout"),
    path("officer/", include("talentgate.portal.officer.urls")),
    path("account/", include("talentgate.portal.account.urls")),
    path("candidate/", include("talentgate.portal.candidate.urls")),
    path("host/", include("talentgate.portal.host.urls")),
    path("offers/", include("talentgate.portal.offers.urls")),
    path("assessment/", include("talentgate.portal.assessment.urls")),
    path("matching/", include("talentgate.portal.matching.urls")),
    path("registry/", include("talentgate.portal.registry.urls")),
    path("cases/", include("talentgate.portal.cases.urls")),
    path("notifications/", include("talentgate.portal.notifications.urls")),
    path("privacy/", include("talentgate.portal.privacy.urls")),
    path("duplicates/", include("talentgate.portal.identity.urls")),
    path("competitions/", include("talentgate.portal.competitions.urls")),
    path("analytics/", include("talentgate.portal.analytics.urls")),
]
