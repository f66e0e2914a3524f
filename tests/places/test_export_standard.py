import csv
import io
import pathlib

import pytest

from maillon.places.exporting.standard import (
    COLUMNS,
    UNKNOWN_PIVOT,
    standard_file_name,
    standard_row,
    write_standard_csv,
)
from maillon.places.record import LocationPrecision
from maillon.places.vocabulary import ENUM_FIELDS
from tests.factories.places import place_data
from tests.places.export_support import EXAMPLE_PATH, generated_places, validation_errors


def test_the_upstream_example_passes_the_validation_helper() -> None:
    assert validation_errors(EXAMPLE_PATH) == []


def test_an_export_of_1200_generated_places_validates_against_the_schema(
    tmp_path: pathlib.Path,
) -> None:
    places = generated_places(1200)
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        written = write_standard_csv(places, out)

    assert written == 1200
    assert validation_errors(path) == []
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 1200
    for field, enum in ENUM_FIELDS.items():
        seen = {label for row in rows for label in row[field].split("|") if label}
        assert len(seen) == len(enum.values), field
    assert any("\n" in row["presentation_detail"] for row in rows)
    assert any('"' in row["nom"] for row in rows)
    assert any(row["complement_adresse"] == "" for row in rows)


def test_the_lax_spelling_of_etapes_numeriques_fails_strict_validation(
    tmp_path: pathlib.Path,
) -> None:
    places = generated_places(20)
    path = tmp_path / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_standard_csv(places, out, strict_v102=False)

    errors = validation_errors(path)
    assert errors and {error[1] for error in errors} == {"formations_labels"}


def test_it_writes_every_column_in_schema_order_with_labels() -> None:
    out = io.StringIO()
    data = place_data(
        formations_labels=("etapes_numeriques", "ordi_3_0"),
        publics_specifiquement_adresses=("jeunes", "familles"),
        courriels=("a@b.fr", "c@d.fr"),
    )
    row = standard_row("abc", data)

    assert tuple(row) == COLUMNS and len(COLUMNS) == 32
    assert row["id"] == "abc"
    assert row["pivot"] == UNKNOWN_PIVOT
    assert row["formations_labels"] == "Étapes numériques(La Poste)|ORDI 3.0"
    assert standard_row("abc", data, strict_v102=False)["formations_labels"] == (
        "Étapes numériques (La Poste)|ORDI 3.0"
    )
    assert row["publics_specifiquement_adresses"] == "Jeunes|Familles et/ou enfants"
    assert row["courriels"] == "a@b.fr|c@d.fr"
    assert row["date_maj"] == "2026-09-01"
    assert row["latitude"] == "48.0706"
    assert write_standard_csv([], out) == 0
    assert out.getvalue().startswith("id,pivot,nom,")


@pytest.mark.parametrize("precision", [LocationPrecision.COMMUNE, LocationPrecision.NONE])
def test_it_never_exports_an_approximate_position(precision: str) -> None:
    row = standard_row("x", place_data(location_precision=precision))

    assert row["latitude"] == row["longitude"] == ""


def test_it_writes_small_coordinates_without_exponent() -> None:
    row = standard_row("x", place_data(latitude=0.00001, longitude=-1e-7))

    assert (row["latitude"], row["longitude"]) == ("0.00001", "-0.0000001")


def test_it_names_the_file_after_the_standard_rule() -> None:
    import datetime as dt

    name = standard_file_name(
        producer_id="24330031600011", territory_label="BordeauxMetropole", day=dt.date(2022, 7, 25)
    )
    assert name == "2022-07-25_24330031600011_lieux-de-mediation-numerique_BordeauxMetropole.csv"
    assert standard_file_name(
        producer_id="", territory_label="France", day=dt.date(2026, 1, 2)
    ) == ("2026-01-02_maillon_lieux-de-mediation-numerique_France.csv")
