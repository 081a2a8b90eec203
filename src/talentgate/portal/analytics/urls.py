"""URLs of the analytics pages, included under ``/analytics/`` in the ``portal:analytics`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("tables/<slug:key>.csv", views.table_csv, name="table_csv"),
    path("cases.csv", views.case_rows, name="case_rows"),
]
