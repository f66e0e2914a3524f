"""Each shipped mapping on the real producer file it was written for (the copy shipped in
maillon/places/data/sources). Counts are those measured on these files: a change in a mapping
that loses coordinates, services or rows shows here."""

import dataclasses
from pathlib import Path

import pytest

from maillon.places.importing.mapping import load_mapping
from maillon.places.management.commands.import_shipped_lieux import shipped_files

SOURCES = Path(__file__).resolve().parents[2] / "maillon" / "places" / "data" / "sources"


@dataclasses.dataclass(frozen=True)
class Expected:
    mapping: str
    file: str
    rows: int
    skipped: int
    located: int
    with_services: int
    extra: dict[str, int] = dataclasses.field(default_factory=dict)


EXPECTED = [
    Expected(
        "gironde",
        "gironde_33_2021_brut.csv",
        347,
        0,
        347,
        318,
        {"typologie": 149, "code_postal": 321},
    ),
    Expected(
        "creuse",
        "creuse_23_brut.csv",
        91,
        0,
        91,
        91,
        {"horaires": 31, "modalites_accompagnement": 91},
    ),
    Expected(
        "maine-et-loire",
        "maine-et-loire_49_brut.csv",
        222,
        21,
        222,
        220,
        {"dispositif_programmes_nationaux": 26, "typologie": 158, "modalites_acces": 5},
    ),
    Expected(
        "rhinocc-occitanie",
        "rhinocc_occitanie_2019_brut.csv",
        845,
        0,
        841,
        548,
        {"horaires": 123, "dispositif_programmes_nationaux": 96, "itinerance": 49},
    ),
    Expected(
        "bfc-ternum",
        "bfc-ternum_bourgogne-franche-comte_2020-07-09.csv",
        642,
        0,
        642,
        0,
        {"horaires": 224, "dispositif_programmes_nationaux": 45, "typologie": 271},
    ),
    Expected(
        "france-services-cget",
        "france-services_national_cget_2020.csv",
        533,
        0,
        533,
        0,
        {"dispositif_programmes_nationaux": 533, "horaires": 522, "itinerance": 32},
    ),
    Expected(
        "connumm-pays-de-la-loire",
        "connumm_pays-de-la-loire_2020.csv",
        706,
        3,
        706,
        652,
        {"modalites_accompagnement": 648, "frais_a_charge": 441},
    ),
    Expected(
        "bus-france-services-charente",
        "bus-france-services-charente_16_brut.csv",
        12,
        0,
        12,
        12,
        {"itinerance": 12, "dispositif_programmes_nationaux": 12},
    ),
]


def read(mapping_name: str, file: str) -> tuple[list[tuple[int, dict[str, str]]], int]:
    mapping = load_mapping(mapping_name)
    rows = list(mapping.read(SOURCES / file))
    return rows, len(mapping.skipped_lines)


def filled(rows: list[tuple[int, dict[str, str]]], field: str) -> int:
    return sum(1 for _, row in rows if row.get(field))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda expected: expected.mapping)
def test_each_mapping_reads_its_real_file(expected: Expected) -> None:
    rows, skipped = read(expected.mapping, expected.file)
    assert (len(rows), skipped) == (expected.rows, expected.skipped)
    assert all(row["nom"].strip() for _, row in rows)
    assert all(row["date_maj"] for _, row in rows)
    ids = [row["id"] for _, row in rows]
    assert len(set(ids)) == len(ids)
    located = sum(1 for _, row in rows if row.get("latitude") and row.get("longitude"))
    assert located == expected.located
    assert filled(rows, "services") == expected.with_services
    for field, count in expected.extra.items():
        assert (field, filled(rows, field)) == (field, count)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda expected: expected.mapping)
def test_ids_are_stable_from_one_read_to_the_next(expected: Expected) -> None:
    first, _ = read(expected.mapping, expected.file)
    second, _ = read(expected.mapping, expected.file)
    assert [(line, row["id"]) for line, row in first] == [(line, row["id"]) for line, row in second]


def test_only_standard_values_come_out_of_enumerated_fields() -> None:
    from maillon.places.importing.mapping import _allowed_labels

    v0_passthrough = {"bus-france-services-charente": {"services"}}
    for expected in EXPECTED:
        rows, _ = read(expected.mapping, expected.file)
        for field in (
            "services",
            "frais_a_charge",
            "itinerance",
            "dispositif_programmes_nationaux",
        ):
            if field in v0_passthrough.get(expected.mapping, set()):
                continue
            allowed = _allowed_labels(field)
            assert allowed is not None
            values = {value for _, row in rows for value in row.get(field, "").split("|") if value}
            assert values <= allowed, (expected.mapping, field, values - allowed)


def test_gironde_coordinates_land_in_gironde() -> None:
    rows, _ = read("gironde", "gironde_33_2021_brut.csv")
    points = [(float(row["latitude"]), float(row["longitude"])) for _, row in rows]
    assert all(44.0 <= lat <= 45.6 and -1.3 <= lon <= 0.4 for lat, lon in points)


def test_maine_et_loire_lambert93_coordinates_land_in_maine_et_loire() -> None:
    rows, _ = read("maine-et-loire", "maine-et-loire_49_brut.csv")
    points = [(float(row["latitude"]), float(row["longitude"])) for _, row in rows]
    assert all(46.9 <= lat <= 47.85 and -1.4 <= lon <= 0.25 for lat, lon in points)


def test_connumm_covers_the_mayenne_demo_territory() -> None:
    rows, _ = read("connumm-pays-de-la-loire", "connumm_pays-de-la-loire_2020.csv")
    mayenne = [row for _, row in rows if row["code_insee"].startswith("53")]
    assert len(mayenne) == 76
    assert sum(1 for row in mayenne if row["commune"] == "Laval") == 20


def test_the_manifest_lists_every_shipped_file_once() -> None:
    files = shipped_files()
    assert len(files) == 11
    assert {shipped.path.name for shipped in files} == {path.name for path in SOURCES.glob("*.csv")}
    mapped = {shipped.format for shipped in files if shipped.mapping}
    assert mapped == {expected.mapping for expected in EXPECTED}
