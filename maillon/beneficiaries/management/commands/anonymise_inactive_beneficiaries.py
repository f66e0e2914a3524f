"""Retention: anonymise identified beneficiaries without any accompaniment for 24 months.

The same daily job deletes the import analyses older than an hour (their cells are personal
data that nobody confirmed).
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from maillon.beneficiaries.importing.service import purge_expired_imports
from maillon.beneficiaries.rights import RETENTION_MONTHS, anonymise_inactive


class Command(BaseCommand):
    help = (
        f"Anonymise les bénéficiaires identifiés sans accompagnement depuis {RETENTION_MONTHS} "
        "mois (effacement des données personnelles, statistiques conservées)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien modifier.")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        result = anonymise_inactive(today=today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(
                f"{result.inactive} bénéficiaire(s) à anonymiser (simulation, rien n'est modifié)."
            )
        else:
            self.stdout.write(
                f"{result.anonymised} bénéficiaire(s) anonymisé(s) "
                f"sur {result.inactive} inactif(s)."
            )
            purged = purge_expired_imports()
            self.stdout.write(f"{purged} analyse(s) d'import expirée(s) supprimée(s).")
