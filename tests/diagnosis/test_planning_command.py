"""`manage.py planifier_itinerance` on a hand-built mini territory with known answers.

Five communes of Mayenne on the parallel 48° N, very sparsely populated (60 km/h, detour 1.3:
20 minutes = 15.4 km in straight line). 0.11° of longitude is 8.2 km there:

    A (-0.70)  B (-0.59)  C (-0.48)        D (0.30)        E (1.00, has a fixed place)
    100        50         80               30              0 (covered by its place)

B covers A, B and C; A covers A and B; C covers B and C; D covers only D; E is left out.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from maillon.diagnosis import cache
from maillon.diagnosis.planning import territory
from maillon.diagnosis.tables import CommuneTable
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, DepartementFactory

LONGITUDES = {"53501": -0.70, "53502": -0.59, "53503": -0.48, "53504": 0.30, "53505": 1.00}
POPULATION = {"53501": 1000, "53502": 500, "53503": 800, "53504": 300, "53505": 900}


@pytest.fixture
def mini_territory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    departement = DepartementFactory.create()
    for code, lon in LONGITUDES.items():
        CommuneFactory.create(
            code_insee=code,
            name=f"Commune {code[-1]}",
            departement=departement,
            latitude=48.0,
            longitude=lon,
            density=10.0,
            population=POPULATION[code],
        )
    create_place(code_insee="53505", latitude=48.0, longitude=1.0, services=("aide_demarches",))

    # Known people at risk: 10 % of the population.
    def ten_percent(communes: CommuneTable) -> Any:
        return SimpleNamespace(central=communes.population * 0.1)

    # The estimate is read from the diagnosis cache: fill it with these figures, and empty it
    # afterwards so that no other test sees them.
    monkeypatch.setattr(cache, "people_at_risk", ten_percent)
    cache.bump()
    yield
    cache.bump()


def run(tmp_path: Path, *args: str) -> dict[str, Any]:
    output = tmp_path / "plan.json"
    call_command("planifier_itinerance", *args, "--output", str(output))
    data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return data


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_one_stop_goes_to_the_middle_commune(tmp_path: Path) -> None:
    instance_file = tmp_path / "instance.json"

    plan = run(
        tmp_path,
        "--territoire=dep:53",
        "--arrets=1",
        "--seuil-minutes=20",
        f"--export-instance={instance_file}",
    )

    assert plan["arrets"] == ["53502"]
    assert plan["couverts"] == 230
    assert plan["resolution"]["optimal_prouve"] is True
    assert plan["resolution"]["ecart_optimalite"] == 0
    assert plan["demande"]["personnes_a_couvrir"] == 260
    assert plan["demande"]["personnes_deja_a_portee_d_un_lieu_fixe"] == 90
    stop = plan["detail_arrets"][0]
    assert stop["communes_couvertes"] == ["53501", "53502", "53503"]
    assert stop["gain_marginal"] == 230
    instance = json.loads(instance_file.read_text(encoding="utf-8"))
    assert instance["k"] == 1
    assert instance["demand"] == [
        {"id": "53501", "weight": 100},
        {"id": "53502", "weight": 50},
        {"id": "53503", "weight": 80},
        {"id": "53504", "weight": 30},
    ]
    assert [row["id"] for row in instance["candidates"]] == list(LONGITUDES)
    assert instance["coverage"] == [
        [0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 3]
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_a_plan_checks_against_its_exported_instance(tmp_path: Path) -> None:
    instance_file = tmp_path / "instance.json"

    plan = run(
        tmp_path, "--territoire=dep:53", "--arrets=2", "--seuil-minutes=20",
        f"--export-instance={instance_file}",
    )  # fmt: skip

    instance = json.loads(instance_file.read_text(encoding="utf-8"))
    chosen = {[c["id"] for c in instance["candidates"]].index(i) for i in plan["arrets"]}
    covered = {d for d, c in instance["coverage"] if c in chosen}
    assert sum(instance["demand"][d]["weight"] for d in covered) == plan["couverts"] == 260
    assert plan["arrets"] == ["53502", "53504"]
    assert [s["gain_marginal"] for s in plan["detail_arrets"]] == [230, 30]


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_stops_that_add_nobody_stay_out_of_the_tour(tmp_path: Path) -> None:
    # Two stops reach everybody; the other two add nobody and must not take a day of the week.
    plan = run(
        tmp_path, "--territoire=dep:53", "--arrets=4", "--seuil-minutes=20",
        "--jours=2", "--arrets-par-jour=1",
    )  # fmt: skip

    assert plan["couverts"] == 260
    gains = {stop["id"]: stop["gain_marginal"] for stop in plan["detail_arrets"]}
    assert len(plan["arrets"]) == 4 and sorted(gains.values()) == [0, 0, 30, 230]
    toured = [s["id"] for day in plan["itineraire"]["jours"] for s in day["arrets"]]
    assert toured == ["53502", "53504"]
    assert plan["itineraire"]["non_planifies"] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_nobody_to_reach_means_no_tour(tmp_path: Path) -> None:
    plan = run(tmp_path, "--territoire=dep:53", "--arrets=2", "--seuil-minutes=600")

    assert plan["couverts"] == 0
    assert plan["itineraire"]["jours"] == []
    assert plan["itineraire"]["depart"]["id"] == plan["arrets"][0]


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_a_service_nobody_offers_leaves_every_commune_to_cover(tmp_path: Path) -> None:
    plan = run(
        tmp_path, "--territoire=dep:53", "--arrets=2", "--seuil-minutes=20",
        "--service=parentalite",
    )  # fmt: skip

    assert plan["demande"]["personnes_a_couvrir"] == 350
    assert plan["demande"]["personnes_deja_a_portee_d_un_lieu_fixe"] == 0
    assert plan["arrets"] == ["53502", "53505"]
    assert plan["couverts"] == 320


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_uploaded_sites_csv_and_calendar(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "id;nom;latitude;longitude\n"
        "P1;Parking du marché;48,0;-0,64\n"
        "P2;Salle des fêtes;48.0;0.31\n",
        encoding="utf-8",
    )
    ics = tmp_path / "tournee.ics"
    csv_file = tmp_path / "plan.csv"

    call_command(
        "planifier_itinerance", "--territoire=dep:53", "--arrets=1", "--seuil-minutes=20",
        f"--sites={sites}", f"--output={csv_file}", f"--ics={ics}", "--debut=2026-11-23",
    )  # fmt: skip

    rows = csv_file.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("ordre,id,nom,latitude,longitude,personnes_a_portee,gain_marginal")
    assert rows[1].startswith("1,P1,Parking du marché,")
    assert "53501 53502 53503" in rows[1]
    text = ics.read_bytes().decode("utf-8")  # keep the CRLF
    assert "DTSTART;TZID=Europe/Paris:20261123T090000\r\n" in text
    assert "LOCATION:Parking du marché\r\n" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--territoire=dep:99", "--arrets=1"], "aucun département"),
        (["--territoire=zone:1", "--arrets=1"], "non reconnu"),
        (["--territoire=dep:53", "--arrets=9"], "seulement 5 sites candidats"),
        (["--territoire=dep:53", "--arrets=1", "--service=cuisine"], "Service « cuisine » inconnu"),
        (["--territoire=dep:53", "--arrets=1", "--depart=99999"], "Départ"),
    ],
)
def test_errors_are_clear_and_french(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "planifier_itinerance", *args, "--seuil-minutes=20", f"--output={tmp_path / 'p.json'}"
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("mini_territory")
def test_a_bad_sites_file_names_line_and_column(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("id,nom,latitude,longitude\nP1,A,48.0,-0.6\nP2,B,quarante,-0.6\n")

    with pytest.raises(CommandError, match="ligne 3, colonne « latitude »"):
        call_command(
            "planifier_itinerance", "--territoire=dep:53", "--arrets=1", "--seuil-minutes=20",
            f"--sites={sites}", f"--output={tmp_path / 'p.json'}",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("commune", "name"),
    [
        ("Laval", "Mairie de Laval"),
        ("Astillé", "Mairie d'Astillé"),
        ("Évron", "Mairie d'Évron"),
        ("Le Ham", "Mairie du Ham"),
        ("Les Touches", "Mairie des Touches"),
        ("La Roë", "Mairie de La Roë"),
        ("Hambers", "Mairie de Hambers"),
    ],
)
def test_town_halls_are_named_in_good_french(commune: str, name: str) -> None:
    assert territory.town_hall_name(commune) == name
