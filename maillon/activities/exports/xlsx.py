"""XLSX files written by XlsxWriter in constant-memory mode (ADR 0009).

In that mode each row is flushed to a temporary file as soon as the next one starts, so memory
does not grow with the number of rows; the workbook is then zipped into an anonymous temporary
file that the response streams and deletes when closed.
"""

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from maillon.activities.exports.sections import (
    COLUMNS,
    PROGRESSION,
    describe_filters,
    progression_tables,
    sections,
    totals,
)
from maillon.activities.statistics.filters import StatisticsFilters
from maillon.activities.statistics.masking import exported
from maillon.activities.statistics.queries import Statistics

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text typed by users (tags, titles, notes) is never read as a formula, a link or a number.
_OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}


def new_workbook(target: IO[bytes]) -> Workbook:
    return xlsxwriter.Workbook(target, _OPTIONS)


def attachment(target: IO[bytes], filename: str) -> FileResponse:
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)


def temporary_file() -> IO[bytes]:
    """Deleted when closed, which the response does once sent."""
    return tempfile.TemporaryFile(prefix="maillon-export-")


def write_table(
    workbook: Workbook,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    date_columns: Sequence[int] = (),
    datetime_columns: Sequence[int] = (),
) -> int:
    """One header row, then the rows; returns the number of rows written."""
    sheet = workbook.add_worksheet(sheet_name)
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for column in date_columns:
        sheet.set_column(column, column, 11)
    for column in datetime_columns:
        sheet.set_column(column, column, 16)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, headers, bold)
    formats = dict.fromkeys(date_columns, date) | dict.fromkeys(datetime_columns, moment)
    count = 0
    # The typed writers directly: `write()` would inspect every value first (3 million cells).
    write_string, write_number = sheet.write_string, sheet.write_number
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(count, column, value)
            elif isinstance(value, bool):
                write_string(count, column, "Oui" if value else "Non")
            elif isinstance(value, int | float):
                write_number(count, column, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(count, column, value, formats.get(column, date))
            else:
                write_string(count, column, str(value))
    if count:
        sheet.autofilter(0, 0, count, len(headers) - 1)
    return count


class _Cursor:
    """Rows written one after the other, as constant-memory mode requires."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def write(self, values: Sequence[object], cell_format: Any = None) -> None:
        for column, value in enumerate(values):
            if isinstance(value, tuple):
                self.sheet.write(self.row, column, value[0], value[1])
            elif value is not None:
                self.sheet.write(self.row, column, value, cell_format)
        self.row += 1

    def skip(self) -> None:
        self.row += 1


def write_statistics(
    workbook: Workbook,
    stats: Statistics,
    filters: StatisticsFilters,
    *,
    generated_at: dt.datetime,
) -> None:
    """One sheet, in La Coop's three sections, numbers as numbers and shares as percentages."""
    sheet = workbook.add_worksheet("Statistiques")
    title = workbook.add_format({"bold": True, "font_size": 14})
    heading = workbook.add_format({"bold": True, "font_size": 12})
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.0%"})
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 2, 14)
    out = _Cursor(sheet)
    out.write(["Statistiques Maillon"], title)
    out.write(["Périmètre", stats.scope])
    for label, value in describe_filters(filters):
        out.write([label, value])
    out.write(["Exporté le", f"{generated_at:%d/%m/%Y à %H:%M}"])
    if stats.suppressed_small_cells:
        out.write(
            ["Vue territoriale : les effectifs de personnes de 1 à 4 sont masqués (« < 5 »)."]
        )
    for section in sections(stats, filters):
        out.skip()
        out.write([section.title], heading)
        if section.slug == "generales":
            for total in totals(stats, filters):
                out.write([total.label, total.value])
        for table in section.tables:
            out.skip()
            out.write([table.title], bold)
            out.write(list(COLUMNS), bold)
            for cell in table.cells:
                share: object = (cell.share, percent) if cell.share is not None else "—"
                out.write([cell.label, exported(cell.count), share])
    out.skip()
    out.write([PROGRESSION], heading)
    for text_table in progression_tables(stats):
        out.skip()
        out.write([text_table.title], bold)
        out.write(text_table.headers, bold)
        for row in text_table.rows:
            out.write(row)
