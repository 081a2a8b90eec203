"""App configuration of competitions (scientific and educational competitions, grants, fellowships)."""

from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "talentgate.competitions"
    label = "competitions"
    verbose_name = "Competitions"
    default_auto_field = "django.db.models.BigAutoField"
