# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from maillon.activities.generation.writer import large_cache, rollback_journal
from maillon.activities.statistics.aggregates import rebuild
from maillon.activities.statistics.rebuild import rebuild_rollups


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats des statistiques (quotidiens, territoires, présences) à partir "
        "des activités et des bénéficiaires."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with rollback_journal(), large_cache():
            self._rebuild()

    def _rebuild(self) -> None:
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(
            f"{rows} lignes d’agrégats quotidiens recalculées en "
            f"{time.perf_counter() - started:.1f} s."
        )
        started = time.perf_counter()
        rows = rebuild_rollups()
        self.stdout.write(
            f"{rows} lignes de cumuls par territoire et de présences recalculées en "
            f"{time.perf_counter() - started:.1f} s."
        )
        if connection.vendor == "postgresql":
            # Millions of rows just written: without fresh planner statistics, PostgreSQL may
            # choose sequential scans until autovacuum comes by.
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(
                f"Statistiques du planificateur (ANALYZE) mises à jour en "
                f"{time.perf_counter() - started:.1f} s."
            )
