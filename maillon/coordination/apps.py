from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "maillon.coordination"
    label = "coordination"
    verbose_name = "Activités de coordination"
