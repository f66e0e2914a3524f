from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "maillon.territory"
    label = "territory"
    verbose_name = "Territoires"
