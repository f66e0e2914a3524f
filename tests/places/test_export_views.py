import csv
import io
import json
import pathlib

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from maillon.places.models import Place
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> dict[str, Place]:
    laval = CommuneFactory.create(code_insee="53130", name="Laval")
    sarthe = DepartementFactory.create(code="72", name="Sarthe", region=RegionFactory.create())
    le_mans = CommuneFactory.create(code_insee="72181", name="Le Mans", departement=sarthe)
    return {
        "precise": create_place(nom="EPN précis", code_insee=laval.code_insee),
        "approximate": create_place(
            nom="EPN approximatif",
            code_insee=laval.code_insee,
            latitude=48.07,
            longitude=-0.77,
            location_precision="commune",
        ),
        "private": create_place(
            nom="Bureau sans public",
            code_insee=laval.code_insee,
            modalites_acces=("pas_de_public",),
        ),
        "elsewhere": create_place(nom="EPN du Mans", code_insee=le_mans.code_insee),
    }


def _csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["nom"]: row for row in csv.DictReader(io.StringIO(text))}


def _content(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_the_command_exports_published_places_of_a_territory(
    places: dict[str, Place], tmp_path: pathlib.Path
) -> None:
    output = tmp_path / "lieux.csv"
    stdout = io.StringIO()

    call_command(
        "export_lieux",
        "--format",
        "standard",
        "--output",
        str(output),
        "--territoire",
        "dep:53",
        stdout=stdout,
    )

    rows = _csv_rows(output.read_text(encoding="utf-8"))
    assert set(rows) == {"EPN précis", "EPN approximatif"}
    assert rows["EPN précis"]["latitude"] == "48.0706"
    assert rows["EPN approximatif"]["latitude"] == rows["EPN approximatif"]["longitude"] == ""
    assert rows["EPN précis"]["id"] == str(places["precise"].public_id)
    assert "2 lieu(x) exporté(s) sur 2 publié(s)" in stdout.getvalue()


@pytest.mark.parametrize("export_format", ["data-inclusion", "geojson"])
def test_the_command_writes_the_other_formats(
    places: dict[str, Place], tmp_path: pathlib.Path, export_format: str
) -> None:
    output = tmp_path / "lieux.json"
    stdout = io.StringIO()

    call_command("export_lieux", "--format", export_format, "--output", str(output), stdout=stdout)

    payload = json.loads(output.read_text(encoding="utf-8"))
    if export_format == "geojson":
        names = {feature["properties"]["nom"] for feature in payload["features"]}
        flags = {
            f["properties"]["nom"]: f["properties"]["position_approximative"]
            for f in payload["features"]
        }
        assert flags == {"EPN précis": False, "EPN approximatif": True, "EPN du Mans": False}
    else:
        names = {structure["nom"] for structure in payload["structures"]}
        assert len(payload["services"]) == 3
    assert names == {"EPN précis", "EPN approximatif", "EPN du Mans"}
    assert "3 lieu(x) exporté(s) sur 3 publié(s)" in stdout.getvalue()


def test_the_command_refuses_a_bad_territory_in_french(
    places: dict[str, Place], tmp_path: pathlib.Path
) -> None:
    with pytest.raises(CommandError, match="aucun département ne porte le code « 99 »"):
        call_command(
            "export_lieux",
            "--format",
            "geojson",
            "--output",
            str(tmp_path / "x"),
            "--territoire",
            "dep:99",
        )


def test_anonymous_visitors_see_the_export_page(places: dict[str, Place], client: Client) -> None:
    response = client.get(reverse("places:exports"))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("places:export_standard") in content
    assert reverse("places:export_data_inclusion") in content
    assert reverse("places:export_geojson") in content
    assert "3 lieux publiés" in content


def test_anonymous_visitors_download_the_standard_csv_of_a_territory(
    places: dict[str, Place], client: Client
) -> None:
    response = client.get(reverse("places:export_standard"), {"territoire": "dep:53"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith('_maillon_lieux-de-mediation-numerique_Mayenne.csv"')
    rows = _csv_rows(_content(response))
    assert set(rows) == {"EPN précis", "EPN approximatif"}
    assert rows["EPN approximatif"]["latitude"] == ""


def test_the_file_name_carries_the_producer_id(
    places: dict[str, Place], client: Client, settings: object
) -> None:
    settings.MAILLON_PRODUCER_ID = "24330031600011"  # type: ignore[attr-defined]

    response = client.get(reverse("places:export_standard"))

    assert (
        "_24330031600011_lieux-de-mediation-numerique_France.csv" in response["Content-Disposition"]
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [("places:export_data_inclusion", "structures"), ("places:export_geojson", "features")],
)
def test_anonymous_visitors_download_json_exports(
    places: dict[str, Place], client: Client, name: str, key: str
) -> None:
    response = client.get(reverse(name), {"territoire": "com:72181"})

    assert response.status_code == 200
    payload = json.loads(_content(response))
    assert len(payload[key]) == 1
    assert "_Le-Mans" not in response["Content-Disposition"]
    assert "_LeMans." in response["Content-Disposition"]


@pytest.mark.parametrize(
    "name", ["places:export_standard", "places:export_data_inclusion", "places:export_geojson"]
)
def test_a_bad_territory_gets_a_400_in_french(
    places: dict[str, Place], client: Client, name: str
) -> None:
    response = client.get(reverse(name), {"territoire": "departement:53"})

    assert response.status_code == 400
    assert "non reconnu" in response.content.decode()


def test_private_places_are_never_exported(places: dict[str, Place], client: Client) -> None:
    for name in ("places:export_standard", "places:export_data_inclusion", "places:export_geojson"):
        content = _content(client.get(reverse(name)))
        assert "Bureau sans public" not in content
        assert str(places["private"].public_id) not in content


def test_the_downloads_refuse_writes(client: Client) -> None:
    assert client.post(reverse("places:export_standard")).status_code == 405
