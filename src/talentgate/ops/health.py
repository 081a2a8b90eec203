"""The health endpoint: is the database answering, is the task queue reachable and moving, is storage writable.

``GET /health`` answers 200 when every check passes (``"status": "ok"``) or only warns
(``"degraded"``: e.g. tasks waiting longer than ``HEALTH_QUEUE_MAX_WAIT_SECONDS`` with no
worker activity since), and 503 when any check fails. It is open to anyone and holds no
personal data: counts, ages in seconds and exception class names only. It never touches
the session, so a probe every few seconds creates no session rows and sets no cookie.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from talentgate.ops import logs

_log = logs.get_logger("talentgate.health")

OK, WARN, FAIL = "ok", "warn", "fail"
#: Where the storage probe writes and deletes its file.
PROBE_DIRECTORY = "health"


@dataclass
class CheckResult:
    status: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, **self.details}


def _timed(check: Callable[[], CheckResult]) -> CheckResult:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a health check reports failures, it never raises them
        # The class name only: messages can hold host names and paths that an open endpoint should not show.
        _log.error("health.check_failed", check=check.__name__, error=type(exc).__name__, exc_info=True)
        result = CheckResult(FAIL, {"error": type(exc).__name__})
    result.details["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> CheckResult:
    """One round trip to the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult(OK, {"vendor": connection.vendor})


def _age_seconds(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def check_task_queue() -> CheckResult:
    """The configured task backend: for the database queue, waiting tasks and the worker's last sign of life.

    django-tasks-db keeps no heartbeat of its own, so the worker's last activity is the
    most recent time any worker claimed or finished a task. A queue is degraded when its
    oldest waiting task has waited longer than the limit and no worker has done anything
    since it was enqueued: the worker is down or overwhelmed.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    details: dict[str, Any] = {"backend": f"{type(backend).__module__}.{type(backend).__qualname__}"}
    if not isinstance(backend, DatabaseBackend):
        # The immediate backend runs tasks inside the request; a Redis queue has its own monitoring.
        details["checked"] = False
        return CheckResult(OK, details)

    from django.db.models import Count, Max, Min
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    results = DBTaskResult.objects.filter(backend_name=backend.alias)
    ready = results.ready()
    waiting = ready.aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    activity = results.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last_activity = max((t for t in (activity["started"], activity["finished"]) if t is not None), default=None)
    oldest_wait = _age_seconds(waiting["oldest"], now)
    details.update(
        checked=True,
        waiting=waiting["count"],
        oldest_waiting_seconds=oldest_wait,
        running=results.running().count(),
        worker_last_activity_seconds=_age_seconds(last_activity, now),
    )
    limit = settings.HEALTH_QUEUE_MAX_WAIT_SECONDS
    stalled = (
        oldest_wait is not None
        and oldest_wait > limit
        and (last_activity is None or waiting["oldest"] is None or last_activity < waiting["oldest"])
    )
    if stalled:
        details["problem"] = f"tasks have waited over {limit} s with no worker activity since"
        return CheckResult(WARN, details)
    return CheckResult(OK, details)


def check_storage() -> CheckResult:
    """Write, read back and delete a small file through the default storage (local disk or object storage)."""
    name = default_storage.save(f"{PROBE_DIRECTORY}/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            readable = handle.read() == b"ok"
    finally:
        default_storage.delete(name)
    return CheckResult(OK if readable else FAIL, {"backend": type(storages["default"]).__name__})


CHECKS: dict[str, Callable[[], CheckResult]] = {
    "database": check_database,
    "task_queue": check_task_queue,
    "storage": check_storage,
}


def run_checks() -> tuple[str, dict[str, Any]]:
    """Every check's result and the overall status: ``ok``, ``degraded`` (a warning) or ``fail``."""
    results = {name: _timed(check) for name, check in CHECKS.items()}
    statuses = {result.status for result in results.values()}
    overall = "fail" if FAIL in statuses else "degraded" if WARN in statuses else "ok"
    return overall, {name: result.as_dict() for name, result in results.items()}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """``GET /health``: JSON of every check; 503 when one fails, so a load balancer takes the process out."""
    from talentgate import __version__

    overall, checks = run_checks()
    if overall != "ok":
        _log.warning("health.not_ok", status=overall, checks={k: v["status"] for k, v in checks.items()})
    body = {"status": overall, "version": __version__, "checks": checks}
    return JsonResponse(body, status=503 if overall == "fail" else 200)
