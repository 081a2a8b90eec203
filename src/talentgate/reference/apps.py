from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    name = "talentgate.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self) -> None:
        from talentgate.reference.loading import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self)
