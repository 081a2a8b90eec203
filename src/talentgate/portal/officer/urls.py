"""URLs of the officers' pages, included under ``/officer/`` in the ``portal:officer`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.officer import views

app_name = "officer"

urlpatterns = [
    path("applications/", views.queue, name="queue"),
    path("applications/bulk/", views.bulk_action, name="bulk"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<int:application_id>/transitions/<slug:name>/",
        views.run_transition,
        name="transition",
    ),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/verify/",
        views.verify_document,
        name="verify_document",
    ),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/reject/",
        views.reject_document,
        name="reject_document",
    ),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/verify/", views.verify_organisation, name="verify_organisation"),
    path("organisations/<int:organisation_id>/reject/", views.reject_organisation, name="reject_organisation"),
    path("validate/<slug:form_key>/<slug:field_name>/", views.validate_field, name="validate"),
]
