"""Every programmes model opens in the admin; statuses are read-only and history cannot be written by hand."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, Programme, SectorTarget

pytestmark = pytest.mark.django_db

EDITABLE = [Programme, PrioritySector, SectorTarget, Application]


@pytest.mark.parametrize("model", [*EDITABLE, ApplicationTransition], ids=lambda m: m.__name__)
def test_changelist_opens_with_search_for_a_superuser(admin_client, model):
    url = reverse(f"admin:programmes_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "space"}).status_code == 200


@pytest.mark.parametrize("model", EDITABLE, ids=lambda m: m.__name__)
def test_add_page_opens_for_a_superuser(admin_client, model):
    assert admin_client.get(reverse(f"admin:programmes_{model._meta.model_name}_add")).status_code == 200


def test_history_rows_cannot_be_added_by_hand(admin_client):
    # Deliberately no add page: the history is evidence written only by transitions.
    assert admin_client.get(reverse("admin:programmes_applicationtransition_add")).status_code == 403


def test_application_status_is_read_only_in_the_admin(admin_client, make_application):
    application, _ = make_application(until="submitted")
    assert "status" in admin.site._registry[Application].readonly_fields
    page = admin_client.get(reverse("admin:programmes_application_change", args=[application.pk]))
    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields
    assert "submitted" in page.content.decode()  # shown, with its history inline


def test_a_sector_cannot_be_moved_under_its_own_child_in_the_admin(admin_client, configurer, sector):
    from talentgate.programmes import services

    child = services.create_priority_sector(configurer, code="space.launch", name_en="Launch", parent_id=sector.pk)
    url = reverse("admin:programmes_prioritysector_change", args=[sector.pk])
    response = admin_client.post(
        url, {"code": "space", "name_en": "Space", "name_ru": "", "parent": child.pk, "description": ""}
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    sector.refresh_from_db()
    assert sector.parent is None
