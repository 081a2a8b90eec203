"""App configuration of the operations kit: connects the signals that carry the request id into tasks."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "talentgate.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django_tasks_db.compat import task_finished, task_started
        from django_tasks_db.models import DBTaskResult

        from talentgate.ops import logs, task_context

        # LOGGING's formatter configures structlog too; this covers a LOGGING that does not use it,
        # so structlog never falls back to printing every level on standard output.
        logs.configure_structlog()

        pre_save.connect(task_context.stamp_request_id, sender=DBTaskResult, dispatch_uid="ops.stamp_request_id")
        task_started.connect(task_context.bind_task_context, dispatch_uid="ops.bind_task_context")
        task_finished.connect(task_context.unbind_task_context, dispatch_uid="ops.unbind_task_context")
