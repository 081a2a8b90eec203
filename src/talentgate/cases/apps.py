"""The cases app: relocation cases, their guarded workflow, checklists, documents, decisions and permits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "talentgate.cases"
    label = "cases"
    verbose_name = _("Relocation cases")

    def ready(self) -> None:
        # An accepted offer opens its case through a receiver on the hosts app's signal.
        from talentgate.cases import receivers  # noqa: F401
