from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "talentgate.portal"
    label = "portal"
    verbose_name = "Portal"
