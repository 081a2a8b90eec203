"""URLs of the host organisation pages, included by the portal under /host/ (namespace ``portal:host``)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.host import offers, opportunities, views

app_name = "host"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/done/", views.sign_up_done, name="sign_up_done"),
    path("register/", views.register, name="register"),
    path("staff/", views.staff, name="staff"),
    path("staff/invite/", views.invite, name="invite"),
    path("staff/invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("staff/members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path("join/<str:token>/", views.join, name="join"),
    path("validate/<slug:form_name>/", views.validate, name="validate"),
    path("validate-public/<slug:form_name>/", views.validate_public, name="validate_public"),
    path("opportunities/", opportunities.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", opportunities.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:opportunity_id>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:opportunity_id>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:opportunity_id>/publish/", opportunities.opportunity_publish, name="opportunity_publish"),
    path("opportunities/<int:opportunity_id>/close/", opportunities.opportunity_close, name="opportunity_close"),
    path("opportunities/<int:opportunity_id>/offer/", offers.offer_new, name="offer_new"),
    path("requirements/<slug:kind>/row/", opportunities.requirement_row, name="requirement_row"),
    path("suggest/<slug:kind>/", opportunities.suggest, name="suggest"),
    path("offers/", offers.offer_list, name="offer_list"),
    path("offers/<int:offer_id>/", offers.offer_detail, name="offer_detail"),
    path("offers/<int:offer_id>/withdraw/", offers.offer_withdraw, name="offer_withdraw"),
    path("candidates/suggest/", offers.candidate_suggestions, name="candidate_suggestions"),
]
