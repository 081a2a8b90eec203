"""Structured logs: structlog configured once per process, one JSON object per line, with the request id.

``settings.LOGGING`` names :func:`build_formatter` as the formatter of its handler, so
every process that configures Django's logging (the web server, the task worker, the
``talentgate`` command) renders both structlog's events and the standard library's
records (Django's own, django-tasks') through the same chain. Values bound with
:func:`bind_request_id` (and anything else in structlog's context variables) appear on
every line logged while they are bound, whichever logger wrote it.

Log lines carry ids, paths, statuses and timings, never personal values: no names,
e-mail addresses, document numbers or query strings.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from contextvars import Token
from typing import Any

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
#: What an incoming X-Request-ID may look like to be kept; anything else is replaced by a fresh id,
#: so a client cannot write arbitrary text (or a megabyte) into every log line of its request.
_ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
]

_configured = False


def configure_structlog() -> None:
    """Route structlog through the standard library, so LOGGING's handlers and levels apply to it too."""
    global _configured
    if _configured:
        return
    structlog.configure(
        processors=[*_SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    _configured = True


def build_formatter(fmt: str = "json") -> logging.Formatter:
    """The formatter LOGGING uses: ``json`` (one object per line, for production) or ``console`` (for people)."""
    configure_structlog()
    if fmt not in ("json", "console"):
        raise ValueError(f"LOG_FORMAT must be 'json' or 'console' (got {fmt!r})")
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=True)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )


def get_logger(name: str) -> Any:
    """A structlog logger named like a standard-library one (so LOGGING's per-logger levels apply)."""
    return structlog.stdlib.get_logger(name)


def acceptable_request_id(value: str | None) -> str | None:
    """``value`` if it is a safe request id to adopt from a client or a proxy, else None."""
    if value and _ACCEPTABLE_REQUEST_ID.match(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The request id bound in this context (a web request, or a task started from one), if any."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else None


def bind_request_id(request_id: str, **extra: Any) -> Mapping[str, Token[Any]]:
    """Bind ``request_id`` (and ``extra``) to every log line of this context; pass the result to :func:`unbind`."""
    return structlog.contextvars.bind_contextvars(request_id=request_id, **extra)


def unbind(tokens: Mapping[str, Token[Any]]) -> None:
    """Restore the context variables bound by :func:`bind_request_id` to what they were before."""
    try:
        structlog.contextvars.reset_contextvars(**tokens)
    except ValueError:
        # Closed in another context (an ASGI server closes responses in a worker thread): drop the keys instead.
        structlog.contextvars.unbind_contextvars(*tokens)
