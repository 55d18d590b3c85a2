from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waardig.accounts"
    label = "accounts"
    verbose_name = "Accounts"
