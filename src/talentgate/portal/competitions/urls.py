"""URLs of the competition pages, included under ``/competitions/`` in the ``portal:competitions`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.competitions import views

app_name = "competitions"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("<int:call_id>/", views.call_detail, name="call"),
    path("<int:call_id>/submit/", views.submit, name="submit"),
    path("<int:call_id>/declare/", views.declare, name="declare"),
    path("<int:call_id>/assign/", views.assign, name="assign"),
    path("<int:call_id>/award/", views.award, name="award"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/validate/<slug:field>/", views.validate_score, name="validate_score"),
]
