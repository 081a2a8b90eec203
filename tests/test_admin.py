"""Every model registered in the admin opens its changelist, search and add page for staff."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
DOMAIN_APPS = (
    "accounts",
    "reference",
    "candidates",
    "hosts",
    "programmes",
    "common",
    "assessment",
    "matching",
    "notifications",
    "cases",
    "cooperation",
    "authority",
    "competitions",
    "privacy",
)


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_changelist_search_and_add_page_open(admin_client, model, model_admin):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert admin_client.get(changelist, {"q": "x"}).status_code == 200
    add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    expected = 200 if model_admin.has_add_permission(_request_for(admin_client)) else 403
    assert admin_client.get(add_url).status_code == expected


def _request_for(client):
    from django.test import RequestFactory

    from talentgate.accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(is_superuser=True)
    return request


def test_every_domain_model_is_in_the_admin_with_search_and_filters():
    from django.apps import apps

    missing, bare = [], []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            model_admin = admin.site._registry.get(model)
            if model_admin is None:
                missing.append(model._meta.label)
            elif not (model_admin.search_fields and model_admin.list_filter):
                bare.append(model._meta.label)
    assert missing == []
    assert bare == []
