"""Matrix entries of the Django admin: the changelist of every registered model.

Only ``is_staff`` users with the model's permission get in (here: the superuser administrator);
a staff member without the permission gets 403, and everyone else is sent to the admin's sign-in.
"""

from __future__ import annotations

from django.contrib import admin

from permission_matrix.harness import Endpoint, Exempt

ENDPOINTS = [
    Endpoint(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", frozenset({"administrator"}))
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label)
]

EXEMPT = [
    Exempt(
        r"^admin:|^admin/",
        "every admin view goes through AdminSite.admin_view (active staff only) and the model's own "
        "permission checks; the changelists above exercise that guard for every registered model",
    ),
]
