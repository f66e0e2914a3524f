# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""The structure's beneficiaries as XLSX or CSV, and the import template (§5 of the reference).

An export is a read of personal data: every person exported is journaled (one INSERT).
"""

import csv
import io
from collections.abc import Iterable, Iterator

import openpyxl
from django.db.models import QuerySet

from maillon.accounts.models import User
from maillon.beneficiaries.importing.reading import COLUMNS, SHEET_NAME
from maillon.beneficiaries.models import Beneficiary
from maillon.core.audit import record_many
from maillon.core.models import AuditAction

EXPORT_HEADERS = (
    "Nom",
    "Prénom",
    "Année de naissance",
    "Nom de la commune",
    "Code INSEE",
    "Code postal",
    "N° de téléphone",
    "E-mail",
    "Genre",
    "Tranche d’âge",
    "Statut",
    "Nombre d’accompagnements",
    "Notes supplémentaires",
)
# The personal fields an export reads (journal field names).
EXPORT_READ_FIELDS = (
    "last_name",
    "first_name",
    "birth_year",
    "commune",
    "phone",
    "email",
    "notes",
)
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | None


def with_communes(people: "QuerySet[Beneficiary]") -> "QuerySet[Beneficiary]":
    """The communes and their postal codes in two more queries, whatever the number of rows."""
    return people.select_related("commune").prefetch_related("commune__postal_codes")


def export_rows(people: Iterable[Beneficiary]) -> Iterator[tuple[Cell, ...]]:
    """One tuple per person, in the order of EXPORT_HEADERS (use `with_communes`)."""
    for person in people:
        commune = person.commune
        postal_codes = sorted(code.code for code in commune.postal_codes.all()) if commune else []
        yield (
            person.last_name,
            person.first_name,
            person.birth_year,
            commune.name if commune else "",
            commune.code_insee if commune else "",
            ", ".join(postal_codes),
            person.phone,
            person.email,
            person.get_genre_display(),
            person.tranche_age.label,
            person.get_statut_social_display(),
            person.accompaniments_count,
            person.notes,
        )


def journal_export(*, actor: User, people: Iterable[Beneficiary]) -> int:
    return record_many(
        actor=actor,
        action=AuditAction.READ,
        targets=people,
        structure_id_of=lambda person: person.structure_id,
        fields=EXPORT_READ_FIELDS,
    )


def _safe(value: Cell) -> Cell:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_phone(value):
        return "'" + value
    return value


def _is_phone(value: str) -> bool:
    return value.startswith("+") and value[1:].isdigit()


def to_csv(rows: Iterable[tuple[Cell, ...]]) -> bytes:
    """UTF-8 with BOM and semicolons: what French spreadsheet software opens directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow(["" if value is None else _safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(sheet_title: str, header: Iterable[str], rows: Iterable[Iterable[Cell]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(rows: Iterable[tuple[Cell, ...]]) -> bytes:
    return _xlsx(SHEET_NAME, EXPORT_HEADERS, rows)


TEMPLATE_EXAMPLE: tuple[Cell, ...] = (
    "Exemple",
    "Dominique",
    1958,
    "06 12 34 56 78",
    "53130",
    "Laval",
    "53000",
    "dominique.exemple@exemple.fr",
    "Féminin",
    "Supprimez cette ligne d’exemple avant l’import.",
)


def import_template() -> bytes:
    """The import model: the sheet « Bénéficiaires » with its columns and one example row."""
    return _xlsx(SHEET_NAME, (column.label for column in COLUMNS), [TEMPLATE_EXAMPLE])
