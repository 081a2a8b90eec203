"""URLs of the candidate's offer pages, included by the portal under /offers/ (namespace ``portal:offers``)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.offers import views

app_name = "offers"

urlpatterns = [
    path("", views.my_offers, name="list"),
    path("<int:offer_id>/", views.offer_detail, name="detail"),
    path("<int:offer_id>/accept/", views.accept, name="accept"),
    path("<int:offer_id>/decline/", views.decline, name="decline"),
]
