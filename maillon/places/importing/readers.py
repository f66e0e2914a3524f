"""Read a file into numbered rows of strings, whatever its format.

Every reader yields `(line, row)` where `row` maps column names to strings, so one normaliser
handles every format. Lists found in JSON are joined with `|` (the v1 separator).
"""

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from maillon.places.importing.report import Issue

Row = tuple[int, dict[str, str]]


class ReadError(Exception):
    """The file cannot be read at all (encoding, syntax): nothing can be imported."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.reason)
        self.issue = issue


class Format:
    STANDARD_CSV = "standard-csv"
    STANDARD_JSON = "standard-json"
    DATA_INCLUSION = "data-inclusion"
    MAPPING = "mapping"


@dataclasses.dataclass
class Parsed:
    format: str
    rows: list[Row]
    # Rows that could not be read at all (wrong number of fields): errors, every one listed.
    issues: list[Issue] = dataclasses.field(default_factory=list)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) or a `ReadError` naming the line of the first bad byte."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        byte = content[error.start : error.start + 1].hex().upper()
        raise ReadError(
            Issue(
                line,
                "",
                "",
                f"le fichier n'est pas encodé en UTF-8 (octet 0x{byte} invalide) ; "
                "enregistrez-le en UTF-8 puis recommencez",
            )
        ) from error


def read_path(path: Path) -> Parsed:
    """Detect the format from the content: a JSON list (standard or data·inclusion) or a CSV."""
    text = decode(path.read_bytes())
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return _read_json(text)
    parsed = Parsed(Format.STANDARD_CSV, [])
    parsed.rows = list(read_csv_text(text, parsed.issues))
    return parsed


def read_csv_text(text: str, issues: list[Issue]) -> Iterator[Row]:
    first_line = text.split("\n", 1)[0]
    # The standard uses commas; a few hand-made files use semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            issues.append(
                Issue(
                    line,
                    "",
                    "",
                    f"la ligne a {len(values)} champs au lieu de {len(header)} "
                    "(guillemets ou virgules mal placés ?)",
                )
            )
            continue
        yield line, dict(zip(header, values, strict=True))


def _read_json(text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            Issue(error.lineno, "", "", f"JSON invalide : {error.msg} (colonne {error.colno})")
        ) from error
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReadError(
            Issue(None, "", "", "le fichier JSON doit être une liste d'objets (un par lieu)")
        )
    is_data_inclusion = any(
        "horaires_accueil" in item or "reseaux_porteurs" in item or "siret" in item
        for item in data[:20]
    )
    rows = [(rank, _stringify(item)) for rank, item in enumerate(data, start=1)]
    if is_data_inclusion:
        return Parsed(Format.DATA_INCLUSION, [(n, from_data_inclusion(row)) for n, row in rows])
    return Parsed(Format.STANDARD_JSON, rows)


def _stringify(item: dict[str, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for key, value in item.items():
        if value is None:
            row[key] = ""
        elif isinstance(value, list):
            row[key] = "|".join(str(part) for part in value if part is not None)
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        elif isinstance(value, dict):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = str(value)
    return row


# data·inclusion v1 `reseaux_porteurs` → the standard's dispositif (§8.3 reversed).
RESEAUX_TO_DISPOSITIFS = {
    "aidants-connect": "Aidants Connect",
    "conseillers-numeriques": "Conseillers numériques",
    "france-service": "France Services",
    "grandes-ecoles-du-numerique": "Grande école du numérique",
    "croix-rouge": "La Croix Rouge",
}

_DATA_INCLUSION_FIELDS = {
    "nom": "nom",
    "adresse": "adresse",
    "complement_adresse": "complement_adresse",
    "commune": "commune",
    "code_postal": "code_postal",
    "code_insee": "code_insee",
    "latitude": "latitude",
    "longitude": "longitude",
    "telephone": "telephone",
    "courriel": "courriels",
    "site_web": "site_web",
    "horaires_accueil": "horaires",
    "description": "presentation_detail",
    "siret": "pivot",
    "date_maj": "date_maj",
    "source": "source",
    "accessibilite_lieu": "fiche_acces_libre",
}


def from_data_inclusion(structure: dict[str, str]) -> dict[str, str]:
    """A data·inclusion v1 structure as a standard row (lieux-standard.md §8.1, §8.3)."""
    row = {target: structure.get(name, "") for name, target in _DATA_INCLUSION_FIELDS.items()}
    identifier = structure.get("id", "")
    prefix = f"{structure.get('source', '')}--"
    row["id"] = identifier.removeprefix(prefix) if identifier != prefix else identifier
    reseaux = [value for value in structure.get("reseaux_porteurs", "").split("|") if value]
    row["dispositif_programmes_nationaux"] = "|".join(
        RESEAUX_TO_DISPOSITIFS[value] for value in reseaux if value in RESEAUX_TO_DISPOSITIFS
    )
    return row
