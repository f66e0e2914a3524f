from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillon.territory.services import DEFAULT_DATA_DIR, TerritoryDataError, load_territory


class Command(BaseCommand):
    help = (
        "Charge les régions, départements, EPCI, communes et codes postaux livrés dans "
        "maillon/territory/data/ ; ne réécrit que ce qui a changé (sans risque si relancée)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Dossier des fichiers à charger (par défaut : %(default)s).",
        )

    def handle(self, *args: Any, data_dir: Path, **options: Any) -> None:
        try:
            report = load_territory(data_dir=data_dir)
        except TerritoryDataError as error:
            raise CommandError(str(error)) from error
        for line in report.describe():
            self.stdout.write(line)
