"""Spreadsheets for the import tests, built in memory."""

import io
from collections.abc import Sequence

import openpyxl

HEADER = (
    "nom",
    "prénom",
    "année de naissance",
    "numéro de téléphone",
    "commune code INSEE",
    "commune nom",
    "commune code postal",
    "e-mail",
    "genre",
    "notes supplémentaires",
)

Cell = str | int | float | None


def xlsx(
    rows: Sequence[Sequence[Cell]], *, header: Sequence[str] = HEADER, sheet: str = "Bénéficiaires"
) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER) -> bytes:
    lines = [";".join(header), *(";".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def row(**cells: Cell) -> list[Cell]:
    """A valid row (Laval), any cell replaced by keyword: nom=…, prenom=…, annee=… etc."""
    values: dict[str, Cell] = {
        "nom": "Lebrun",
        "prenom": "Josette",
        "annee": 1950,
        "telephone": "06 12 34 56 78",
        "insee": "53130",
        "commune": "Laval",
        "postal": "53000",
        "email": "josette@exemple.fr",
        "genre": "Féminin",
        "notes": "",
    }
    values.update(cells)
    return list(values.values())
