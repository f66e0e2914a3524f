"""Export the published places.

manage.py export_lieux --format standard|data-inclusion|geojson --output FILE
    [--territoire dep:53]
"""

import pathlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.places.exporting.data_inclusion import write_data_inclusion_json
from maillon.places.exporting.geojson import write_geojson
from maillon.places.exporting.standard import write_standard_csv
from maillon.places.exporting.territories import parse_territory
from maillon.places.models import Place

FORMATS = ("standard", "data-inclusion", "geojson")


class Command(BaseCommand):
    help = (
        "Exporte les lieux publiés au standard national (CSV v1.0.2), "
        "au format data·inclusion v1 (JSON) ou en GeoJSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, required=True, dest="export_format")
        parser.add_argument("--output", required=True, help="fichier à écrire")
        parser.add_argument(
            "--territoire",
            default="",
            help="dep:53, reg:52, epci:<SIREN> ou com:<code INSEE>, séparés par des virgules",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        places = Place.objects.published()
        spec: str = options["territoire"]
        if spec:
            try:
                places = places.filter(parse_territory(spec))
            except ValueError as error:
                raise CommandError(str(error)) from error
        total = places.count()
        path = pathlib.Path(options["output"])
        export_format: str = options["export_format"]
        with path.open("w", encoding="utf-8", newline="") as out:
            rows = places.iterator(chunk_size=2000)
            if export_format == "standard":
                written = write_standard_csv(rows, out)
                left_out = "champ obligatoire du standard manquant"
            elif export_format == "data-inclusion":
                written, rejected = write_data_inclusion_json(rows, out)
                left_out = "non valides au schéma data·inclusion"
                for item in rejected:
                    self.stderr.write(f"{item.nom} ({item.place_id}) : {' ; '.join(item.errors)}")
            else:
                written = write_geojson(rows, out)
                left_out = "sans position"
        message = f"{written} lieu(x) exporté(s) sur {total} publié(s) dans {path}"
        if written < total:
            message += f" ; {total - written} écarté(s) ({left_out})"
        self.stdout.write(message + ".")
