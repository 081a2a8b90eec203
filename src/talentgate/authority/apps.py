from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthorityConfig(AppConfig):
    name = "talentgate.authority"
    label = "authority"
    verbose_name = _("Authority hand-off")

    def ready(self) -> None:
        from talentgate.authority.hooks import on_case_transitioned
        from talentgate.cases.signals import case_transitioned

        case_transitioned.connect(on_case_transitioned, dispatch_uid="authority.submission_on_submit")
