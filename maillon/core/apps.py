from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maillon.core"
    label = "core"
    verbose_name = "Socle"
