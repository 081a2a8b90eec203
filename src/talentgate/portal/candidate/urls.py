"""URLs of the candidate's pages, included by the portal under /candidate/ (namespace ``portal:candidate``)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.candidate import views

app_name = "candidate"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/<slug:slug>/", views.profile_step, name="profile_step"),
    path("profile/<slug:slug>/validate/", views.profile_validate, name="profile_validate"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:document_id>/delete/", views.delete_document, name="delete_document"),
    path("documents/<int:document_id>/file/", views.document_file, name="document_file"),
    path("consents/", views.consents, name="consents"),
    path("consents/<slug:purpose>/give/", views.give_consent, name="give_consent"),
    path("consents/<slug:purpose>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:programme_id>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("applications/<int:application_id>/withdraw/", views.withdraw_application, name="withdraw_application"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_download, name="my_data_download"),
]
