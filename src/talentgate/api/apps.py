from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "talentgate.api"
    label = "api"
    verbose_name = "API"
