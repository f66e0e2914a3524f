from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maillon.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"
