"""Carries the request id from the request that enqueues a task to the worker that runs it.

Enqueueing (database backend): the id bound in the enqueuing context is stamped into
the new task row's ``args_kwargs`` under ``request_id``, beside ``args`` and
``kwargs`` that the worker passes to the task, so no task signature changes and the
stamp commits with the row.

Running: when the worker signals that a task starts, the stamped id (or, for a task
enqueued outside any request, the task id) is bound to the logs with the task's id
and path, and unbound when the task finishes. The immediate backend runs a task
inside the enqueuing request, whose id is already bound, so it needs neither step.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from talentgate.ops import logs

REQUEST_ID_KEY = "request_id"

#: Tokens to unbind per running task id (a worker runs one task at a time; the dict keeps it exact anyway).
_bound: dict[str, Any] = {}


def stamp_request_id(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_save`` of a task row: record the enqueuing context's request id once, when the row is created."""
    if not instance._state.adding or not isinstance(instance.args_kwargs, dict):
        return
    request_id = logs.current_request_id()
    if request_id and REQUEST_ID_KEY not in instance.args_kwargs:
        instance.args_kwargs = {**instance.args_kwargs, REQUEST_ID_KEY: request_id}


def request_id_of(task_result: Any) -> str | None:
    """The request id stamped on a database-backend task result, if any."""
    db_result = getattr(task_result, "db_result", None)
    args_kwargs = getattr(db_result, "args_kwargs", None)
    if isinstance(args_kwargs, dict):
        return logs.acceptable_request_id(args_kwargs.get(REQUEST_ID_KEY))
    return None


def bind_task_context(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_started``: bind the stamped request id (or the task id), the task id and its path to the logs."""
    if getattr(task_result, "db_result", None) is None:
        return  # not run by a worker: the enqueuing context's bindings are still in place
    task_id = str(task_result.id)
    request_id = request_id_of(task_result) or task_id
    tokens: dict[str, Token[Any]] = dict(
        logs.bind_request_id(request_id, task_id=task_id, task=task_result.task.module_path)
    )
    _bound[task_id] = tokens


def unbind_task_context(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_finished``: restore the worker's context as it was before the task."""
    tokens = _bound.pop(str(task_result.id), None)
    if tokens is not None:
        logs.unbind(tokens)
