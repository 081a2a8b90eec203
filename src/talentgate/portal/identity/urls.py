"""Suspected duplicates and merges, under /duplicates/ (programme officers and supervisors)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.identity import views

app_name = "identity"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:suspicion_id>/", views.suspicion, name="suspicion"),
    path("<int:suspicion_id>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:suspicion_id>/merge/", views.merge, name="merge"),
]
