"""URLs of the cooperation registry's pages, included under ``/registry/`` in the ``portal:registry`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.index, name="index"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("blocs/<slug:code>/", views.bloc_detail, name="bloc"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:code>/", views.organisation_detail, name="organisation"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/<slug:code>/", views.facility_detail, name="facility"),
    path("exchange-programmes/", views.exchange_list, name="exchange_programmes"),
    path("exchange-programmes/<slug:code>/", views.exchange_detail, name="exchange_programme"),
]
