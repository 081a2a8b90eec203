"""Every write on notifications: telling a person something (:func:`notify`), e-mailing it, reading it, opting out.

:func:`notify` is what other apps call. It stores the in-app notification in the caller's
transaction and queues the e-mail for after that transaction commits, so a change that rolls
back leaves neither a notification nor an e-mail behind.

Only a change of e-mail preferences writes an audit entry (on the person's chain). A notification
itself is not audited: it repeats a change its caller audited in the same transaction, and its
e-mail state and read mark are delivery bookkeeping, not decisions about the person.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentgate.accounts.models import User
from talentgate.common import audit
from talentgate.common.errors import FieldError, PermissionRefused, ValidationFailed
from talentgate.notifications import kinds, rendering, selectors
from talentgate.notifications.models import EmailOptOut, EmailStatus, Notification

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "talentgate.notifications.unsubscribe"


def notify(
    recipient: User | None,
    kind: str,
    context: Mapping[str, Any] | None = None,
    *,
    essential: bool | None = None,
    link: str = "",
) -> Notification | None:
    """Tell ``recipient`` about something: an in-app notification now, an e-mail once the transaction commits.

    ``kind`` must be registered in :mod:`talentgate.notifications.kinds` (:class:`~kinds.UnknownKind`
    otherwise). ``context`` holds plain JSON-able values (ids, state codes, names in both languages,
    dates), never finished sentences: the words are rendered in the reader's language. ``essential``
    can raise a non-essential kind to essential for this one notification (a decision), never lower
    an essential kind. ``link`` is where to look in the portal (a path or an absolute URL).

    Returns ``None`` (and does nothing) when there is nobody to tell (``recipient`` is ``None``).
    """
    spec = kinds.get_kind(kind)
    if recipient is None:
        return None
    values = dict(context or {})
    try:
        # The round trip turns dates and decimals into the text the JSON column will hold.
        values = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    except TypeError as exc:
        raise TypeError(f"notify({kind!r}): the context must hold plain values: {exc}") from None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=spec.code,
            context=values,
            link=link[:500],
            essential=spec.essential or bool(essential),
        )
        # robust: a failure to queue the e-mail is logged; it never undoes a committed change.
        transaction.on_commit(partial(_queue_email, notification.pk), robust=True)
    return notification


def _queue_email(notification_id: int) -> None:
    from talentgate.notifications.tasks import send_notification_email

    send_notification_email.enqueue(notification_id)


def absolute_url(path_or_url: str) -> str:
    """An absolute URL for e-mails (which have no request to take the host from): ``settings.PORTAL_BASE_URL`` + path."""
    base = getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000/")
    return urljoin(base if base.endswith("/") else base + "/", path_or_url)


def unsubscribe_token(user: User, kind: str) -> str:
    """The signed token of the one-click link that turns off ``kind`` e-mails for ``user`` (it does not expire)."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def compose_email(notification: Notification) -> EmailMessage:
    """The e-mail for ``notification``, worded in the recipient's language, with the unsubscribe link if optional."""
    recipient = notification.recipient
    spec = kinds.get_kind(notification.kind)
    language = rendering.language_for(recipient)
    with translation.override(language):
        rendered = rendering.render(spec, notification.context, language)
        unsubscribe_url = ""
        if not notification.essential:
            token = unsubscribe_token(recipient, spec.code)
            unsubscribe_url = absolute_url(reverse("portal:notifications:unsubscribe", kwargs={"token": token}))
        body = render_to_string(
            "notifications/email/body.txt",
            {
                "name": recipient.get_full_name(),
                "message": rendered.message,
                "link": absolute_url(notification.link) if notification.link else "",
                "essential": notification.essential,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": absolute_url(reverse("portal:notifications:preferences")),
            },
        )
    headers = {"Content-Language": language}
    if unsubscribe_url:
        # RFC 8058: mail clients offer their own "unsubscribe" button and POST to this URL.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject=rendered.subject, body=body, to=[recipient.email], headers=headers)


def deliver_email(notification_id: int) -> str:
    """Send the e-mail of one notification (the task worker calls this); returns the resulting e-mail status.

    Sends nothing for an inactive account or one without an address, nor for a non-essential
    kind the person turned off. Each notification is e-mailed at most once: the status is
    claimed before sending, so two workers cannot both send it.
    """
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.email_status != EmailStatus.PENDING:
        return notification.email_status if notification else ""
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        outcome = EmailStatus.NO_ADDRESS
    elif not notification.essential and selectors.has_opted_out(recipient, notification.kind):
        outcome = EmailStatus.OPTED_OUT
    else:
        outcome = EmailStatus.SENT
    sending = outcome == EmailStatus.SENT
    claimed = Notification.objects.filter(pk=notification.pk, email_status=EmailStatus.PENDING).update(
        email_status=outcome,
        emailed_at=timezone.now() if sending else None,
        email_attempts=F("email_attempts") + (1 if sending else 0),
    )
    if not claimed or outcome != EmailStatus.SENT:
        return outcome if claimed else str(Notification.objects.get(pk=notification.pk).email_status)
    try:
        compose_email(notification).send(fail_silently=False)
    except Exception:
        logger.exception("E-mailing notification %s failed", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(email_status=EmailStatus.FAILED, emailed_at=None)
        return EmailStatus.FAILED
    return EmailStatus.SENT


#: A failed e-mail is tried again by :func:`retry_emails` until it has been tried this many times.
MAX_EMAIL_ATTEMPTS = 5
#: A notification still waiting this long after it was made lost its queued task (the worker was
#: down, queuing failed after commit): :func:`retry_emails` queues it again.
STALLED_AFTER = timedelta(minutes=15)


def retry_emails(now: datetime | None = None) -> int:
    """Queue again the e-mails that failed (fewer than ``MAX_EMAIL_ATTEMPTS`` tries) or stalled; returns how many.

    Meant to run periodically from the task worker. A retried notification is still e-mailed at
    most once: :func:`deliver_email` claims it before sending.
    """
    now = now or timezone.now()
    due = Notification.objects.filter(
        Q(email_status=EmailStatus.FAILED, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
        | Q(email_status=EmailStatus.PENDING, created_at__lte=now - STALLED_AFTER)
    )
    ids = list(due.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, email_status=EmailStatus.FAILED).update(email_status=EmailStatus.PENDING)
    for notification_id in ids:
        _queue_email(notification_id)
    return len(ids)


#: Read notifications older than this are deleted by :func:`delete_old_notifications` (unread ones are kept).
READ_RETENTION = timedelta(days=365)


def delete_old_notifications(now: datetime | None = None, *, older_than: timedelta = READ_RETENTION) -> int:
    """Delete read notifications made more than ``older_than`` ago; returns how many.

    A notification only repeats what the records it points to already hold (their history and
    audit trail), so once read and old it is kept no longer. Unread ones stay until read.
    """
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted


# --- reading ---------------------------------------------------------------------------------
#
# Marking read is not audited: it changes only what the person's own inbox shows, and one audit
# entry per click would bury the entries that matter on their chain.


def mark_read(actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (another person's is "not found"); idempotent."""
    notification = selectors.get_notification_for(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return selectors.notifications_visible_to(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- e-mail preferences ----------------------------------------------------------------------


def _own_account(actor: Any, user: User) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or actor.pk != user.pk:
        raise PermissionRefused(gettext("You may only change your own e-mail preferences."), rule="owner")


def set_email_preferences(actor: Any, user: User, email_enabled: Mapping[str, bool]) -> list[str]:
    """Turn e-mails of the named kinds on (``True``) or off (``False``) for ``user``; returns the kinds now off.

    Kinds not named keep their setting. Refuses, naming ``email.<kind>``, a kind that does not exist
    and turning off an essential kind; then nothing changes.
    """
    _own_account(actor, user)
    errors: list[FieldError] = []
    for code, enabled in email_enabled.items():
        try:
            spec = kinds.get_kind(code)
        except kinds.UnknownKind:
            errors.append(
                FieldError(
                    f"email.{code}",
                    "choice",
                    gettext("There is no kind of notification called '%(kind)s'.") % {"kind": code},
                )
            )
            continue
        if spec.essential and not enabled:
            errors.append(
                FieldError(
                    f"email.{code}",
                    "essential",
                    gettext("E-mails about %(kind)s are essential and cannot be turned off.")
                    % {"kind": str(spec.label).lower()},
                )
            )
    if errors:
        raise ValidationFailed(errors)
    return _apply_opt_outs(actor, user, email_enabled, source=EmailOptOut.Source.PREFERENCES)


def _apply_opt_outs(actor: Any, user: User, email_enabled: Mapping[str, bool], *, source: str) -> list[str]:
    turn_off = [code for code, enabled in email_enabled.items() if not enabled]
    turn_on = [code for code, enabled in email_enabled.items() if enabled]
    with transaction.atomic():
        existing = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        added = [code for code in turn_off if code not in existing]
        removed = [code for code in turn_on if code in existing]
        if added:
            EmailOptOut.objects.bulk_create([EmailOptOut(user=user, kind=code, source=source) for code in added])
        if removed:
            EmailOptOut.objects.filter(user=user, kind__in=removed).delete()
        if added or removed:
            audit.record(
                actor,
                "notifications.email_preferences_set",
                user,
                chain=audit.chain_for_person(user.pk),
                fields=["email_opt_outs"],
            )
    return sorted((existing | set(added)) - set(removed))


def read_unsubscribe_token(token: str) -> tuple[User, kinds.Kind]:
    """Whose e-mails of which kind an unsubscribe link names; refuses (field ``token``) a bad or foreign token."""
    try:
        data = signing.loads(token or "", salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise ValidationFailed.single(
            "token", "invalid", gettext("This unsubscribe link is not valid; copy the whole link from the e-mail.")
        ) from None
    user_id = data.get("u") if isinstance(data, dict) else None
    code = data.get("k") if isinstance(data, dict) else None
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    try:
        spec = kinds.get_kind(str(code))
    except kinds.UnknownKind:
        spec = None
    if user is None or spec is None:
        raise ValidationFailed.single("token", "invalid", gettext("This unsubscribe link is no longer valid."))
    if spec.essential:
        raise ValidationFailed.single(
            "token", "essential", gettext("These e-mails are essential and cannot be turned off.")
        )
    return user, spec


def unsubscribe(token: str) -> tuple[User, kinds.Kind]:
    """Turn off the e-mails an unsubscribe link names (idempotent); refuses a bad token and changes nothing."""
    user, spec = read_unsubscribe_token(token)
    _apply_opt_outs(None, user, {spec.code: False}, source=EmailOptOut.Source.LINK)
    return user, spec


def notify_many(
    recipients: Iterable[User | None], kind: str, context: Mapping[str, Any] | None = None, **kwargs: Any
) -> list[Notification]:
    """:func:`notify` each distinct recipient once (``None`` skipped); the same keyword arguments for all."""
    seen: set[int] = set()
    made: list[Notification] = []
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notification = notify(recipient, kind, context, **kwargs)
        if notification is not None:
            made.append(notification)
    return made
