from django.apps import AppConfig


class HostsConfig(AppConfig):
    name = "talentgate.hosts"
    label = "hosts"
    verbose_name = "Host organisations"
