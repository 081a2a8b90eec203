"""App configuration of the cooperation registry: loads the shipped registry files after every migrate."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CooperationConfig(AppConfig):
    name = "talentgate.cooperation"
    label = "cooperation"
    verbose_name = "Cooperation registry"

    def ready(self) -> None:
        from talentgate.cooperation.loader import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self)
