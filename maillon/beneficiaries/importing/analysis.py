# ruff: noqa: RUF001 — typographic apostrophes in French messages.
"""Check every cell of an import before anything is written (activites-et-beneficiaires.md §5).

Each error names its row (the spreadsheet's row number), its column (the template's label) and
the reason, with the reference's wording where it has one. A row identical to a person already
in the structure's file (same names, birth year, phone, e-mail and commune once normalised), or
to an earlier row of the file, is skipped and reported: importing the same file twice creates
nobody the second time.
"""

import dataclasses
import datetime as dt
import enum
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from maillon.accounts.models import Structure
from maillon.beneficiaries.importing.reading import LABELS, Row
from maillon.beneficiaries.matching import email_key, name_key, normalised_phone, phone_key
from maillon.beneficiaries.models import MIN_BIRTH_YEAR, Beneficiary, Genre
from maillon.beneficiaries.services import BeneficiaryData
from maillon.territory.models import Commune, PostalCode
from maillon.territory.names import normalize_name

NAME_MAX_LENGTH = 150

Fingerprint = tuple[str, str, int | None, str, str, str]


class Status(enum.StrEnum):
    NEW = "new"
    KNOWN = "known"
    REPEATED = "repeated"
    INVALID = "invalid"


STATUS_LABELS = {
    Status.NEW: "À créer",
    Status.KNOWN: "Déjà dans le fichier : ignorée",
    Status.REPEATED: "Répète une ligne précédente : ignorée",
    Status.INVALID: "Erreur",
}


@dataclasses.dataclass(frozen=True)
class CellError:
    line: int
    column: str  # a key of reading.LABELS
    value: str
    reason: str

    @property
    def column_label(self) -> str:
        return LABELS[self.column]

    def describe(self) -> str:
        value = f", valeur « {self.value} »" if self.value else ""
        return f"Ligne {self.line}, colonne « {self.column_label} »{value} : {self.reason}"


@dataclasses.dataclass
class AnalysedRow:
    line: int
    cells: dict[str, str]
    errors: list[CellError] = dataclasses.field(default_factory=list)
    data: BeneficiaryData | None = None
    status: Status = Status.INVALID
    same_as_line: int | None = None

    @property
    def status_label(self) -> str:
        if self.status is Status.REPEATED:
            return f"Identique à la ligne {self.same_as_line} : ignorée"
        return STATUS_LABELS[self.status]


@dataclasses.dataclass
class Analysis:
    rows: list[AnalysedRow]

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def to_create(self) -> list[BeneficiaryData]:
        return [row.data for row in self.rows if row.status is Status.NEW and row.data]

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def can_commit(self) -> bool:
        return bool(self.rows) and not self.errors


def parse_genre(text: str) -> str | None:
    """By first letter, as La Coop: F… Féminin, M… Masculin, N… or empty Non communiqué."""
    first = normalize_name(text)[:1]
    return {
        "f": Genre.FEMININ,
        "m": Genre.MASCULIN,
        "n": Genre.NON_COMMUNIQUE,
        "": Genre.NON_COMMUNIQUE,
    }.get(first)


def fingerprint(data: BeneficiaryData) -> Fingerprint:
    return (
        name_key(data.last_name),
        name_key(data.first_name),
        data.birth_year,
        phone_key(data.phone),
        email_key(data.email),
        data.commune.code_insee if data.commune else "",
    )


def _known_fingerprints(structure: Structure) -> set[Fingerprint]:
    rows = (
        Beneficiary.objects.filter(structure=structure)
        .current()
        .values_list("last_name", "first_name", "birth_year", "phone", "email", "commune_id")
    )
    return {
        (name_key(last), name_key(first), year, phone_key(phone), email_key(email), commune or "")
        for last, first, year, phone, email, commune in rows
    }


def _digits_code(text: str, *, upper: bool = False) -> str:
    """Codes that a spreadsheet stored as numbers lost their leading zero: 1053 → 01053."""
    text = text.strip().upper() if upper else text.strip()
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


def _phone_text(text: str) -> str:
    text = text.strip()
    # 612345678: a French number typed in a cell formatted as a number.
    return "0" + text if text.isdigit() and len(text) == 9 and text[0] != "0" else text


class _Communes:
    """The communes and postal codes the file mentions, loaded in two queries."""

    def __init__(self, rows: Sequence[Row]) -> None:
        codes = {_digits_code(row.cells.get("code_insee", ""), upper=True) for row in rows}
        postal = {_digits_code(row.cells.get("postal_code", "")) for row in rows}
        self.by_code = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=codes)}
        self.postal: dict[str, set[str]] = {}
        for code, commune_id in PostalCode.objects.filter(code__in=postal - {""}).values_list(
            "code", "commune_id"
        ):
            self.postal.setdefault(code, set()).add(commune_id)
        missing = {
            commune_id for ids in self.postal.values() for commune_id in ids
        } - self.by_code.keys()
        self.by_code.update(
            {c.code_insee: c for c in Commune.objects.filter(code_insee__in=missing)}
        )


def _commune(row: Row, communes: _Communes, errors: list[CellError]) -> Commune | None:
    code = _digits_code(row.cells.get("code_insee", ""), upper=True)
    name = row.cells.get("commune_name", "").strip()
    postal = _digits_code(row.cells.get("postal_code", ""))
    if not (code or name or postal):
        return None
    if code:
        commune = communes.by_code.get(code)
        if commune is None:
            errors.append(CellError(row.line, "code_insee", code, "Code commune non trouvé"))
            return None
    else:
        # No code INSEE: the postal code, with the name when it serves several communes.
        candidates = [communes.by_code[pk] for pk in communes.postal.get(postal, ())]
        if name:
            candidates = [c for c in candidates if c.search_name == normalize_name(name)]
        if len(candidates) != 1:
            errors.append(
                CellError(
                    row.line,
                    "code_insee",
                    "",
                    "Code commune non trouvé : indiquez le code INSEE de la commune",
                )
            )
            return None
        commune = candidates[0]
    if postal and commune.code_insee not in communes.postal.get(postal, ()):
        errors.append(
            CellError(
                row.line,
                "postal_code",
                postal,
                "Le code postal de la commune ne correspond pas",
            )
        )
    if name and normalize_name(name) != commune.search_name:
        errors.append(
            CellError(row.line, "commune_name", name, "Le nom de la commune ne correspond pas")
        )
    return commune


def _birth_year(row: Row, errors: list[CellError], this_year: int) -> int | None:
    text = row.cells.get("birth_year", "").strip()
    if not text:
        return None
    if text.isdigit() and MIN_BIRTH_YEAR <= int(text) <= this_year:
        return int(text)
    errors.append(
        CellError(
            row.line,
            "birth_year",
            text,
            f"L’année de naissance doit être un nombre entre {MIN_BIRTH_YEAR} et {this_year}",
        )
    )
    return None


def analyse_row(row: Row, communes: _Communes, *, this_year: int) -> AnalysedRow:
    cells = row.cells
    errors: list[CellError] = []
    last_name = cells.get("last_name", "").strip()
    first_name = cells.get("first_name", "").strip()
    for key, value, required in (
        ("last_name", last_name, "Le nom est obligatoire"),
        ("first_name", first_name, "Le prénom est obligatoire"),
    ):
        if not value:
            errors.append(CellError(row.line, key, "", required))
        elif len(value) > NAME_MAX_LENGTH:
            errors.append(
                CellError(row.line, key, value[:30] + "…", f"{NAME_MAX_LENGTH} caractères au plus")
            )
    birth_year = _birth_year(row, errors, this_year)
    phone_text = _phone_text(cells.get("phone", ""))
    phone = ""
    if phone_text:
        phone = normalised_phone(phone_text) or ""
        if not phone:
            errors.append(
                CellError(row.line, "phone", phone_text, "Le numéro de téléphone n’est pas valide")
            )
    email = cells.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(CellError(row.line, "email", email, "L’adresse e-mail n’est pas valide"))
    commune = _commune(row, communes, errors)
    genre = parse_genre(cells.get("genre", ""))
    if genre is None:
        errors.append(
            CellError(
                row.line,
                "genre",
                cells.get("genre", ""),
                "Genre invalide : F (féminin), M (masculin) ou N (non communiqué)",
            )
        )
    analysed = AnalysedRow(row.line, cells, errors)
    if not errors:
        analysed.data = BeneficiaryData(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email.lower(),
            birth_year=birth_year,
            commune=commune,
            genre=genre or Genre.NON_COMMUNIQUE,
            notes=cells.get("notes", "").strip(),
        )
        analysed.status = Status.NEW
    return analysed


def analyse(rows: Sequence[Row], *, structure: Structure, today: dt.date) -> Analysis:
    """Every row checked against the reference's rules and the structure's current file."""
    communes = _Communes(rows)
    known = _known_fingerprints(structure)
    seen: dict[Fingerprint, int] = {}
    analysed_rows = []
    for row in rows:
        analysed = analyse_row(row, communes, this_year=today.year)
        if analysed.data is not None:
            key = fingerprint(analysed.data)
            if key in known:
                analysed.status = Status.KNOWN
            elif key in seen:
                analysed.status = Status.REPEATED
                analysed.same_as_line = seen[key]
            else:
                seen[key] = row.line
        analysed_rows.append(analysed)
    return Analysis(analysed_rows)
