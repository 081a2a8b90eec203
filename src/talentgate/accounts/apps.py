from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talentgate.accounts"
    label = "accounts"
    verbose_name = "Accounts"
