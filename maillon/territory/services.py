"""Loading the shipped reference files (data/) into the territory tables.

The load compares each file with the database and writes only the difference, all in one
transaction: a second run with the same files writes nothing. Every row is parsed and checked
before the first write, so a malformed file leaves the database as it was.
"""

import csv
import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connection, models, transaction
from django.db.models import ProtectedError

from maillon.territory.models import (
    CODE_INSEE_PATTERN,
    POSTAL_CODE_PATTERN,
    Commune,
    Departement,
    Epci,
    EpciKind,
    PostalCode,
    Region,
    Zone,
)
from maillon.territory.names import normalize_name

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 1000

REGIONS_FILE = "regions.csv"
DEPARTEMENTS_FILE = "departements.csv"
EPCI_FILE = "epci.csv.gz"
EPCI_IFN_FILE = "ifn_2023_epci.csv.gz"
COMMUNES_FILE = "communes_france.csv.gz"

Values = dict[str, Any]


class TerritoryDataError(Exception):
    """A reference file cannot be loaded; the message (French) names the file, line and field."""


def format_count(number: int) -> str:
    return f"{number:,}".replace(",", " ")


@dataclass(frozen=True)
class TableChanges:
    label: str
    created: int
    updated: int
    deleted: int
    total: int

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def describe(self) -> str:
        return (
            f"{self.label} : {format_count(self.created)} ajout(s), "
            f"{format_count(self.updated)} mise(s) à jour, "
            f"{format_count(self.deleted)} suppression(s) "
            f"({format_count(self.total)} au total)."
        )


@dataclass(frozen=True)
class LoadReport:
    tables: list[TableChanges] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(table.has_changes for table in self.tables)

    def table(self, label: str) -> TableChanges:
        return next(table for table in self.tables if table.label == label)

    def describe(self) -> list[str]:
        if not self.has_changes:
            communes = self.table("Communes").total
            return [f"Territoires à jour : aucun changement ({format_count(communes)} communes)."]
        return [table.describe() for table in self.tables]


# Parsing


class _Row:
    """One CSV row, with typed accessors that raise a TerritoryDataError naming the cell."""

    def __init__(self, file_name: str, line: int, values: dict[str, str]) -> None:
        self.file_name = file_name
        self.line = line
        self.values = values

    def error(self, column: str, reason: str) -> TerritoryDataError:
        return TerritoryDataError(
            f"{self.file_name}, ligne {self.line}, champ « {column} » : {reason}. "
            "Aucune donnée n'a été modifiée."
        )

    def text(
        self,
        column: str,
        *,
        required: bool = True,
        max_length: int = 100,
        pattern: re.Pattern[str] | None = None,
        choices: Any = None,
    ) -> str:
        value = (self.values.get(column) or "").strip()
        if not value:
            if required:
                raise self.error(column, "valeur obligatoire manquante")
            return ""
        if len(value) > max_length:
            raise self.error(column, f"valeur trop longue ({len(value)} > {max_length} caractères)")
        if pattern is not None and not pattern.match(value):
            raise self.error(column, f"valeur « {value} » au format inattendu")
        if choices is not None and value not in choices:
            allowed = ", ".join(sorted(choices))
            raise self.error(column, f"valeur « {value} » inconnue (attendu : {allowed})")
        return value

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = (self.values.get(column) or "").strip()
        if not value:
            if required:
                raise self.error(column, "nombre entier obligatoire manquant")
            return None
        if not value.isdigit():
            raise self.error(column, f"« {value} » n'est pas un nombre entier positif")
        return int(value)

    def decimal(
        self, column: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> float | None:
        value = (self.values.get(column) or "").strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(column, f"« {value} » n'est pas un nombre") from None
        if number != number or (minimum is not None and number < minimum):  # NaN or too small
            raise self.error(column, f"« {value} » est hors des valeurs possibles")
        if maximum is not None and number > maximum:
            raise self.error(column, f"« {value} » est hors des valeurs possibles")
        return number


def _open(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _read(path: Path, columns: list[str]) -> Iterator[_Row]:
    if not path.exists():
        raise TerritoryDataError(f"{path.name} : fichier introuvable dans {path.parent}.")
    try:
        with _open(path) as stream:
            reader = csv.DictReader(stream)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise TerritoryDataError(
                    f"{path.name}, ligne 1 : colonne(s) manquante(s) : {', '.join(missing)}. "
                    "Aucune donnée n'a été modifiée."
                )
            for values in reader:
                row = _Row(path.name, reader.line_num, values)
                if None in values or any(value is None for value in values.values()):
                    raise row.error(columns[0], "nombre de colonnes différent de l'en-tête")
                yield row
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as error:
        raise TerritoryDataError(f"{path.name} : fichier illisible ({error}).") from error


def _add_unique(rows: dict[str, Values], row: _Row, column: str, key: str, values: Values) -> None:
    if key in rows:
        raise row.error(column, f"code « {key} » en double")
    rows[key] = values


def _area(row: _Row, column: str) -> float | None:
    # An area of 0 means "unknown" (overseas collectivities have no area in the sources).
    area = row.decimal(column, minimum=0)
    return area or None


ZONES = set(Zone.values)
REGION_CODE = re.compile(r"^\d{2,3}$")
DEPARTEMENT_CODE = re.compile(r"^(?:\d{2}|2[AB]|\d{3})$")
SIREN = re.compile(r"^\d{9}$")
ARRONDISSEMENT_CODE = re.compile(r"^[0-9AB]{3,4}$")


def read_regions(path: Path) -> dict[str, Values]:
    columns = ["code_region", "chef_lieu", "nom", "zone", "population_municipale"]
    regions: dict[str, Values] = {}
    for row in _read(path, [*columns, "superficie_km2"]):
        code = row.text("code_region", max_length=3, pattern=REGION_CODE)
        name = row.text("nom")
        _add_unique(
            regions,
            row,
            "code_region",
            code,
            {
                "name": name,
                "search_name": normalize_name(name),
                "zone": row.text("zone", choices=ZONES),
                "chef_lieu": row.text("chef_lieu", required=False, pattern=CODE_INSEE_PATTERN),
                "population": row.integer("population_municipale", required=True),
                "area_km2": _area(row, "superficie_km2"),
            },
        )
    return regions


def read_departements(path: Path, regions: dict[str, Values]) -> dict[str, Values]:
    columns = ["code_departement", "code_region", "chef_lieu", "nom", "zone"]
    departements: dict[str, Values] = {}
    for row in _read(path, [*columns, "population_municipale", "superficie_km2"]):
        code = row.text("code_departement", max_length=3, pattern=DEPARTEMENT_CODE)
        region = row.text("code_region", max_length=3)
        if region not in regions:
            raise row.error("code_region", f"région « {region} » absente de {REGIONS_FILE}")
        name = row.text("nom")
        _add_unique(
            departements,
            row,
            "code_departement",
            code,
            {
                "name": name,
                "search_name": normalize_name(name),
                "region_id": region,
                "zone": row.text("zone", choices=ZONES),
                "chef_lieu": row.text("chef_lieu", required=False, pattern=CODE_INSEE_PATTERN),
                "population": row.integer("population_municipale", required=True),
                "area_km2": _area(row, "superficie_km2"),
            },
        )
    return departements


IFN_COLUMNS = {
    "ifn_score": "total",
    "ifn_no_thd_coverage": "no_thd_coverage_rate",
    "ifn_no_4g_coverage": "no_4g_coverage_rate",
    "ifn_poverty": "poverty_rate",
    "ifn_over_65": "older_65_rate",
    "ifn_low_education": "nscol15p_rate",
}


def read_epcis(path: Path, ifn_path: Path) -> dict[str, Values]:
    columns = ["code_epci", "nom", "type", "mode_financement", "population_municipale"]
    epcis: dict[str, Values] = {}
    for row in _read(path, [*columns, "population_totale"]):
        siren = row.text("code_epci", max_length=9, pattern=SIREN)
        name = row.text("nom", max_length=200)
        _add_unique(
            epcis,
            row,
            "code_epci",
            siren,
            {
                "name": name,
                "search_name": normalize_name(name),
                "kind": row.text("type", choices=set(EpciKind.values)),
                "financing_mode": row.text("mode_financement", required=False, max_length=5),
                "population": row.integer("population_municipale", required=True),
                "population_total": row.integer("population_totale", required=True),
                **dict.fromkeys(IFN_COLUMNS),
            },
        )
    seen: set[str] = set()
    for row in _read(ifn_path, ["code", *IFN_COLUMNS.values()]):
        code = row.text("code", max_length=9)
        if code in seen:
            raise row.error("code", f"code « {code} » en double")
        seen.add(code)
        # The IFN file dates from 2023: EPCI dissolved since then are not loaded.
        if code in epcis:
            for field_name, column in IFN_COLUMNS.items():
                epcis[code][field_name] = row.decimal(column, minimum=0, maximum=10)
    return epcis


COMMUNE_INTEGERS = {
    "population": "population_municipale",
    "population_counted_apart": "population_comptee_a_part",
    "population_total": "population_totale",
    "rp2021_population": "rp2021_population",
    "rp2021_households": "rp2021_menages",
    "rp2021_population_15_64": "rp2021_pop_15_64",
    "rp2021_active_15_64": "rp2021_actifs_15_64",
    "rp2021_unemployed_15_64": "rp2021_chomeurs_15_64",
    "tax_households": "filosofi2021_nb_menages_fiscaux",
}
# field: (column, minimum, maximum)
COMMUNE_DECIMALS: dict[str, tuple[str, float | None, float | None]] = {
    "latitude": ("latitude", -90, 90),
    "longitude": ("longitude", -180, 180),
    "town_hall_latitude": ("latitude_mairie", -90, 90),
    "town_hall_longitude": ("longitude_mairie", -180, 180),
    "area_km2": ("superficie_km2", 0, None),
    "density": ("densite_hab_km2", 0, None),
    "median_income": ("filosofi2021_niveau_vie_median", 0, None),
    "poverty_rate": ("filosofi2021_taux_pauvrete", 0, 100),
    "social_benefits_share": ("filosofi2021_part_presta_sociales", 0, 100),
    "ifn_score": ("ifn_score", 0, 10),
    "ifn_no_thd_coverage": ("ifn_non_couverture_thd", 0, 10),
    "ifn_no_4g_coverage": ("ifn_non_couverture_4g", 0, 10),
    "ifn_poverty": ("ifn_pauvrete", 0, 10),
    "ifn_over_65": ("ifn_65_ans_et_plus", 0, 10),
    "ifn_low_education": ("ifn_peu_diplomes", 0, 10),
}
COMMUNE_TEXTS = [
    "code_insee",
    "nom",
    "zone",
    "code_departement",
    "code_arrondissement",
    "siren",
    "code_epci",
    "codes_postaux",
    "centroide_source",
    "superficie_source",
]


def read_communes(
    path: Path, departements: dict[str, Values], epcis: dict[str, Values]
) -> tuple[dict[str, Values], set[tuple[str, str]]]:
    """Communes by code INSEE, and the (postal code, code INSEE) pairs."""
    columns = [
        *COMMUNE_TEXTS,
        *COMMUNE_INTEGERS.values(),
        *(column for column, _, _ in COMMUNE_DECIMALS.values()),
    ]
    communes: dict[str, Values] = {}
    postal_codes: set[tuple[str, str]] = set()
    for row in _read(path, columns):
        code = row.text("code_insee", max_length=5, pattern=CODE_INSEE_PATTERN)
        departement = row.text("code_departement", max_length=3)
        if departement not in departements:
            raise row.error(
                "code_departement", f"département « {departement} » absent de {DEPARTEMENTS_FILE}"
            )
        epci = row.text("code_epci", required=False, max_length=9)
        if epci and epci not in epcis:
            raise row.error("code_epci", f"EPCI « {epci} » absent de {EPCI_FILE}")
        name = row.text("nom")
        values: Values = {
            "name": name,
            "search_name": normalize_name(name),
            "zone": row.text("zone", choices=ZONES),
            "departement_id": departement,
            "epci_id": epci or None,
            "arrondissement_code": row.text(
                "code_arrondissement", required=False, pattern=ARRONDISSEMENT_CODE
            ),
            "siren": row.text("siren", required=False, pattern=SIREN),
            "centroid_source": row.text("centroide_source", required=False, max_length=60),
            "area_source": row.text("superficie_source", required=False, max_length=60),
        }
        for field_name, column in COMMUNE_INTEGERS.items():
            values[field_name] = row.integer(column)
        for field_name, (column, minimum, maximum) in COMMUNE_DECIMALS.items():
            values[field_name] = row.decimal(column, minimum=minimum, maximum=maximum)
        _add_unique(communes, row, "code_insee", code, values)
        for postal_code in row.text("codes_postaux", required=False, max_length=500).split("|"):
            if postal_code:
                if not POSTAL_CODE_PATTERN.match(postal_code):
                    raise row.error(
                        "codes_postaux", f"code postal « {postal_code} » au format inattendu"
                    )
                postal_codes.add((postal_code, code))
    return communes, postal_codes


# Writing


@dataclass
class _Sync:
    """Creations and updates done for one table; deletions postponed until children are gone."""

    model: type[models.Model]
    label: str
    created: int
    updated: int
    vanished: list[Any]
    total: int

    def delete_vanished(self) -> TableChanges:
        for start in range(0, len(self.vanished), BATCH_SIZE):
            chunk = self.vanished[start : start + BATCH_SIZE]
            self.model._default_manager.filter(pk__in=chunk).delete()
        return TableChanges(self.label, self.created, self.updated, len(self.vanished), self.total)


def _upsert(model: type[models.Model], label: str, rows: dict[str, Values]) -> _Sync:
    """Create the rows missing from the table, update those that differ from the file."""
    pk_name = model._meta.pk.attname
    fields = list(next(iter(rows.values())).keys()) if rows else []
    existing = {
        values.pop(pk_name): values
        for values in model._default_manager.values(pk_name, *fields).iterator(chunk_size=5000)
    }
    to_create = [
        model(**{pk_name: key, **values}) for key, values in rows.items() if key not in existing
    ]
    to_update = [
        model(**{pk_name: key, **values})
        for key, values in rows.items()
        if key in existing and existing[key] != values
    ]
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    vanished = sorted(set(existing) - set(rows))
    return _Sync(model, label, len(to_create), len(to_update), vanished, len(rows))


def _sync_postal_codes(pairs: set[tuple[str, str]]) -> _Sync:
    existing = {
        (code, commune_id): pk
        for pk, code, commune_id in PostalCode.objects.values_list("pk", "code", "commune_id")
    }
    PostalCode.objects.bulk_create(
        [
            PostalCode(code=code, commune_id=commune_id)
            for code, commune_id in sorted(pairs - existing.keys())
        ],
        batch_size=BATCH_SIZE,
    )
    vanished = sorted(pk for pair, pk in existing.items() if pair not in pairs)
    created = len(pairs - existing.keys())
    return _Sync(PostalCode, "Codes postaux", created, 0, vanished, len(pairs))


def load_territory(*, data_dir: Path = DEFAULT_DATA_DIR) -> LoadReport:
    """Make the territory tables equal to the reference files of data_dir.

    Raises TerritoryDataError (and writes nothing) when a file is missing or malformed.
    """
    regions = read_regions(data_dir / REGIONS_FILE)
    departements = read_departements(data_dir / DEPARTEMENTS_FILE, regions)
    epcis = read_epcis(data_dir / EPCI_FILE, data_dir / EPCI_IFN_FILE)
    communes, postal_codes = read_communes(data_dir / COMMUNES_FILE, departements, epcis)

    steps: list[Callable[[], _Sync]] = [
        lambda: _upsert(Region, "Régions", regions),
        lambda: _upsert(Departement, "Départements", departements),
        lambda: _upsert(Epci, "EPCI", epcis),
        lambda: _upsert(Commune, "Communes", communes),
        lambda: _sync_postal_codes(postal_codes),
    ]
    try:
        with transaction.atomic():
            syncs = [step() for step in steps]
            # Children first: a département cannot go while one of its communes remains.
            changes = {sync.label: sync.delete_vanished() for sync in reversed(syncs)}
    except ProtectedError as error:
        used = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise TerritoryDataError(
            f"Des territoires absents des fichiers sont encore utilisés ({used}…) : "
            "aucune donnée n'a été modifiée."
        ) from error
    report = LoadReport([changes[sync.label] for sync in syncs])
    if any(table.created or table.updated or table.deleted for table in report.tables):
        _refresh_planner_statistics()
    return report


def _refresh_planner_statistics() -> None:
    """PostgreSQL plans with table statistics that autovacuum refreshes only some time after a
    bulk load; until then a join over 35,000 communes can be planned as a nested loop that runs
    for minutes. SQLite needs nothing."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Region, Departement, Epci, Commune, PostalCode)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')  # table names come from the models
