# ruff: noqa: RUF003 — age ranges (0–14) and × are meant.
"""`manage.py diagnostic`: JSON keys of the territory and of each commune, CSV, French errors."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillon.diagnosis.report import diagnose
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory

pytestmark = pytest.mark.django_db

REQUIRED = (
    "population",
    "personnes_en_risque",
    "personnes_en_risque_au_dela_15_min",
    "personnes_en_risque_au_dela_30_min",
    "distance_lieu_plus_proche_km",
)


@pytest.fixture
def mayenne() -> None:
    # A commune with a place at its town hall, one 10 km away, one 55 km away (« peu dense »).
    CommuneFactory.create(
        code_insee="53130",
        name="Laval",
        population=50_000,
        density=1450.0,
        area_km2=34.0,
        town_hall_latitude=48.07,
        town_hall_longitude=-0.77,
    )
    CommuneFactory.create(
        code_insee="53062",
        name="Changé",
        population=6_000,
        density=200.0,
        area_km2=30.0,
        town_hall_latitude=48.07 + 10 / 111.2,
        town_hall_longitude=-0.77,
    )
    CommuneFactory.create(
        code_insee="53147",
        name="Mayenne",
        population=13_000,
        density=60.0,
        area_km2=200.0,
        town_hall_latitude=48.07 + 0.5,
        town_hall_longitude=-0.77,
    )
    create_place(code_insee="53130", latitude=48.07, longitude=-0.77)


def test_the_json_has_the_required_keys_and_the_gaps(mayenne: None, tmp_path: Path) -> None:
    output = tmp_path / "diagnostic.json"
    out = StringIO()
    call_command("diagnostic", territoire="dep:53", output=str(output), stdout=out)
    assert "Diagnostic de Mayenne : 3 commune(s)" in out.getvalue()
    result = json.loads(output.read_text(encoding="utf-8"))
    territory = result["territoire"]
    for key in REQUIRED:
        assert key in territory
    assert territory["code"] == "dep:53"
    assert territory["population"] == 69_000
    assert territory["personnes_en_risque_statut"] == "estimation"
    communes = {row["code_insee"]: row for row in result["communes"]}
    for row in communes.values():
        for key in ("code_insee", *REQUIRED):
            assert key in row
        assert row["personnes_en_risque_bas"] <= row["personnes_en_risque"]
        assert row["personnes_en_risque"] <= row["personnes_en_risque_haut"]
    laval, change, far = communes["53130"], communes["53062"], communes["53147"]
    assert laval["distance_lieu_plus_proche_km"] == 0
    assert laval["personnes_en_risque_au_dela_15_min"] == 0
    # 10 km × 1.3 at 50 km/h = 15.6 minutes: beyond 15, within 30.
    assert change["distance_lieu_plus_proche_km"] == pytest.approx(10.0, abs=0.05)
    assert change["temps_lieu_plus_proche_min"] == pytest.approx(15.6, abs=0.1)
    assert change["personnes_en_risque_au_dela_15_min"] == change["personnes_en_risque"]
    assert change["personnes_en_risque_au_dela_30_min"] == 0
    assert far["personnes_en_risque_au_dela_30_min"] == far["personnes_en_risque"]
    assert territory["personnes_en_risque_au_dela_15_min"] == pytest.approx(
        change["personnes_en_risque"] + far["personnes_en_risque"], abs=1
    )
    # Ranked by unmet need: the commune beyond 30 minutes first.
    assert [row["code_insee"] for row in result["communes"]] == ["53147", "53062", "53130"]
    assert laval["lieux"] == 1 and laval["lieux_service_aide_demarches"] == 1
    assert laval["heures_ouverture_hebdo"] == 30.0
    comparison = result["comparaison"]["indicateurs"]["taux_de_risque_pct"]
    assert set(comparison) == {"territoire", "departement", "region", "france"}


def test_a_commune_is_compared_with_its_departement_region_and_france(mayenne: None) -> None:
    result = diagnose("com:53062")
    assert [row["code_insee"] for row in result["communes"]] == ["53062"]
    assert result["comparaison"]["references"] == {
        "region": "Pays de la Loire (reg:52)",
        "departement": "Mayenne (dep:53)",
        "france": "France (fr)",
    }
    assert diagnose("fr")["territoire"]["population"] == 69_000


def test_a_service_without_any_place_leaves_everybody_beyond_30_minutes(mayenne: None) -> None:
    result = diagnose("dep:53", service="materiel_solidaire")
    territory = result["territoire"]
    assert territory["personnes_en_risque_au_dela_30_min"] == territory["personnes_en_risque"]
    assert all(row["distance_lieu_plus_proche_km"] is None for row in result["communes"])


def test_csv_has_one_row_per_commune(mayenne: None, tmp_path: Path) -> None:
    output = tmp_path / "diagnostic.csv"
    call_command(
        "diagnostic", territoire="dep:53", format="csv", output=str(output), stdout=StringIO()
    )
    rows = list(csv.DictReader(StringIO(output.read_text(encoding="utf-8"))))
    assert len(rows) == 3
    assert {"code_insee", *REQUIRED, "lieux_service_aide_demarches"} <= set(rows[0])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("dep:99", "aucun département ne porte le code « 99 »"),
        ("dep:5", "n'est pas un code de département valide"),
        ("ville:Laval", "non reconnu"),
        ("dep:53,com:53130", "un seul territoire à la fois"),
        ("", "Territoire vide"),
    ],
)
def test_a_bad_territory_is_a_french_error(mayenne: None, spec: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("diagnostic", territoire=spec, stdout=StringIO())


def test_a_commune_without_position_is_unknown_not_beyond_30_minutes(mayenne: None) -> None:
    CommuneFactory.create(
        code_insee="53999", name="Sans position", population=1_000, latitude=None, longitude=None
    )

    result = diagnose("dep:53")
    row = next(row for row in result["communes"] if row["code_insee"] == "53999")
    assert row["personnes_en_risque"] > 0
    assert row["distance_lieu_plus_proche_km"] is None
    assert row["temps_lieu_plus_proche_min"] is None
    assert row["personnes_en_risque_au_dela_15_min"] == 0
    assert row["personnes_en_risque_au_dela_30_min"] == 0
    # Without any place, a located commune is beyond 30 minutes; still not the unknown one.
    nothing = diagnose("dep:53", service="materiel_solidaire")["communes"]
    beyond = {r["code_insee"]: r["personnes_en_risque_au_dela_30_min"] for r in nothing}
    assert beyond["53999"] == 0 and beyond["53147"] > 0
