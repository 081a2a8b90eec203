"""Every hosts model opens its changelist and add page in the admin; statuses are read-only there."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTS_MODELS = sorted(apps.get_app_config("hosts").get_models(), key=lambda m: m.__name__)


@pytest.mark.parametrize("model", HOSTS_MODELS, ids=[m.__name__ for m in HOSTS_MODELS])
def test_changelist_and_add_page_open_for_a_superuser(admin_client, model):
    opts = model._meta
    assert admin_client.get(reverse(f"admin:hosts_{opts.model_name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:hosts_{opts.model_name}_changelist"), {"q": "orbit"}).status_code == 200
    assert admin_client.get(reverse(f"admin:hosts_{opts.model_name}_add")).status_code == 200


def test_status_and_verification_are_read_only_in_the_admin():
    from talentgate.hosts.models import Offer, Opportunity, Organisation

    assert "status" in admin.site._registry[Opportunity].readonly_fields
    assert "status" in admin.site._registry[Offer].readonly_fields
    assert "verification" in admin.site._registry[Organisation].readonly_fields


def test_changing_a_published_opportunity_in_the_admin_keeps_its_status_and_is_audited(
    admin_client, make_org, make_opportunity
):
    from talentgate.common.models import AuditEntry
    from talentgate.hosts.models import Opportunity

    _, admin_user = make_org()
    opportunity = make_opportunity(admin_user)
    url = reverse("admin:hosts_opportunity_change", args=[opportunity.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update({"title": "Renamed in the back office", "status": "closed"})
    for prefix in ("occupations", "skills", "languages"):
        formset = next(fs for fs in page.context["inline_admin_formsets"] if fs.formset.prefix == prefix).formset
        mgmt = formset.management_form
        data.update({f"{prefix}-{k}": v.value() for k, v in ((n, mgmt[n]) for n in mgmt.fields)})
        for i, inline_form in enumerate(formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    assert (opportunity.title, opportunity.status) == ("Renamed in the back office", "published")
    assert AuditEntry.objects.filter(action="opportunity.admin_changed", object_id=str(opportunity.pk)).exists()
