from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentgate.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the staff session-age receiver.
        from talentgate.accounts import sessions  # noqa: F401
