from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "talentgate.programmes"
    label = "programmes"
    verbose_name = "Programmes"
