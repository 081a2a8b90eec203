"""Mounts the API (placeholder until the API skeleton lands)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
