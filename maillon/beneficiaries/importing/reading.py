# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Read an XLSX or CSV file into numbered rows of strings keyed by the reference's columns.

The columns are La Coop's (activites-et-beneficiaires.md §5); headers are matched without
case, accents or punctuation, so « Prénom », « prenom » and « PRÉNOM » are the same column.
"""

import csv
import dataclasses
import datetime as dt
import io
import warnings
import zipfile
from typing import Any

import openpyxl

from maillon.territory.names import normalize_name

SHEET_NAME = "Bénéficiaires"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


# In the order of the reference's template.
COLUMNS: tuple[Column, ...] = (
    Column("last_name", "nom"),
    Column("first_name", "prénom"),
    Column("birth_year", "année de naissance"),
    Column("phone", "numéro de téléphone", ("téléphone", "telephone")),
    Column("code_insee", "commune code INSEE", ("code INSEE", "code commune")),
    Column("commune_name", "commune nom", ("commune", "nom de la commune")),
    Column("postal_code", "commune code postal", ("code postal",)),
    Column("email", "e-mail", ("email", "courriel", "adresse électronique")),
    Column("genre", "genre"),
    Column("notes", "notes supplémentaires", ("notes",)),
)
LABELS = {column.key: column.label for column in COLUMNS}
_BY_HEADER = {
    normalize_name(name): column.key
    for column in COLUMNS
    for name in (column.label, *column.aliases)
}
REQUIRED_COLUMNS = ("last_name", "first_name")


class FileError(Exception):
    """The file cannot be analysed at all: nothing in it is imported."""


@dataclasses.dataclass(frozen=True)
class Row:
    """A data row: `line` is the row number in the spreadsheet (header = its own number)."""

    line: int
    cells: dict[str, str]


def read_file(name: str, content: bytes) -> list[Row]:
    if len(content) > MAX_FILE_BYTES:
        raise FileError(
            f"Le fichier dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo : découpez-le en "
            "plusieurs fichiers."
        )
    if name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        table = _xlsx_table(content)
    elif name.lower().endswith((".csv", ".txt")):
        table = _csv_table(content)
    else:
        raise FileError("Format non reconnu : déposez un fichier XLSX (Excel) ou CSV.")
    return _rows(table)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        with warnings.catch_warnings():
            # Files saved by other tools make openpyxl warn about styles it ignores anyway.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileError(
            "Le fichier n’est pas un classeur XLSX lisible : enregistrez-le au format "
            "« Classeur Excel (.xlsx) » puis recommencez."
        ) from error
    try:
        if SHEET_NAME in workbook.sheetnames:
            sheet = workbook[SHEET_NAME]
        elif len(workbook.sheetnames) == 1:
            sheet = workbook.worksheets[0]
        else:
            raise FileError(
                f"Le classeur n’a pas de feuille « {SHEET_NAME} » : renommez la feuille qui "
                "contient les bénéficiaires."
            )
        table = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            table.append((number, [_text(value) for value in values]))
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


def _csv_table(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's « CSV (séparateur : point-virgule) » is written in Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for values in reader:
            table.append((reader.line_num, [value.strip() for value in values]))
            if len(table) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise FileError(
            f"Ligne {reader.line_num} : le fichier CSV est mal formé ({error})."
        ) from error
    return table


def _rows(table: list[tuple[int, list[str]]]) -> list[Row]:
    filled = [(number, values) for number, values in table if any(values)]
    if not filled:
        raise FileError("Le fichier est vide : aucune ligne d’en-tête ni de bénéficiaire.")
    header_line, header = filled[0]
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _BY_HEADER.get(normalize_name(name))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [LABELS[key] for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        names = " et ".join(f"« {label} »" for label in missing)
        raise FileError(
            f"Ligne {header_line} (en-tête) : colonne {names} absente. La première ligne doit "
            "porter les titres des colonnes du modèle (nom, prénom, année de naissance…)."
        )
    rows = [
        Row(
            number,
            {key: values[index] if index < len(values) else "" for key, index in positions.items()},
        )
        for number, values in filled[1:]
    ]
    if len(rows) > MAX_ROWS:
        raise FileError(
            f"Le fichier compte plus de {MAX_ROWS} bénéficiaires : découpez-le en plusieurs "
            "fichiers."
        )
    return rows
