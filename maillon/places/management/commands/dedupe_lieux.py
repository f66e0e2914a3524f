"""manage.py dedupe_lieux [--report FICHIER]: link every active source record into places."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillon.places.linkage.service import run_linkage


class Command(BaseCommand):
    help = "Rapproche les lieux en doublon (fusion automatique, file d'examen, distincts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--report",
            type=Path,
            help="Fichier CSV : une ligne par enregistrement source (cluster_id, place_id, "
            "source, source_id, decision, score).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_linkage(report_path=options["report"])
        self.stdout.write(
            f"{result.records} enregistrements, {result.candidate_pairs} paires candidates "
            f"({result.new_pairs} nouvelles) : {result.auto_merges} fusions automatiques, "
            f"{result.review} à examiner, {result.distinct} distinctes ; "
            f"{result.clusters} lieux, {result.merged_records} enregistrements rattachés, "
            f"{result.place_writes} lieux modifiés, en {result.seconds:.2f} s."
        )
        self.stdout.write(
            "Détail : "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings.items())
            + " (le rapprochement seul : normalisation, blocage, score, groupes)."
        )
        if options["report"]:
            self.stdout.write(f"Rapport écrit dans {options['report']}.")
