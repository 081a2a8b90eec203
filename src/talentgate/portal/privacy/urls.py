"""Personal-data pages, under /portal/privacy/."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("export.json", views.my_export_json, name="my_export_json"),
    path("export.pdf", views.my_export_pdf, name="my_export_pdf"),
    path("erasure/", views.request_erasure, name="request_erasure"),
    path("requests/", views.erasure_requests, name="requests"),
    path("people/<int:profile_id>/", views.person, name="person"),
    path("people/<int:profile_id>/export.json", views.person_export_json, name="person_export_json"),
    path("people/<int:profile_id>/export.pdf", views.person_export_pdf, name="person_export_pdf"),
    path("people/<int:profile_id>/erase/", views.erase, name="erase"),
    path("people/<int:profile_id>/holds/", views.place_hold, name="place_hold"),
    path("holds/<int:hold_id>/release/", views.release_hold, name="release_hold"),
    path("requests/<int:request_id>/refuse/", views.refuse_request, name="refuse_request"),
]
