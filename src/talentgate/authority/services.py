"""Every write of the authority hand-off: creating a submission with the case's submission, pushing it
(one attempt at a time, with exponential backoff between failures), the authority's acknowledgement
of a pulled submission, and taking a signed decision callback.

Each step is audited on the case's chain. Network I/O never runs inside a database transaction:
a push is sent first and its outcome recorded afterwards, under a row lock.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from talentgate.accounts.roles import Role
from talentgate.authority import protocol
from talentgate.authority.models import (
    AuthorityDecision,
    CallbackReceipt,
    Channel,
    DeliveryAttempt,
    DeliveryStatus,
    Submission,
)
from talentgate.authority.package import case_package
from talentgate.authority.simulator import Transport, urllib_transport
from talentgate.cases import services as case_services
from talentgate.cases.models import RelocationCase, Stage
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed

#: The wording of a refused signature, per rule of :mod:`talentgate.authority.protocol`.
SIGNATURE_MESSAGES = {
    "signature_header": gettext_lazy(
        "Sign the request: send the X-Authority-Signature header as t=<unix seconds>,nonce=<token>,v1=<HMAC-SHA256 hex>."
    ),
    "timestamp": gettext_lazy("The signature's timestamp must be whole Unix seconds."),
    "nonce": gettext_lazy("The signature's nonce must be 16 to 64 URL-safe characters."),
    "signature": gettext_lazy(
        "The signature does not match the request; sign method, path, timestamp, nonce and body."
    ),
    "stale_timestamp": gettext_lazy(
        "The signature's timestamp is outside the accepted window; sign the request again with the current time."
    ),
}

# Answers that say "try again later"; any other 4xx means the request itself is wrong and retrying cannot help.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 409, 425, 429})


class SignatureRefused(DomainError):
    """A callback's signature is missing, wrong or stale (401)."""

    def __init__(self, rule: str) -> None:
        super().__init__([FieldError("signature", rule, str(SIGNATURE_MESSAGES.get(rule, rule)))], status=401)


# --- settings ---------------------------------------------------------------------------------------


def backoff_policy() -> protocol.BackoffPolicy:
    """The push retry schedule configured by the AUTHORITY_PUSH_* settings."""
    return protocol.BackoffPolicy(
        base_seconds=settings.AUTHORITY_PUSH_BACKOFF_SECONDS,
        max_seconds=settings.AUTHORITY_PUSH_BACKOFF_MAX_SECONDS,
        max_attempts=settings.AUTHORITY_PUSH_MAX_ATTEMPTS,
    )


def push_enabled() -> bool:
    return bool(settings.AUTHORITY_PUSH_URL)


# --- creating a submission (inside the case's submit transition) -----------------------------------


def create_submission(actor: Any, case: Any) -> Submission:
    """Record the hand-off of ``case``; call inside the transaction that moves the case to 'submitted'.

    The push (if configured) is queued to run after that transaction commits, so the authority is
    never told about a submission that was rolled back. Refuses (409) a second undecided submission.
    """
    with transaction.atomic():
        if Submission.objects.filter(case_id=case.pk, decision="").exists():
            raise Conflict(
                "case",
                "open_submission",
                gettext("This case already has a submission waiting for the authority's decision."),
            )
        submission = Submission.objects.create(
            case_id=case.pk,
            idempotency_key=uuid.uuid4().hex,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            # Due at once: should the queued push be lost (a crash after commit), the sweep still sends it.
            next_attempt_at=timezone.now() if push_enabled() else None,
        )
        audit.record(
            actor,
            "authority.submission_created",
            submission,
            chain=audit.chain_for_case(case.pk),
            fields=["idempotency_key"],
        )
        if push_enabled():
            transaction.on_commit(lambda: enqueue_push(submission.pk))
    return submission


def enqueue_push(submission_id: int, *, run_after: datetime | None = None) -> None:
    """Queue a push of the submission (at ``run_after`` where the task backend can defer)."""
    from talentgate.authority.tasks import push_submission

    task = push_submission
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # The backend runs tasks at once (tests, the immediate backend): the periodic sweep retries instead.
            return
        task = task.using(run_after=run_after)
    task.enqueue(submission_id)


# --- the package the authority receives -------------------------------------------------------------


def build_package(submission: Submission, *, reveal: bool = True) -> dict[str, Any]:
    """The case data the authority needs for a permit decision, and nothing more.

    Identity document numbers are shown in full only with ``reveal`` (the package itself, fetched or
    pushed, and audited); lists show them masked. Contact details, scores and notes are never sent.
    """
    return {
        "idempotency_key": submission.idempotency_key,
        "submitted_at": submission.created_at.isoformat(),
        "case": case_package(submission.case, reveal=reveal),
    }


# --- pushing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    """What one push attempt did."""

    attempt: DeliveryAttempt | None
    skipped: str = ""


def _push_request(submission: Submission) -> tuple[str, dict[str, str], bytes]:
    url = settings.AUTHORITY_PUSH_URL
    body = json.dumps(build_package(submission), separators=(",", ":"), ensure_ascii=False, default=str).encode()
    path = signed_path(url)
    headers = {
        "Content-Type": "application/json",
        protocol.IDEMPOTENCY_HEADER: submission.idempotency_key,
        protocol.SIGNATURE_HEADER: protocol.signature_header(settings.AUTHORITY_CALLBACK_SECRET, "POST", path, body),
    }
    return url, headers, body


def signed_path(url: str) -> str:
    """The path of a URL as signed (the receiver sees the same): path and query, ``/`` when empty."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def deliver_submission(
    submission_id: int, *, transport: Transport | None = None, now: datetime | None = None
) -> PushResult:
    """Push one submission once and record the attempt; schedule the next one after a failure.

    A submission already delivered, decided or given up on is left alone. A 2xx answer delivers it
    (the answer's ``reference`` is kept); a network error, 5xx, 408, 409, 425 or 429 is retried after
    the backoff delay until the attempts are used up; any other 4xx gives up at once (the request is
    wrong, a retry would be too). The authority sees the same Idempotency-Key on every attempt.
    """
    submission = Submission.objects.select_related("case").filter(pk=submission_id).first()
    if submission is None:
        return PushResult(None, "missing")
    if not push_enabled():
        return PushResult(None, "push_disabled")
    if submission.delivery != DeliveryStatus.PENDING or submission.decision:
        return PushResult(None, "not_pending")
    url, headers, body = _push_request(submission)
    send = transport or _default_transport
    started_at = now or timezone.now()
    clock = time.monotonic()
    status: int | None = None
    error = ""
    reference = ""
    try:
        status, answer = send("POST", url, headers, body)
    except OSError as exc:  # refused connection, DNS, timeout (urllib raises URLError/TimeoutError, both OSError)
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', None) or exc}"
    else:
        if 200 <= status < 300:
            reference = _reference_from(answer)
        else:
            error = f"HTTP {status}: {answer[:200].decode('utf-8', 'replace')}"
    duration_ms = int((time.monotonic() - clock) * 1000)
    return _record_attempt(submission_id, started_at, duration_ms, status, error, reference)


def _default_transport(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    return urllib_transport(method, url, headers, body, timeout=settings.AUTHORITY_PUSH_TIMEOUT_SECONDS)


def _reference_from(answer: bytes) -> str:
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return ""
    return str(data.get("reference", ""))[:64] if isinstance(data, dict) else ""


def _record_attempt(
    submission_id: int, started_at: datetime, duration_ms: int, status: int | None, error: str, reference: str
) -> PushResult:
    policy = backoff_policy()
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        number = submission.attempts + 1
        submission.attempts = number
        retry_at: datetime | None = None
        if not error:
            outcome = DeliveryAttempt.Outcome.DELIVERED
            # A decision may have overtaken the acknowledgement (out of order): delivery is then already recorded.
            if submission.delivery == DeliveryStatus.PENDING:
                submission.delivery = DeliveryStatus.DELIVERED
                submission.delivered_via = Channel.PUSH
                submission.delivered_at = timezone.now()
            submission.authority_reference = submission.authority_reference or reference
            submission.next_attempt_at = None
            submission.last_error = ""
        else:
            outcome = DeliveryAttempt.Outcome.FAILED
            retryable = status is None or status >= 500 or status in RETRYABLE_CLIENT_STATUSES
            delay = policy.delay_after(number - submission.attempts_before_round) if retryable else None
            retry_at = started_at + timedelta(seconds=delay) if delay is not None else None
            submission.last_error = error[:500]
            submission.next_attempt_at = retry_at
            if retry_at is None and submission.delivery == DeliveryStatus.PENDING:
                submission.delivery = DeliveryStatus.FAILED
        submission.save()
        attempt = DeliveryAttempt.objects.create(
            submission=submission,
            number=number,
            started_at=started_at,
            duration_ms=duration_ms,
            outcome=outcome,
            http_status=status,
            error=error[:500],
            retry_at=retry_at,
        )
        action = "authority.push_delivered" if not error else "authority.push_failed"
        audit.record(
            None,
            action,
            submission,
            chain=audit.chain_for_case(submission.case_id),
            fields=["attempts", "delivery", "next_attempt_at"],
            reason=f"attempt {number}" + (f": {error}" if error else ""),
        )
    if retry_at is not None:
        transaction.on_commit(lambda: enqueue_push(submission_id, run_after=retry_at))
    return PushResult(attempt)


def retry_due_pushes(*, now: datetime | None = None, transport: Transport | None = None) -> int:
    """Push every pending submission whose next attempt is due; return how many were tried."""
    moment = now or timezone.now()
    due = list(
        Submission.objects.filter(
            delivery=DeliveryStatus.PENDING, decision="", next_attempt_at__lte=moment
        ).values_list("pk", flat=True)
    )
    for submission_id in due:
        deliver_submission(submission_id, transport=transport, now=moment)
    return len(due)


def retry_submission(actor: Any, idempotency_key: str) -> Submission:
    """Put a hand-off the authority has not yet received back into delivery, with a fresh round of attempts.

    With a push address configured it is pushed again now (same idempotency key, so never twice at
    the authority); without one it waits, pending, for the authority's pull. Refuses (409) one the
    authority already has.
    """
    require_role(actor, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(idempotency_key=idempotency_key).first()
        if submission is None:
            raise NotFound("submission")
        if submission.decision or submission.delivery == DeliveryStatus.DELIVERED:
            raise Conflict(
                "delivery",
                "already_delivered",
                gettext("The authority already has this submission; there is nothing to send again."),
            )
        submission.delivery = DeliveryStatus.PENDING
        submission.attempts_before_round = submission.attempts
        submission.next_attempt_at = timezone.now() if push_enabled() else None
        submission.save(update_fields=["delivery", "attempts_before_round", "next_attempt_at"])
        audit.record(
            actor,
            "authority.push_retried",
            submission,
            chain=audit.chain_for_case(submission.case_id),
            fields=["delivery", "attempts_before_round", "next_attempt_at"],
        )
        if push_enabled():
            transaction.on_commit(lambda: enqueue_push(submission.pk))
    return submission


# --- the pull --------------------------------------------------------------------------------------


def acknowledge_submission(actor: Any, idempotency_key: str, *, reference: str = "") -> Submission:
    """The authority confirms it has a pulled submission (with its own reference); repeating it changes nothing."""
    require_role(actor, Role.AUTHORITY)
    reference = (reference or "").strip()
    if len(reference) > 64:
        raise ValidationFailed.single("reference", "max_length", gettext("Use at most 64 characters."))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(idempotency_key=idempotency_key).first()
        if submission is None:
            raise NotFound("submission")
        if submission.delivery == DeliveryStatus.DELIVERED:
            if reference and submission.authority_reference and reference != submission.authority_reference:
                raise Conflict(
                    "reference",
                    "reference_mismatch",
                    gettext("This submission was already acknowledged under another reference."),
                )
            return submission
        submission.delivery = DeliveryStatus.DELIVERED
        submission.delivered_via = Channel.PULL
        submission.delivered_at = timezone.now()
        submission.next_attempt_at = None
        submission.authority_reference = submission.authority_reference or reference
        submission.save()
        audit.record(
            actor,
            "authority.pull_acknowledged",
            submission,
            chain=audit.chain_for_case(submission.case_id),
            fields=["delivery", "authority_reference"],
        )
    return submission


def record_package_fetched(actor: Any, submission: Submission) -> None:
    """Audit that ``actor`` read a submission's full package (it reveals identity document numbers)."""
    audit.record(
        actor,
        "authority.package_fetched",
        submission,
        chain=audit.chain_for_case(submission.case_id),
        fields=["case.identity_documents.number"],
    )


# --- decision callbacks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PermitIn:
    number: str
    permit_type: str
    issued_on: date
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class DecisionIn:
    """A decision callback's body, checked field by field."""

    idempotency_key: str
    decision: str
    authority_reference: str
    decided_at: datetime
    permit: PermitIn | None
    reasons: str
    legal_ground: str


@dataclass(frozen=True)
class CallbackResult:
    """How a verified callback was taken: ``applied`` or ``duplicate`` (acknowledged, not applied again)."""

    outcome: str
    submission: Submission
    case_stage: str


def _text(data: dict[str, Any], name: str, errors: list[FieldError], *, required: bool, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(FieldError(name, "type", gettext("Send text.")))
        return ""
    value = value.strip()
    if required and not value:
        errors.append(FieldError(name, "required", gettext("This field is required.")))
    elif len(value) > limit:
        errors.append(FieldError(name, "max_length", gettext("Use at most %(count)d characters.") % {"count": limit}))
    return value


def _date(data: dict[str, Any], name: str, errors: list[FieldError]) -> date | None:
    try:
        return date.fromisoformat(str(data.get(name, "")))
    except ValueError:
        errors.append(FieldError(name, "date", gettext("Give a date as YYYY-MM-DD.")))
        return None


def parse_decision(body: bytes) -> DecisionIn:
    """Read a callback body, refusing (400) with every broken rule named by its field."""
    try:
        data = json.loads(body or b"")
    except ValueError:
        raise ValidationFailed.single("", "json", gettext("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed.single("", "json", gettext("The body must be a JSON object."))
    errors: list[FieldError] = []
    key = _text(data, "idempotency_key", errors, required=True, limit=64)
    decision = _text(data, "decision", errors, required=True, limit=10)
    if decision and decision not in ("grant", "refuse"):
        errors.append(FieldError("decision", "choice", gettext("The decision is 'grant' or 'refuse'.")))
    reference = _text(data, "authority_reference", errors, required=False, limit=64)
    reasons = _text(data, "reasons", errors, required=decision == "refuse", limit=2000)
    legal_ground = _text(data, "legal_ground", errors, required=True, limit=300)
    decided_at = timezone.now()
    if data.get("decided_at"):
        try:
            decided_at = datetime.fromisoformat(str(data["decided_at"]))
        except ValueError:
            errors.append(FieldError("decided_at", "datetime", gettext("Give the time as ISO 8601.")))
        else:
            if timezone.is_naive(decided_at):
                decided_at = decided_at.replace(tzinfo=UTC)
    permit: PermitIn | None = None
    if decision == "grant":
        raw = data.get("permit")
        if not isinstance(raw, dict):
            errors.append(FieldError("permit", "required", gettext("A grant carries the permit issued.")))
        else:
            sub: list[FieldError] = []
            number = _text(raw, "number", sub, required=True, limit=40)
            permit_type = _text(raw, "permit_type", sub, required=True, limit=24)
            valid_from = _date(raw, "valid_from", sub)
            valid_until = _date(raw, "valid_until", sub)
            issued_on = _date(raw, "issued_on", sub) if raw.get("issued_on") else decided_at.date()
            errors.extend(FieldError(f"permit.{e.field}", e.rule, e.message) for e in sub)
            if not sub and valid_from and valid_until and issued_on:
                # Validity, type and number follow the case's Permit rules, checked (and named) when it is recorded.
                permit = PermitIn(
                    number=number,
                    permit_type=permit_type,
                    issued_on=issued_on,
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
    if errors:
        raise ValidationFailed(errors)
    return DecisionIn(
        idempotency_key=key,
        decision=decision,
        authority_reference=reference,
        decided_at=decided_at,
        permit=permit,
        reasons=reasons,
        legal_ground=legal_ground,
    )


def verify_callback(
    method: str, path: str, signature: str | None, body: bytes, *, now: float | None = None
) -> protocol.SignatureParts:
    """Check a callback's signature and timestamp against AUTHORITY_CALLBACK_SECRET (401 if either fails)."""
    try:
        return protocol.verify_signature(
            settings.AUTHORITY_CALLBACK_SECRET,
            method,
            path,
            signature,
            body,
            now=time.time() if now is None else now,
            tolerance_seconds=settings.AUTHORITY_SIGNATURE_TOLERANCE_SECONDS,
        )
    except protocol.SignatureRejected as exc:
        raise SignatureRefused(exc.rule) from None


def receive_decision(
    method: str, path: str, signature: str | None, body: bytes, *, now: float | None = None
) -> CallbackResult:
    """Take one signed decision callback from the authority.

    Refuses, changing nothing: a bad or stale signature (401), a nonce already used (409). Then the
    nonce is kept (even if the decision is refused, so the same request can never be taken later)
    and the decision applied through the case's transitions, acting as the authority's system
    account: unknown submission (404), case not waiting for a decision or a contrary decision
    already taken (409), bad body (400). The same decision again, under a new nonce, is
    acknowledged as a duplicate and not applied twice.
    """
    parts = verify_callback(method, path, signature, body, now=now)
    refusal: DomainError | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                receipt = CallbackReceipt.objects.create(
                    nonce=parts.nonce,
                    signed_at=datetime.fromtimestamp(parts.timestamp, UTC),
                    outcome=CallbackReceipt.Outcome.REFUSED,
                )
        except IntegrityError:
            raise Conflict(
                "signature",
                "replayed_nonce",
                gettext(
                    "This request was already received (its nonce has been used); sign a new request to resend it."
                ),
            ) from None
        decision: DecisionIn | None = None
        try:
            with transaction.atomic():
                decision = parse_decision(body)
                receipt.decision = decision.decision
                result = _apply_decision(decision)
        except DomainError as exc:
            refusal = exc
            receipt.detail = str(exc)[:500]
            known = Submission.objects.filter(idempotency_key=decision.idempotency_key).first() if decision else None
            receipt.submission = known
            receipt.save(update_fields=["decision", "detail", "submission"])
            if known is not None:
                # A refused decision on a known hand-off is part of its story (out of order, contrary, malformed).
                audit.record(
                    None,
                    "authority.decision_refused",
                    known,
                    chain=audit.chain_for_case(known.case_id),
                    reason=", ".join(e.rule for e in exc.errors),
                )
        else:
            receipt.submission = result.submission
            receipt.outcome = result.outcome
            receipt.save(update_fields=["submission", "outcome", "decision"])
    if refusal is not None:
        raise refusal
    return result


def _require_submitted(case: RelocationCase) -> None:
    if case.stage != Stage.SUBMITTED:
        raise Conflict(
            "idempotency_key",
            "case_not_submitted",
            gettext(
                "The case of this submission is at stage '%(stage)s', not waiting for the authority; "
                "a decision is taken only on a submitted case."
            )
            % {"stage": case.stage_label},
        )


def _grant(actor: Any, case: RelocationCase, decision: DecisionIn) -> RelocationCase:
    permit = decision.permit
    assert permit is not None  # parse_decision requires the permit with a grant
    return case_services.grant_permit(
        actor,
        case.pk,
        permit=case_services.PermitIn(
            permit_type=permit.permit_type,
            number=permit.number,
            issued_on=permit.issued_on,
            valid_from=permit.valid_from,
            valid_until=permit.valid_until,
        ),
        legal_ground=decision.legal_ground,
        reasons=decision.reasons,
    )


def _apply_decision(decision: DecisionIn) -> CallbackResult:
    submission = (
        Submission.objects.select_for_update()
        .select_related("case")
        .filter(idempotency_key=decision.idempotency_key)
        .first()
    )
    if submission is None:
        raise NotFound("submission")
    wanted = AuthorityDecision.GRANTED if decision.decision == "grant" else AuthorityDecision.REFUSED
    if submission.decision:
        if submission.decision == wanted:
            return CallbackResult("duplicate", submission, submission.case.stage)
        raise Conflict(
            "decision",
            "already_decided",
            gettext("This submission was already decided the other way (%(decision)s); a decision is final here.")
            % {"decision": submission.get_decision_display()},
        )
    _require_submitted(submission.case)
    # The authority's integration acts as the system (no user): cases.guards admits ``None`` for it.
    actor = None
    if wanted == AuthorityDecision.GRANTED:
        case = _grant(actor, submission.case, decision)
    else:
        case = case_services.refuse_permit(
            actor, submission.case_id, legal_ground=decision.legal_ground, reasons=decision.reasons
        )
    now = timezone.now()
    submission.decision = wanted
    submission.decided_at = decision.decided_at
    if submission.delivery != DeliveryStatus.DELIVERED:
        # The decision overtook the push's acknowledgement (or the push gave up): the authority plainly has it.
        submission.delivery = DeliveryStatus.DELIVERED
        submission.delivered_via = submission.delivered_via or Channel.CALLBACK
        submission.delivered_at = submission.delivered_at or now
    submission.next_attempt_at = None
    submission.authority_reference = submission.authority_reference or decision.authority_reference
    submission.save()
    audit.record(
        actor,
        "authority.decision_received",
        submission,
        chain=audit.chain_for_case(submission.case_id),
        fields=["decision", "decided_at", "delivery"],
    )
    return CallbackResult("applied", submission, case.stage)
