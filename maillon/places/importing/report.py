"""What an import found: errors (the file is refused), warnings (kept, reported) and counts."""

import csv
import dataclasses
from pathlib import Path

from maillon.places.models import Source


@dataclasses.dataclass(frozen=True)
class Issue:
    """One problem in a file: `line` is the file's line (the JSON object's rank for JSON files),
    None for a problem about the whole file; `reason` is French, for people."""

    line: int | None
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        where = f"ligne {self.line}" if self.line is not None else "fichier"
        parts = [where]
        if self.column:
            parts.append(f"colonne {self.column}")
        if self.value:
            parts.append(f"valeur « {self.value} »")
        return f"{', '.join(parts)} : {self.reason}"


@dataclasses.dataclass
class ImportReport:
    source: Source
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    errors: list[Issue] = dataclasses.field(default_factory=list)
    warnings: list[Issue] = dataclasses.field(default_factory=list)
    applied: bool = False
    format: str = ""

    def summary(self) -> str:
        """« 188 lieux lus : 12 créés, 3 mis à jour, 173 inchangés, 0 retiré ; 0 erreur, … »."""
        return (
            f"{_count(self.rows, 'lieu lu', 'lieux lus')} : "
            f"{_count(self.created, 'créé', 'créés')}, "
            f"{self.updated} mis à jour, "
            f"{_count(self.unchanged, 'inchangé', 'inchangés')}, "
            f"{_count(self.retired, 'retiré', 'retirés')} ; "
            f"{_count(len(self.errors), 'erreur', 'erreurs')}, "
            f"{_count(len(self.warnings), 'avertissement', 'avertissements')}"
        )

    def lines(self, *, with_warnings: bool = False) -> list[str]:
        """The summary, then one line per error (and per warning when asked)."""
        lines = [self.summary()]
        if self.errors:
            lines.append("Import refusé : rien n'a été écrit. Erreurs :")
            lines.extend(f"  {issue.describe()}" for issue in self.errors)
        if with_warnings and self.warnings:
            lines.append("Avertissements :")
            lines.extend(f"  {issue.describe()}" for issue in self.warnings)
        return lines


def _count(number: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{number} {singular if number <= 1 else plural}"


REPORT_COLUMNS = ("niveau", "ligne", "colonne", "valeur", "motif")


def write_report_csv(report: ImportReport, path: Path) -> None:
    """Every error then every warning, one per row (UTF-8, comma-separated)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for level, issues in (("erreur", report.errors), ("avertissement", report.warnings)):
            for issue in issues:
                line = "" if issue.line is None else str(issue.line)
                writer.writerow([level, line, issue.column, issue.value, issue.reason])
