"""Export to the national standard « Lieux de médiation numérique » CSV v1.0.2.

File rules (lieux-standard.md §2): UTF-8, comma-separated, all 32 columns in schema order, `|`
between the values of a list, the standard's labels for enumerations. The position is written
only when it is precise: a commune centroid must never be republished as the place's location.
"""

import csv
import datetime as dt
import io
import json
import pathlib
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from maillon.places.models import Place
from maillon.places.record import PlaceData
from maillon.places.vocabulary import ENUM_FIELDS, STRICT_V102_LABELS, FormationLabel, labels_of

SCHEMA_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / "schema" / "schema.json"

# Written when a place's SIRET/RNA is unknown: `pivot` is required by the standard and this
# placeholder is what producers and the national pipeline use (lieux-standard.md §5).
UNKNOWN_PIVOT = "00000000000000"
LIST_SEPARATOR = "|"


def _load_columns() -> tuple[str, ...]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return tuple(str(field["name"]) for field in schema["fields"])


COLUMNS = _load_columns()
REQUIRED_COLUMNS = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj")
_POSTAL_CODE = re.compile(r"^\d{5}$")


def format_coordinate(value: float) -> str:
    """Shortest text that reads back as the same float, never in exponent notation."""
    return format(Decimal(repr(value)), "f")


def _enum_labels(field: str, codes: tuple[str, ...], *, strict_v102: bool) -> str:
    labels = labels_of(ENUM_FIELDS[field], codes)
    if strict_v102 and ENUM_FIELDS[field] is FormationLabel:
        labels = [
            STRICT_V102_LABELS.get(code, label) for code, label in zip(codes, labels, strict=True)
        ]
    return LIST_SEPARATOR.join(labels)


def is_exportable(data: PlaceData) -> bool:
    """Whether the place has every field the standard requires (else the file is invalid)."""
    return all((data.nom.strip(), data.commune.strip(), data.adresse.strip())) and bool(
        _POSTAL_CODE.match(data.code_postal)
    )


def standard_row(public_id: str, data: PlaceData, *, strict_v102: bool = True) -> dict[str, str]:
    """One line of the standard file, as text keyed by column name."""
    row: dict[str, str] = {}
    for column in COLUMNS:
        if column == "id":
            row[column] = public_id
        elif column == "pivot":
            row[column] = data.pivot or UNKNOWN_PIVOT
        elif column in ("latitude", "longitude"):
            value = getattr(data, column)
            row[column] = format_coordinate(value) if data.has_precise_location() else ""
        elif column == "date_maj":
            row[column] = data.date_maj.isoformat()
        elif column in ENUM_FIELDS:
            row[column] = _enum_labels(column, getattr(data, column), strict_v102=strict_v102)
        else:
            value = getattr(data, column)
            row[column] = LIST_SEPARATOR.join(value) if isinstance(value, tuple) else str(value)
    return row


def standard_rows(places: Iterable[Place], *, strict_v102: bool = True) -> Iterator[dict[str, str]]:
    """Rows of the exportable places, in the given order (others are skipped)."""
    for place in places:
        data = place.to_data()
        if is_exportable(data):
            yield standard_row(str(place.public_id), data, strict_v102=strict_v102)


def iter_standard_csv(places: Iterable[Place], *, strict_v102: bool = True) -> Iterator[str]:
    """The CSV file as successive pieces of text (header first), for streamed responses."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for index, row in enumerate(standard_rows(places, strict_v102=strict_v102)):
        writer.writerow(row)
        if index % 500 == 499:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_standard_csv(places: Iterable[Place], out: TextIO, *, strict_v102: bool = True) -> int:
    """Write the standard CSV of `places` to `out`; return the number of places written.

    `strict_v102` writes « Étapes numériques(La Poste) » as the v1.0.2 regex spells it, so the
    file passes strict validation; Maillon's importer reads both spellings.
    """
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in standard_rows(places, strict_v102=strict_v102):
        writer.writerow(row)
        count += 1
    return count


def standard_file_name(*, producer_id: str, territory_label: str, day: dt.date) -> str:
    """`YYYY-MM-DD_<idProducteur>_lieux-de-mediation-numerique_<territoire>.csv` (§2)."""
    producer = producer_id or "maillon"
    return f"{day.isoformat()}_{producer}_lieux-de-mediation-numerique_{territory_label}.csv"
