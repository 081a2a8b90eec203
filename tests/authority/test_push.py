"""Pushing submissions: one attempt at a time, exponential backoff, one submission at the authority however often it is retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from authority_kit import SECRET, in_process
from django.utils import timezone

from talentgate.authority import services
from talentgate.authority.models import DeliveryAttempt, DeliveryStatus, Submission
from talentgate.authority.simulator import AuthoritySimulator, SimulatorOptions
from talentgate.common.errors import Conflict, PermissionRefused
from talentgate.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def _simulator(**options) -> AuthoritySimulator:
    return AuthoritySimulator(
        secret=SECRET,
        callback_url="http://127.0.0.1:9/unused",
        options=SimulatorOptions(**options),
        transport=lambda *a: (200, b"{}"),
    )


def _attempts(submission):
    return list(
        DeliveryAttempt.objects.filter(submission=submission)
        .order_by("number")
        .values_list("number", "outcome", "http_status", "retry_at")
    )


def test_a_push_delivers_the_submission_once_and_audits_it(submitted_case, make_user):
    simulator = _simulator()
    submission = services.create_submission(None, submitted_case)
    result = services.deliver_submission(submission.pk, transport=in_process(simulator))
    submission.refresh_from_db()
    assert result.attempt is not None
    assert result.attempt.outcome == "delivered"
    assert (submission.delivery, submission.delivered_via, submission.attempts) == ("delivered", "push", 1)
    assert submission.authority_reference == "AUTH-000001"
    assert submission.next_attempt_at is None
    assert list(simulator.submissions) == [submission.idempotency_key]
    received = simulator.submissions[submission.idempotency_key].payload
    assert received["case"]["candidate"]["identity_documents"][0]["number"] == "AB1234567"
    assert "email" not in received["case"]["candidate"]
    assert "phone" not in received["case"]["candidate"]
    actions = list(
        AuditEntry.objects.filter(chain=f"case:{submitted_case.pk}").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["authority.submission_created", "authority.push_delivered"]
    # Nothing more to do: a second call is skipped and the authority sees no further push.
    assert services.deliver_submission(submission.pk, transport=in_process(simulator)).skipped == "not_pending"
    assert simulator.submissions[submission.idempotency_key].pushes == 1


def test_failing_pushes_back_off_exponentially_then_succeed_with_the_same_key(submitted_case):
    simulator = _simulator(fail_first=2)
    transport = in_process(simulator)
    submission = services.create_submission(None, submitted_case)
    start = timezone.now()
    services.deliver_submission(submission.pk, transport=transport, now=start)
    submission.refresh_from_db()
    assert (submission.delivery, submission.attempts) == ("pending", 1)
    assert submission.next_attempt_at == start + timedelta(seconds=30)
    assert submission.last_error.startswith("HTTP 503")
    # Not due yet: the sweep leaves it alone.
    assert services.retry_due_pushes(now=start + timedelta(seconds=29), transport=transport) == 0
    second = start + timedelta(seconds=30)
    assert services.retry_due_pushes(now=second, transport=transport) == 1
    submission.refresh_from_db()
    assert submission.next_attempt_at == second + timedelta(seconds=60)
    third = second + timedelta(seconds=60)
    assert services.retry_due_pushes(now=third, transport=transport) == 1
    submission.refresh_from_db()
    assert (submission.delivery, submission.attempts, submission.last_error) == ("delivered", 3, "")
    assert _attempts(submission) == [
        (1, "failed", 503, start + timedelta(seconds=30)),
        (2, "failed", 503, second + timedelta(seconds=60)),
        (3, "delivered", 201, None),
    ]
    assert simulator.push_attempts == {submission.idempotency_key: 3}
    assert len(simulator.submissions) == 1


def test_a_retry_after_a_lost_answer_creates_no_second_submission_at_the_authority(submitted_case):
    simulator = _simulator()
    deliver = in_process(simulator)
    answers_lost = [True]

    def flaky(method, url, headers, body):
        answer = deliver(method, url, headers, body)
        if answers_lost.pop(0) if answers_lost else False:
            raise TimeoutError("the answer never came back")
        return answer

    submission = services.create_submission(None, submitted_case)
    start = timezone.now()
    services.deliver_submission(submission.pk, transport=flaky, now=start)
    submission.refresh_from_db()
    assert (submission.delivery, submission.attempts) == ("pending", 1)
    assert "TimeoutError" in submission.last_error
    services.retry_due_pushes(now=start + timedelta(seconds=30), transport=flaky)
    submission.refresh_from_db()
    assert submission.delivery == "delivered"
    assert submission.authority_reference == "AUTH-000001"
    assert len(simulator.submissions) == 1
    assert simulator.submissions[submission.idempotency_key].pushes == 2


def test_the_push_gives_up_after_the_last_attempt_and_the_schedule_doubles(submitted_case, settings):
    settings.AUTHORITY_PUSH_MAX_ATTEMPTS = 4

    def refused(method, url, headers, body):
        raise ConnectionRefusedError(111, "Connection refused")

    submission = services.create_submission(None, submitted_case)
    moment = timezone.now()
    waits = []
    for _ in range(4):
        result = services.deliver_submission(submission.pk, transport=refused, now=moment)
        assert result.attempt is not None
        if result.attempt.retry_at is not None:
            waits.append((result.attempt.retry_at - moment).total_seconds())
            moment = result.attempt.retry_at
    submission.refresh_from_db()
    assert waits == [30.0, 60.0, 120.0]
    assert (submission.delivery, submission.attempts, submission.next_attempt_at) == ("failed", 4, None)
    assert services.retry_due_pushes(now=moment + timedelta(days=1), transport=refused) == 0
    assert services.deliver_submission(submission.pk, transport=refused).skipped == "not_pending"


def test_a_client_error_gives_up_at_once(submitted_case):
    # The authority knows another secret: the push is refused 401, and retrying the same request cannot help.
    simulator = AuthoritySimulator(secret="the-authority-has-another-key", callback_url="http://127.0.0.1:9/x")
    submission = services.create_submission(None, submitted_case)
    services.deliver_submission(submission.pk, transport=in_process(simulator))
    submission.refresh_from_db()
    assert (submission.delivery, submission.attempts, submission.next_attempt_at) == ("failed", 1, None)
    assert submission.last_error.startswith("HTTP 401")
    assert simulator.submissions == {}


def test_an_officer_sends_a_given_up_push_again_with_the_same_key(submitted_case, make_user, settings):
    from talentgate.accounts.roles import Role

    settings.AUTHORITY_PUSH_MAX_ATTEMPTS = 1
    submission = services.create_submission(None, submitted_case)
    services.deliver_submission(submission.pk, transport=lambda *a: (500, b"down"))
    submission.refresh_from_db()
    assert submission.delivery == "failed"
    officer = make_user(Role.OFFICER)
    with pytest.raises(PermissionRefused):
        services.retry_submission(make_user(Role.CANDIDATE), submission.idempotency_key)
    retried = services.retry_submission(officer, submission.idempotency_key)
    assert (retried.delivery, retried.attempts_before_round, retried.idempotency_key) == (
        "pending",
        1,
        submission.idempotency_key,
    )
    simulator = _simulator()
    assert services.retry_due_pushes(transport=in_process(simulator)) == 1
    submission.refresh_from_db()
    assert submission.delivery == "delivered"
    with pytest.raises(Conflict):
        services.retry_submission(officer, submission.idempotency_key)


def test_no_push_is_sent_when_no_address_is_configured(submitted_case, settings, django_capture_on_commit_callbacks):
    settings.AUTHORITY_PUSH_URL = ""
    with django_capture_on_commit_callbacks() as callbacks:
        submission = services.create_submission(None, submitted_case)
    assert callbacks == []
    assert services.deliver_submission(submission.pk).skipped == "push_disabled"
    assert Submission.objects.get().delivery == DeliveryStatus.PENDING


def test_the_push_runs_after_commit_over_http_to_the_simulator(
    submitted_case, settings, django_capture_on_commit_callbacks
):
    simulator = _simulator()
    with simulator.serve(0) as server:
        settings.AUTHORITY_PUSH_URL = f"http://127.0.0.1:{server.server_address[1]}/submissions"
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.create_submission(None, submitted_case)
        # The immediate task backend ran the push when the transaction committed.
    submission.refresh_from_db()
    assert submission.delivery == "delivered"
    assert list(simulator.submissions) == [submission.idempotency_key]


def test_a_case_has_one_open_submission(submitted_case):
    services.create_submission(None, submitted_case)
    with pytest.raises(Conflict) as refused:
        services.create_submission(None, submitted_case)
    assert refused.value.errors[0].rule == "open_submission"
    assert Submission.objects.count() == 1


def test_a_slow_authority_times_the_push_out_and_the_retry_finds_the_submission_made(submitted_case, settings):
    simulator = _simulator(slow_seconds=0.6)
    settings.AUTHORITY_PUSH_TIMEOUT_SECONDS = 0.2
    submission = services.create_submission(None, submitted_case)
    with simulator.serve(0) as server:
        settings.AUTHORITY_PUSH_URL = f"http://127.0.0.1:{server.server_address[1]}/submissions"
        start = timezone.now()
        services.deliver_submission(submission.pk, now=start)
        submission.refresh_from_db()
        assert (submission.delivery, submission.attempts) == ("pending", 1)
        assert "timed out" in submission.last_error.lower()
        # The authority finished taking it meanwhile; the retry (same key) is told so, and nothing is made twice.
        settings.AUTHORITY_PUSH_TIMEOUT_SECONDS = 5
        services.retry_due_pushes(now=start + timedelta(seconds=30))
    submission.refresh_from_db()
    assert (submission.delivery, submission.authority_reference) == ("delivered", "AUTH-000001")
    assert len(simulator.submissions) == 1
    assert simulator.submissions[submission.idempotency_key].pushes == 2
