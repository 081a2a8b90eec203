"""A person's notifications in the portal: the list (unread first), marking read, e-mail preferences, unsubscribing.

Every signed-in role has these pages and sees only their own notifications: reads go through
``notifications.selectors`` (another person's notification is "not found") and writes through
``notifications.services``. The unsubscribe page needs no sign-in: the signed link is the credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from talentgate.accounts.models import User
from talentgate.common.errors import DomainError
from talentgate.notifications import rendering, selectors, services
from talentgate.notifications.models import Notification
from talentgate.portal.refusals import signed_in

PAGE_SIZE = 25


@dataclass(frozen=True)
class NotificationRow:
    """One notification as the list shows it: the row and its words in the reader's language."""

    notification: Notification
    subject: str
    message: str


def _row(notification: Notification) -> NotificationRow:
    rendered = rendering.render_notification(notification)
    return NotificationRow(notification=notification, subject=rendered.subject, message=rendered.message)


def _back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    page = request.POST.get("page", "")
    target = redirect("portal:notifications:list")
    if page.isdigit():
        target["Location"] += f"?page={page}"
    return target


@signed_in
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, unread first then newest, a page at a time."""
    page = Paginator(selectors.notifications_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notifications/list.html",
        {"page": page, "rows": [_row(n) for n in page.object_list], "unread": selectors.unread_count(request.user)},
    )


@signed_in
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a notification read and go where it points (a path on this site; otherwise back to the list)."""
    notification = services.mark_read(request.user, notification_id)
    allowed = url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if notification.link and allowed:
        return HttpResponseRedirect(notification.link)
    return redirect("portal:notifications:list")


@require_POST
@signed_in
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read; an htmx request gets the re-rendered row back."""
    notification = services.mark_read(request.user, notification_id)
    if request.headers.get("HX-Request"):
        return render(request, "portal/notifications/_row.html", {"row": _row(notification)})
    return _back_to_list(request)


@require_POST
@signed_in
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification read."""
    count = services.mark_all_read(request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
        % {"count": count},
    )
    return _back_to_list(request)


class PreferencesForm(forms.Form):
    """One checkbox per kind of notification a person may turn off; essential kinds are shown, not offered."""

    def __init__(self, *args: Any, preferences: list[selectors.EmailPreference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for preference in preferences:
            if preference.essential:
                continue
            self.fields[preference.kind.code] = forms.BooleanField(
                label=preference.kind.label,
                help_text=preference.kind.description,
                required=False,
                initial=preference.email,
            )


@signed_in
def preferences(request: HttpRequest) -> HttpResponse:
    """Which e-mails the person gets: essential kinds listed as always on, the others with a checkbox each."""
    current = selectors.email_preferences_for(request.user)
    form = PreferencesForm(request.POST or None, preferences=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                owner = cast(User, request.user)  # signed in: @signed_in sent anyone else to the sign-in page
                services.set_email_preferences(owner, owner, form.cleaned_data)
            except DomainError as exc:
                for error in exc.errors:
                    form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Your e-mail preferences are saved."))
                return redirect("portal:notifications:preferences")
        else:
            status = 400
    email_language = translation.get_language_info(rendering.language_for(request.user))["name_local"]
    context = {"form": form, "essential": [p for p in current if p.essential], "email_language": email_language}
    return render(request, "portal/notifications/preferences.html", context, status=status)


# The token is the credential and the only thing it can do is turn e-mails off, so a mail
# client's one-click POST (RFC 8058), which carries no CSRF token, is accepted.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST turns the kind's e-mails off."""
    try:
        if request.method == "GET":
            _user, kind = services.read_unsubscribe_token(token)
        else:
            _user, kind = services.unsubscribe(token)
    except DomainError as exc:
        context: dict[str, Any] = {"error": exc.errors[0].message, "rule": exc.errors[0].rule}
        return render(request, "portal/notifications/unsubscribe.html", context, status=400)
    context = {"token": token, "kind": kind, "done": request.method == "POST"}
    return render(request, "portal/notifications/unsubscribe.html", context)
