import csv
import gzip
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q, Sum

from maillon.territory.models import Commune, Departement, Epci, PostalCode, Region, Zone
from maillon.territory.services import (
    COMMUNES_FILE,
    DEFAULT_DATA_DIR,
    LoadReport,
    TerritoryDataError,
    load_territory,
)

pytestmark = pytest.mark.django_db


def copy_data(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    return data_dir


def rewrite_communes(data_dir: Path, change: "dict[str, dict[str, str] | None]") -> None:
    """Rewrite the communes file: change some cells of the rows named by code INSEE, or drop
    the row (None)."""
    path = data_dir / COMMUNES_FILE
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=fieldnames)
        writer.writeheader()
        for row in rows:
            if row["code_insee"] in change:
                cells = change[row["code_insee"]]
                if cells is None:
                    continue
                row.update(cells)
            writer.writerow(row)


def test_first_load_creates_every_row(territory_first_load: LoadReport) -> None:
    report = territory_first_load
    assert [(t.label, t.created, t.updated, t.deleted) for t in report.tables] == [
        ("Régions", 26, 0, 0),
        ("Départements", 109, 0, 0),
        ("EPCI", 1255, 0, 0),
        ("Communes", 34969, 0, 0),
        ("Codes postaux", 35493, 0, 0),
    ]


def test_it_loads_the_34969_communes_and_the_official_population() -> None:
    assert Commune.objects.count() == 34969
    metro_and_drom = Commune.objects.exclude(zone=Zone.COM).aggregate(total=Sum("population"))
    assert metro_and_drom["total"] == 68_350_798


def test_it_counts_18_regions_and_101_departements_outside_overseas_collectivities() -> None:
    assert Region.objects.count() == 26
    assert Region.objects.outside_com().count() == 18
    assert Departement.objects.count() == 109
    assert Departement.objects.outside_com().count() == 101
    assert Epci.objects.count() == 1255


def test_pre_aggregated_populations_equal_the_sum_of_their_communes() -> None:
    departements = Departement.objects.annotate(
        communes_population=Sum("communes__population")
    ).values_list("code", "population", "communes_population")
    # TAAF and Clipperton have no permanent population: 0 in the file, no figure per commune.
    assert [code for code, stored, summed in departements if stored != (summed or 0)] == []
    regions = Region.objects.annotate(
        communes_population=Sum("departements__communes__population")
    ).values_list("code", "population", "communes_population")
    assert [code for code, stored, summed in regions if stored != (summed or 0)] == []


def test_it_maps_every_column_of_a_commune() -> None:
    laval = Commune.objects.select_related("departement__region", "epci").get(code_insee="53130")
    assert laval.name == "Laval"
    assert laval.search_name == "laval"
    assert laval.zone == Zone.METRO
    assert laval.departement.name == "Mayenne"
    assert laval.departement.region.name == "Pays de la Loire"
    assert laval.epci is not None
    assert laval.epci.siren == "200083392"
    assert laval.siren == "215301300"
    assert laval.population == 49400
    assert laval.area_km2 == pytest.approx(34.22)
    assert laval.density == pytest.approx(1443.6)
    assert laval.latitude == pytest.approx(48.06123)
    assert laval.town_hall_longitude == pytest.approx(-0.77014)
    assert laval.median_income == 21660
    assert laval.poverty_rate == 18.0
    assert laval.rp2021_households == 25880
    assert laval.ifn_score == 4.88
    assert laval.ifn_no_thd_coverage == 3.0
    assert list(laval.postal_codes.values_list("code", flat=True)) == ["53000"]


def test_it_loads_epci_digital_fragility_scores() -> None:
    laval_agglo = Epci.objects.get(siren="200083392")
    assert laval_agglo.kind == "CA"
    assert laval_agglo.ifn_score == pytest.approx(4.7, abs=0.05)
    assert Epci.objects.filter(ifn_score__isnull=True).count() == 5


def test_it_keeps_one_row_per_postal_code_and_commune_pair() -> None:
    assert PostalCode.objects.count() == 35493
    assert PostalCode.objects.filter(commune_id="13055").count() > 10
    assert Commune.objects.filter(~Q(zone=Zone.COM), postal_codes__isnull=True).count() <= 5


def test_a_second_run_changes_nothing_and_says_so() -> None:
    out = StringIO()
    call_command("load_territory", stdout=out)
    assert out.getvalue() == "Territoires à jour : aucun changement (34 969 communes).\n"


def test_a_changed_row_updates_only_that_row_and_a_removed_row_is_deleted(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    rewrite_communes(data_dir, {"53130": {"population_municipale": "50000"}, "53001": None})

    report = load_territory(data_dir=data_dir)

    changes = {t.label: (t.created, t.updated, t.deleted) for t in report.tables}
    assert changes == {
        "Régions": (0, 0, 0),
        "Départements": (0, 0, 0),
        "EPCI": (0, 0, 0),
        "Communes": (0, 1, 1),
        "Codes postaux": (0, 0, 1),
    }
    assert Commune.objects.get(code_insee="53130").population == 50000
    assert not Commune.objects.filter(code_insee="53001").exists()
    assert Commune.objects.count() == 34968


def test_a_malformed_file_names_file_line_and_field_and_writes_nothing(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    # 53130 keeps its place in the file; its population becomes text. 53001 is also removed,
    # to show that the valid part of the file is not applied either.
    rewrite_communes(data_dir, {"53130": {"population_municipale": "beaucoup"}, "53001": None})

    with pytest.raises(CommandError) as error:
        call_command("load_territory", data_dir=data_dir, stdout=StringIO())

    message = str(error.value)
    assert message.startswith("communes_france.csv.gz, ligne ")
    assert "champ « population_municipale »" in message
    assert "« beaucoup » n'est pas un nombre entier positif" in message
    assert "Aucune donnée n'a été modifiée." in message
    assert Commune.objects.count() == 34969
    assert Commune.objects.get(code_insee="53130").population == 49400


def test_a_commune_in_an_unknown_departement_is_refused(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    rewrite_communes(data_dir, {"01001": {"code_departement": "00"}})

    with pytest.raises(TerritoryDataError, match=r"ligne 2, champ « code_departement »"):
        load_territory(data_dir=data_dir)


def test_a_missing_file_is_reported_in_french(tmp_path: Path) -> None:
    with pytest.raises(TerritoryDataError, match=r"regions\.csv : fichier introuvable"):
        load_territory(data_dir=tmp_path)
