"""Read-only admin for notifications and e-mail opt-outs: support staff look (did the e-mail go out?), never edit.

What a person was told is a record; preferences are the person's own to change (portal, API, e-mail link).
"""

from __future__ import annotations

from django.contrib import admin

from talentgate.common.admin import ReadOnlyAdmin
from talentgate.notifications.models import EmailOptOut, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "essential", "created_at", "read_at", "email_status", "emailed_at"]
    list_filter = ["kind", "essential", "email_status"]
    search_fields = ["recipient__email", "kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "source", "created_at"]
    list_filter = ["kind", "source"]
    search_fields = ["user__email", "kind"]
    list_select_related = ["user"]
