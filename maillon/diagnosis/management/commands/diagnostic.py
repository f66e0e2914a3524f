"""`manage.py diagnostic --territoire dep:53 --format json --output diagnostic.json`."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.diagnosis.report import DiagnosisError, diagnose
from maillon.places.vocabulary import Service


def csv_text(result: dict[str, Any]) -> str:
    """One row per commune, with the same keys as the JSON's communes."""
    buffer = io.StringIO()
    rows = result["communes"]
    columns = list(rows[0]) if rows else ["code_insee"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Diagnostic territorial (estimations) : personnes en risque d'illectronisme, offre, "
        "accessibilité et manques, par commune."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--territoire",
            required=True,
            help="fr, reg:CODE, dep:CODE, epci:SIREN ou com:CODE_INSEE",
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", help="fichier à écrire (sortie standard par défaut)")
        parser.add_argument(
            "--service",
            choices=Service.values,
            help="ne compter comme lieu le plus proche que les lieux offrant ce service",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = diagnose(options["territoire"], service=options["service"])
        except DiagnosisError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "csv":
            text = csv_text(result)
        else:
            text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        output = options["output"]
        if not output:
            sys.stdout.write(text)
            return
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"Dossier introuvable pour le fichier de sortie : {path.parent}")
        path.write_text(text, encoding="utf-8")
        territory = result["territoire"]
        self.stdout.write(
            f"Diagnostic de {territory['nom']} : {len(result['communes'])} commune(s), "
            f"{territory['personnes_en_risque']} personnes en risque (estimation), "
            f"écrit dans {path}."
        )
