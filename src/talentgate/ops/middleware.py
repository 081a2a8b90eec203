"""The request-id middleware: adopts or makes an X-Request-ID, binds it to the logs, logs one line per request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from talentgate.ops import logs

_log = logs.get_logger("talentgate.request")


class RequestIdMiddleware:
    """Binds a request id to every log line written while a request is served, and echoes it in the response.

    Goes first in MIDDLEWARE so that the lines of every other middleware (redirects,
    CSRF refusals, errors) carry the id too. A well-formed ``X-Request-ID`` from the
    proxy is honoured, so one id follows a request from the load balancer to the task
    worker; a missing or malformed one is replaced by a fresh id.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.acceptable_request_id(request.headers.get(logs.REQUEST_ID_HEADER)) or logs.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        tokens = logs.bind_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except BaseException:
            logs.unbind(tokens)
            raise
        # The path only: query strings may carry search terms that are personal data.
        _log.info(
            "request.finished",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        response[logs.REQUEST_ID_HEADER] = request_id
        # Unbound when the response is closed, not here: Django logs 4xx/5xx ("Not Found: ...")
        # after the middleware chain returns, and those lines must carry the id too.
        response._resource_closers.append(lambda: logs.unbind(tokens))  # type: ignore[attr-defined]
        return response
