# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "maillon.activities.statistics"
    label = "activity_statistics"
    verbose_name = "Statistiques d’activité"
