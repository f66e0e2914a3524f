"""manage.py import_shipped_lieux [--only SLUG …]: import the place files shipped with Maillon.

The list lives in `maillon/places/data/manifest.toml` (one `[[fichier]]` per file: path, source
slug and name, format — "standard" or a mapping name — and priority). Each file goes through the
ordinary import (all or nothing, idempotent), so running the command twice changes nothing.
"""

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillon.places.importing.communes import CommuneIndex
from maillon.places.importing.report import ImportReport
from maillon.places.importing.service import import_file
from maillon.places.linkage.service import run_linkage
from maillon.places.models import Source, SourceKind

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
MANIFEST = DATA_DIR / "manifest.toml"
STANDARD = "standard"


@dataclasses.dataclass(frozen=True)
class ShippedFile:
    path: Path
    source_slug: str
    source_name: str
    format: str
    priority: int

    @property
    def mapping(self) -> str | None:
        return None if self.format == STANDARD else self.format


def shipped_files(manifest: Path = MANIFEST) -> list[ShippedFile]:
    """The manifest's files, in its order (checked: unique slugs, existing files)."""
    entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("fichier", [])
    files: list[ShippedFile] = []
    for entry in entries:
        shipped = ShippedFile(
            path=manifest.parent / entry["path"],
            source_slug=entry["source_slug"],
            source_name=entry["source_name"],
            format=entry["format"],
            priority=int(entry.get("priority", 0)),
        )
        if not shipped.path.is_file():
            raise CommandError(f"{manifest.name} : fichier introuvable {shipped.path}")
        if any(other.source_slug == shipped.source_slug for other in files):
            raise CommandError(f"{manifest.name} : source « {shipped.source_slug} » en double")
        files.append(shipped)
    return files


def import_shipped(shipped: ShippedFile, communes: CommuneIndex | None = None) -> ImportReport:
    """Import one shipped file after giving its source the manifest's name and priority.

    `communes`: one index shared by successive imports (loading it is the slow part of a small
    file's import)."""
    kind = SourceKind.STANDARD if shipped.mapping is None else SourceKind.MAPPING
    Source.objects.update_or_create(
        slug=shipped.source_slug,
        defaults={
            "name": shipped.source_name,
            "priority": shipped.priority,
            "kind": kind,
            "mapping": shipped.mapping or "",
        },
    )
    return import_file(
        shipped.path, source_slug=shipped.source_slug, mapping=shipped.mapping, communes=communes
    )


class Command(BaseCommand):
    help = (
        "Importe les fichiers de lieux livrés avec Maillon (maillon/places/data/manifest.toml) : "
        "fichiers au standard national et fichiers de producteurs lus par leur correspondance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="SLUG",
            help="n'importer que ces sources (identifiants du manifeste)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = shipped_files()
        only: list[str] | None = options["only"]
        if only:
            unknown = sorted(set(only) - {shipped.source_slug for shipped in files})
            if unknown:
                known = ", ".join(shipped.source_slug for shipped in files)
                raise CommandError(
                    f"Source(s) inconnue(s) : {', '.join(unknown)} (connues : {known})"
                )
            files = [shipped for shipped in files if shipped.source_slug in only]
        refused: list[str] = []
        communes = CommuneIndex()
        for shipped in files:
            report = import_shipped(shipped, communes)
            self.stdout.write(f"{shipped.path.name} ({shipped.source_slug}) : {report.summary()}")
            if report.errors:
                refused.append(shipped.path.name)
                for issue in report.errors[:20]:
                    self.stderr.write(f"  {issue.describe()}")
        if refused:
            raise CommandError(
                f"Import refusé pour : {', '.join(refused)} (rien n'a été écrit pour ces fichiers)."
            )
        # Same rule as import_lieux: link after importing, so duplicates across the shipped
        # files are merged and human decisions are re-applied.
        linked = run_linkage()
        self.stdout.write(
            f"Rapprochement : {linked.auto_merges} fusion(s) automatique(s), "
            f"{linked.review} paire(s) à examiner, {linked.clusters} lieu(x)."
        )
