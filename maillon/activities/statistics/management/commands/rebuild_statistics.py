# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
import time
from typing import Any

from django.core.management.base import BaseCommand

from maillon.activities.statistics.aggregates import rebuild


class Command(BaseCommand):
    help = "Recalcule les agrégats quotidiens des statistiques à partir des activités."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(
            f"{rows} lignes d’agrégats recalculées en {time.perf_counter() - started:.1f} s."
        )
