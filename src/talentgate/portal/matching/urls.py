"""URLs of the matching pages, included under ``/matching/`` in the ``portal:matching`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.matching import views

app_name = "matching"

urlpatterns = [
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/ranking/", views.my_ranking, name="my_ranking"),
    path("runs/<int:run_id>/couple/", views.my_couple, name="couple"),
    path("runs/<int:run_id>/opportunities/<int:opportunity_id>/", views.opportunity_ranking, name="opportunity"),
    path("my-placements/", views.my_placements, name="my_placements"),
    path("validate/<str:form_name>/", views.validate, name="validate"),
]
