"""manage.py import_lieux PATH [--source SLUG] [--mapping NAME] [--dry-run] [--report FILE]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.places.importing.report import write_report_csv
from maillon.places.importing.service import import_file
from maillon.places.linkage.service import run_linkage


class Command(BaseCommand):
    help = (
        "Importe un fichier de lieux (standard national v1.0 ou v0.1 en CSV ou JSON, structures "
        "data·inclusion, ou fichier de producteur avec --mapping). Tout ou rien : un fichier "
        "avec des erreurs n'écrit rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="fichier à importer")
        parser.add_argument("--source", dest="source_slug", help="identifiant de la source")
        parser.add_argument("--mapping", help="nom ou chemin d'une correspondance (YAML/JSON)")
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier et compter, sans rien écrire"
        )
        parser.add_argument("--report", type=Path, help="écrire le rapport CSV dans ce fichier")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = import_file(
            path,
            source_slug=options["source_slug"],
            mapping=options["mapping"],
            dry_run=options["dry_run"],
        )
        if options["report"]:
            write_report_csv(report, Path(options["report"]))
        for line in report.lines(with_warnings=options["verbosity"] >= 2):
            self.stdout.write(line)
        if options["dry_run"] and not report.errors:
            self.stdout.write("Simulation : rien n'a été écrit.")
        if report.errors:
            raise CommandError(
                f"Import refusé : {len(report.errors)} erreur(s), rien n'a été écrit."
            )
        if not options["dry_run"]:
            # Human linkage decisions are keyed by stable ids: re-applying them after every
            # import keeps merged places merged and split places apart.
            linked = run_linkage()
            self.stdout.write(
                f"Rapprochement : {linked.auto_merges} fusion(s) automatique(s), "
                f"{linked.review} paire(s) à examiner, {linked.clusters} lieu(x)."
            )
