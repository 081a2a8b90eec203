"""An administrator's change in the admin is audited (field names only) and marks the row edited here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.common.models import AuditEntry
from talentgate.cooperation.loader import REGISTRY_CHAIN
from talentgate.cooperation.models import BlocMembership

pytestmark = pytest.mark.django_db


def _form_data(response) -> dict:
    """The change form's current values as POST data (model choices as ids, empty values as '')."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else value
        if isinstance(data[name], bool) and not data[name]:
            data.pop(name)
    return data


def test_an_admin_change_is_audited_and_marked_edited_here(admin_client):
    egypt = BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member")
    url = reverse("admin:cooperation_blocmembership_change", args=[egypt.pk])
    data = _form_data(admin_client.get(url))
    data["notes"] = "Checked against the chair's statement."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    egypt.refresh_from_db()
    assert (egypt.notes, egypt.locally_edited) == ("Checked against the chair's statement.", True)
    entry = AuditEntry.objects.get(object_type="cooperation.blocmembership", object_id=str(egypt.pk))
    assert (entry.chain, entry.action, entry.fields) == (REGISTRY_CHAIN, "blocmembership.admin_changed", ["notes"])
