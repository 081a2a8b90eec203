from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "talentgate.common"
    label = "common"
    verbose_name = "Platform kit"

    def ready(self) -> None:
        from talentgate.common import checks  # noqa: F401  (registers system checks)
        from talentgate.common.model_names import translate_derived_names

        translate_derived_names()
