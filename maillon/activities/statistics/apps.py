# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class StatisticsConfig(AppConfig):
    name = "maillon.activities.statistics"
    label = "activity_statistics"
    verbose_name = "Statistiques d’activité"

    def ready(self) -> None:
        from maillon.activities.statistics import tracking
        from maillon.beneficiaries.models import Beneficiary

        pre_save.connect(
            tracking.before_beneficiary_save, sender=Beneficiary, dispatch_uid="stats_pre"
        )
        post_save.connect(
            tracking.after_beneficiary_save, sender=Beneficiary, dispatch_uid="stats_post"
        )
