"""Requests for information and the case's conversation thread: who may ask, answer, write and read what.

An officer asks the candidate or the host organisation for something by a due date
(:func:`request_information`); the case's stage clock stands still from that moment (a
``ClockPause`` through ``services.pause_clock``) until the addressee answers with a message or an
upload (:func:`answer_information_request`) or the officer withdraws the request. Every case has
one thread of :class:`~talentgate.cases.models.CaseMessage`; the question and the answer are
messages in it too.

Who sees what: programme staff and the case's candidate see the whole thread; the host
organisation's staff see only the messages on the host's side (``audience == "host"``). Audit
entries name ids and fields, never the text or the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django_tasks import task

from talentgate.accounts.models import User
from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.candidates.services import UPLOAD_TYPES, sniff_content_type, upload_problems
from talentgate.cases import selectors, services
from talentgate.cases.models import (
    Audience,
    CaseMessage,
    InformationRequest,
    RelocationCase,
    RequestStatus,
)
from talentgate.common import audit
from talentgate.common.access import has_role, is_programme_staff, role_of
from talentgate.common.errors import Conflict, FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.hosts.guards import is_member_of
from talentgate.notifications import kinds as notification_kinds
from talentgate.notifications.services import notify_many

# Declared for makemessages: NotFound looks the noun up under the context "object".
OBJECT_NAMES = (pgettext_lazy("object", "information request"), pgettext_lazy("object", "message"))

MAX_QUESTION_CHARS = 4000
MAX_MESSAGE_CHARS = 10000
#: The latest due date an officer may set, counted from today: a request that waits longer is a withdrawal.
MAX_DUE_DAYS = 180
PAUSE_REASON = "information request"


# --- who is who on a case ------------------------------------------------------------------------------------------


def _is_candidate_of(actor: Any, case: RelocationCase) -> bool:
    return role_of(actor) == Role.CANDIDATE and case.profile.user_id is not None and case.profile.user_id == actor.pk


def _is_host_of(actor: Any, case: RelocationCase) -> bool:
    return case.organisation_id is not None and is_member_of(actor, case.organisation_id)


def audiences_for(actor: Any, case: RelocationCase) -> tuple[str, ...]:
    """The sides of the case's thread ``actor`` may read: both for staff and the candidate, the host's for the host."""
    if is_programme_staff(actor) or _is_candidate_of(actor, case):
        return (Audience.CANDIDATE.value, Audience.HOST.value)
    if _is_host_of(actor, case):
        return (Audience.HOST.value,)
    return ()


def _recipients(case: RelocationCase, audience: str) -> list[User]:
    """Who is told about a message or request on ``audience``'s side: the candidate, or the host's active staff."""
    if audience == Audience.CANDIDATE:
        return [case.profile.user] if case.profile.user is not None else []
    if case.organisation_id is None:
        return []
    return list(
        User.objects.filter(
            memberships__organisation_id=case.organisation_id,
            memberships__active=True,
            role__in=[r.value for r in HOST_ROLES],
            is_active=True,
        ).distinct()
    )


def _sender_names(actor: Any) -> dict[str, str]:
    """The writer as the reader sees them, by role (names stay out of e-mails), in each offered language."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[f"sender_{code}"] = str(Role(actor.role).label)
    return names


def _context(case: RelocationCase, **extra: Any) -> dict[str, Any]:
    return {"object": "case", "object_id": case.pk, **extra}


# --- reads -----------------------------------------------------------------------------------------------------------


def messages_visible_to(actor: Any, case_id: int) -> QuerySet[CaseMessage]:
    """The case's thread as ``actor`` may read it, oldest first; ``NotFound`` when the case is not theirs."""
    case = selectors.get_case_for(actor, case_id)
    audiences = audiences_for(actor, case)
    if not audiences:
        raise NotFound("case")
    return (
        CaseMessage.objects.filter(case=case, audience__in=audiences)
        .select_related("author", "information_request")
        .order_by("created_at", "pk")
    )


def get_message_for(actor: Any, message_id: int) -> CaseMessage:
    """One message (to open its attachment, say), if ``actor`` may read it; ``NotFound`` otherwise."""
    message = CaseMessage.objects.select_related("case__profile").filter(pk=message_id).first()
    if message is None or message.audience not in _readable_audiences(actor, message.case_id):
        raise NotFound("message")
    return message


def _readable_audiences(actor: Any, case_id: int) -> tuple[str, ...]:
    try:
        case = selectors.get_case_for(actor, case_id)
    except NotFound:
        return ()
    return audiences_for(actor, case)


def information_requests_visible_to(actor: Any, case_id: int | None = None) -> QuerySet[InformationRequest]:
    """Requests ``actor`` may see (of one case, if given), newest first: programme staff every one, the candidate
    those of their cases, host staff those addressed to their organisation."""
    requests = InformationRequest.objects.select_related("case__profile", "requested_by").order_by(
        "-requested_at", "-pk"
    )
    if case_id is not None:
        requests = requests.filter(case_id=case_id)
    if is_programme_staff(actor):
        return requests
    role = role_of(actor)
    if role == Role.CANDIDATE:
        return requests.filter(case__profile__user_id=actor.pk)
    if role in HOST_ROLES:
        return requests.filter(
            addressee=Audience.HOST,
            case__organisation__memberships__user_id=actor.pk,
            case__organisation__memberships__active=True,
        )
    return requests.none()


def get_information_request_for(actor: Any, request_id: int) -> InformationRequest:
    """One request, if ``actor`` may see it; ``NotFound`` otherwise."""
    found = information_requests_visible_to(actor).filter(pk=request_id).first()
    if found is None:
        raise NotFound("information request")
    return found


def open_requests_past_due(actor: Any, *, on: date | None = None) -> QuerySet[InformationRequest]:
    """Open requests whose due date has passed (programme staff's chase list), the longest overdue first."""
    if not is_programme_staff(actor):
        raise PermissionRefused(gettext("This needs a programme officer, supervisor or administrator."), rule="role")
    today = on or timezone.localdate()
    return (
        information_requests_visible_to(actor)
        .filter(status=RequestStatus.OPEN, due_on__lt=today)
        .order_by("due_on", "pk")
    )


# --- checks on input ------------------------------------------------------------------------------------------------


def _text_problems(field: str, value: str, limit: int) -> list[FieldError]:
    if len(value) > limit:
        return [
            FieldError(
                field,
                "max_length",
                gettext("Keep it to %(limit)s characters; this has %(length)s.")
                % {"limit": limit, "length": len(value)},
            )
        ]
    return []


def _attachment_problems(file: File | None, content_type: str | None) -> list[FieldError]:
    return upload_problems(file, content_type) if file is not None else []


@contextmanager
def _uploads_removed_on_error() -> Iterator[list[FieldFile]]:
    """Collects the files a write stores; if the write fails (its transaction rolls back) they are deleted again.

    Wrap it around the ``transaction.atomic()`` block so the clean-up runs after the rollback.
    """
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for upload in stored:
            if upload.name:
                upload.storage.delete(upload.name)
        raise


def _attach(message: CaseMessage, file: File | None, stored: list[FieldFile]) -> None:
    if file is None:
        return
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    sniffed = sniff_content_type(head if isinstance(head, bytes) else head.encode()) or ""
    message.attachment_name = (getattr(file, "name", "") or "")[:255]
    message.attachment_type = sniffed
    # The stored name says nothing about the person: the case's folder, a fixed stem, the content's extension.
    extension = UPLOAD_TYPES[sniffed][0][0] if sniffed in UPLOAD_TYPES else ""
    message.attachment.save(f"attachment{extension}", file, save=False)
    stored.append(message.attachment)


# --- writes ------------------------------------------------------------------------------------------------------


def request_information(
    actor: Any,
    case_id: int,
    *,
    addressee: str,
    question: str,
    due_on: date | None,
    today: date | None = None,
) -> InformationRequest:
    """An officer asks the candidate or the host for something by ``due_on``; the stage clock pauses until answered.

    Refused unless the actor is an officer or supervisor and the case is open; the question is
    required, the due date after today and at most ``MAX_DUE_DAYS`` away, and the host can only be
    asked on a case that has one. Every broken rule is named at once and nothing is written.
    """
    if not has_role(actor, Role.OFFICER, Role.SUPERVISOR):
        raise PermissionRefused(gettext("Only a programme officer or supervisor asks for information."), rule="role")
    today = today or timezone.localdate()
    question = (question or "").strip()
    errors: list[FieldError] = []
    if addressee not in Audience.values:
        errors.append(
            FieldError(
                "addressee",
                "choice",
                gettext("Ask 'candidate' or 'host'; '%(value)s' is neither.") % {"value": addressee},
            )
        )
    if not question:
        errors.append(FieldError("question", "required", gettext("Say what you need from them.")))
    errors += _text_problems("question", question, MAX_QUESTION_CHARS)
    if due_on is None:
        errors.append(FieldError("due_on", "required", gettext("Give the date by which you need the answer.")))
    elif due_on <= today:
        errors.append(FieldError("due_on", "in_future", gettext("The due date must be after today.")))
    elif due_on > today + timedelta(days=MAX_DUE_DAYS):
        errors.append(
            FieldError(
                "due_on",
                "max_days",
                gettext("The due date may be at most %(days)s days from today.") % {"days": MAX_DUE_DAYS},
            )
        )
    with transaction.atomic():
        case = services.lock_case(actor, case_id)
        if addressee == Audience.HOST and case.organisation_id is None:
            errors.append(
                FieldError(
                    "addressee", "no_host", gettext("This case has no host organisation to ask; ask the candidate.")
                )
            )
        if errors or due_on is None:
            raise ValidationFailed(errors)
        if not case.is_open:
            raise Conflict(
                "stage",
                "case_closed",
                gettext("This case is no longer open (stage '%(stage)s').") % {"stage": case.stage_label},
            )
        request = InformationRequest.objects.create(
            case=case, addressee=addressee, question=question, due_on=due_on, requested_by=actor
        )
        request.pause = services.pause_clock(case, PAUSE_REASON, source=request, actor=actor)
        request.save(update_fields=["pause"])
        message = CaseMessage.objects.create(
            case=case, audience=addressee, author=actor, body=question, information_request=request
        )
        chain = services.case_chain(case)
        audit.record_many(
            actor,
            [
                audit.AuditEvent(
                    "case.information_requested", request, chain, ["addressee", "question", "due_on", "pause"]
                ),
                audit.AuditEvent("case.message_posted", message, chain, ["audience", "body"]),
            ],
        )
        notify_many(
            _recipients(case, addressee),
            notification_kinds.INFORMATION_REQUESTED.code,
            _context(case, due_date=due_on.isoformat(), question=question),
            link=services._link(case),
        )
    return request


def answer_information_request(
    actor: Any,
    request_id: int,
    *,
    body: str = "",
    file: File | None = None,
    content_type: str | None = None,
) -> CaseMessage:
    """The addressee answers an open request with a message, an upload or both; the stage clock runs again.

    The candidate answers requests to the candidate, the host's staff those to the host. The upload
    is checked like a profile document (size, PDF/PNG/JPEG by content, name and declared type).
    """
    body = (body or "").strip()
    with _uploads_removed_on_error() as stored, transaction.atomic():
        found = get_information_request_for(actor, request_id)
        request = InformationRequest.objects.select_for_update().select_related("case__profile").get(pk=found.pk)
        case = request.case
        may_answer = (
            _is_candidate_of(actor, case) if request.addressee == Audience.CANDIDATE else _is_host_of(actor, case)
        )
        if not may_answer:
            who = (
                gettext("the case's candidate")
                if request.addressee == Audience.CANDIDATE
                else gettext("the host organisation's staff")
            )
            raise PermissionRefused(gettext("Only %(who)s answers this request.") % {"who": who}, rule="addressee")
        if request.status != RequestStatus.OPEN:
            raise Conflict(
                "status",
                "not_open",
                gettext("This request is already %(status)s.") % {"status": request.get_status_display()},
            )
        errors = _text_problems("body", body, MAX_MESSAGE_CHARS) + _attachment_problems(file, content_type)
        if not body and file is None:
            errors.append(FieldError("body", "required", gettext("Write an answer or attach a file.")))
        if errors:
            raise ValidationFailed(errors)
        message = CaseMessage(
            case=case, audience=request.addressee, author=actor, body=body, information_request=request
        )
        _attach(message, file, stored)
        message.save()
        now = timezone.now()
        request.status, request.closed_by, request.closed_at = RequestStatus.ANSWERED, actor, now
        request.save(update_fields=["status", "closed_by", "closed_at"])
        if request.pause is not None:
            services.resume_clock(request.pause, at=now, actor=actor)
        chain = services.case_chain(case)
        audit.record_many(
            actor,
            [
                audit.AuditEvent("case.message_posted", message, chain, _message_fields(message)),
                audit.AuditEvent("case.information_provided", request, chain, ["status", "closed_by", "closed_at"]),
            ],
        )
        notify_many(
            [request.requested_by],
            notification_kinds.INFORMATION_PROVIDED.code,
            _context(case, due_date=request.due_on.isoformat()),
            link=services._link(case),
        )
    return message


def withdraw_information_request(actor: Any, request_id: int, *, reason: str) -> InformationRequest:
    """Programme staff withdraw an open request (no longer needed), giving the reason; the stage clock runs again."""
    if not is_programme_staff(actor):
        raise PermissionRefused(gettext("This needs a programme officer, supervisor or administrator."), rule="role")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", gettext("Say why the request is withdrawn."))
    if len(reason) > 500:
        raise ValidationFailed(_text_problems("reason", reason, 500))
    with transaction.atomic():
        found = get_information_request_for(actor, request_id)
        request = InformationRequest.objects.select_for_update().get(pk=found.pk)
        if request.status != RequestStatus.OPEN:
            raise Conflict(
                "status",
                "not_open",
                gettext("This request is already %(status)s.") % {"status": request.get_status_display()},
            )
        now = timezone.now()
        request.status, request.closed_by, request.closed_at = RequestStatus.WITHDRAWN, actor, now
        request.withdrawal_reason = reason
        request.save(update_fields=["status", "closed_by", "closed_at", "withdrawal_reason"])
        if request.pause is not None:
            services.resume_clock(request.pause, at=now, actor=actor)
        audit.record(
            actor,
            "case.information_request_withdrawn",
            request,
            chain=services.case_chain(request.case_id),
            fields=["status", "closed_by", "closed_at", "withdrawal_reason"],
        )
    return request


def _message_fields(message: CaseMessage) -> list[str]:
    fields = ["audience"]
    if message.body:
        fields.append("body")
    if message.attachment:
        fields.append("attachment")
    return fields


def post_message(
    actor: Any,
    case_id: int,
    *,
    body: str = "",
    audience: str | None = None,
    file: File | None = None,
    content_type: str | None = None,
) -> CaseMessage:
    """Write in the case's thread: the candidate on the candidate's side, host staff on the host's, programme
    staff on the side they name (``audience``). The other side is notified."""
    body = (body or "").strip()
    with _uploads_removed_on_error() as stored, transaction.atomic():
        case = services.lock_case(actor, case_id)
        if is_programme_staff(actor):
            side = audience or ""
            if side not in Audience.values:
                raise ValidationFailed.single(
                    "audience",
                    "choice",
                    gettext("Say whom you write to: 'candidate' or 'host'."),
                )
            if side == Audience.HOST and case.organisation_id is None:
                raise ValidationFailed.single(
                    "audience", "no_host", gettext("This case has no host organisation to write to.")
                )
        elif _is_candidate_of(actor, case):
            side = Audience.CANDIDATE.value
        elif _is_host_of(actor, case):
            side = Audience.HOST.value
        else:
            raise PermissionRefused(
                gettext("Only the case's candidate, its host's staff and programme staff write in its thread."),
                rule="thread_member",
            )
        if audience and audience != side:
            raise ValidationFailed.single(
                "audience",
                "own_side",
                gettext("You write on your own side of the thread ('%(side)s').") % {"side": side},
            )
        errors = _text_problems("body", body, MAX_MESSAGE_CHARS) + _attachment_problems(file, content_type)
        if not body and file is None:
            errors.append(FieldError("body", "required", gettext("Write a message or attach a file.")))
        if errors:
            raise ValidationFailed(errors)
        message = CaseMessage(case=case, audience=side, author=actor, body=body)
        _attach(message, file, stored)
        message.save()
        audit.record(
            actor, "case.message_posted", message, chain=services.case_chain(case), fields=_message_fields(message)
        )
        if is_programme_staff(actor):
            notify_many(
                _recipients(case, side),
                notification_kinds.MESSAGE_RECEIVED.code,
                _context(case, **_sender_names(actor)),
                link=services._link(case),
            )
    return message


# --- reminders ----------------------------------------------------------------------------------------------------


def remind_information_requests_due(*, today: date | None = None, days_before: int = 1) -> int:
    """Remind each addressee once that an open request is due within ``days_before`` days; return how many.

    Runs as the system. ``reminded_at`` marks a request as reminded, so a second run (or a second
    worker) tells nobody twice; each request commits on its own.
    """
    today = today or timezone.localdate()
    due = InformationRequest.objects.filter(
        status=RequestStatus.OPEN, reminded_at__isnull=True, due_on__lte=today + timedelta(days=days_before)
    ).values_list("pk", flat=True)
    reminded = 0
    for request_id in list(due):
        with transaction.atomic():
            request = (
                InformationRequest.objects.select_for_update(of=("self",))
                .select_related("case__profile__user")
                .filter(pk=request_id, status=RequestStatus.OPEN, reminded_at__isnull=True)
                .first()
            )
            if request is None:
                continue
            request.reminded_at = timezone.now()
            request.save(update_fields=["reminded_at"])
            phrases = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    phrases[f"what_{code}"] = gettext("Your answer to a request for information")
            notify_many(
                _recipients(request.case, request.addressee),
                notification_kinds.DEADLINE_APPROACHING.code,
                _context(request.case, due_date=request.due_on.isoformat(), **phrases),
                link=services._link(request.case),
            )
            reminded += 1
    return reminded


@task()
def remind_information_requests_due_task() -> int:
    """Remind addressees of requests due tomorrow; meant to run daily from the task worker."""
    return remind_information_requests_due()
