import dataclasses
import datetime as dt
import json
import uuid
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import jsonschema  # type: ignore[import-untyped]
import pytest
from django.test import Client

from maillon.places.models import Place
from maillon.places.search import PARAMETERS, PlaceFilters
from tests.factories.accounts import UserFactory
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, PostalCodeFactory

MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
LAVAL = (48.0706, -0.7734)

# The contract: keys of one place in the API (a change here is a breaking change).
PLACE_KEYS = [
    "adresse",
    "autres_formations_labels",
    "code_insee",
    "code_postal",
    "codes",
    "commune",
    "complement_adresse",
    "completude",
    "courriels",
    "date_maj",
    "dispositif_programmes_nationaux",
    "distance_m",
    "fiche_acces_libre",
    "formations_labels",
    "frais_a_charge",
    "horaires",
    "id",
    "itinerance",
    "latitude",
    "longitude",
    "modalites_acces",
    "modalites_accompagnement",
    "nom",
    "ouvert_maintenant",
    "pivot",
    "position_approximative",
    "presentation_detail",
    "presentation_resume",
    "prise_en_charge_specifique",
    "prise_rdv",
    "publics_specifiquement_adresses",
    "services",
    "site_web",
    "source",
    "structure_parente",
    "telephone",
    "typologie",
    "url",
]


def _get(client: Client, url: str) -> tuple[Any, Any]:
    response = client.get(url)
    return response, json.loads(response.content)


def _validate(document: dict[str, Any], schema: str, instance: Any) -> None:
    jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": document["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    ).validate(instance)


@pytest.fixture
def laval() -> None:
    commune = CommuneFactory.create(
        code_insee="53130",
        name="Laval",
        latitude=LAVAL[0],
        longitude=LAVAL[1],
        town_hall_latitude=LAVAL[0],
        town_hall_longitude=LAVAL[1],
    )
    PostalCodeFactory.create(code="53000", commune=commune)


@pytest.fixture
def frozen_now() -> Any:
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_10AM):
        yield


@pytest.mark.django_db
def test_anonymous_visitors_list_places_with_the_documented_keys(
    client: Client, laval: None, frozen_now: None
) -> None:
    place = create_place(
        nom="EPN de Laval",
        code_insee="53130",
        services=("aide_demarches", "acces_materiel"),
        autres_formations_labels=("QPV",),
    )

    response, body = _get(client, "/api/v1/lieux?q=Laval")

    assert response.status_code == 200
    assert list(body) == ["count", "page", "par_page", "pages", "next", "previous", "results"]
    [result] = body["results"]
    assert sorted(result) == PLACE_KEYS
    assert result["id"] == str(place.public_id)
    assert result["url"] == f"http://testserver/lieux/{place.public_id}/"
    assert result["services"] == [
        "Aide aux démarches administratives",
        "Accès internet et matériel informatique",
    ]
    assert result["codes"]["services"] == ["aide_demarches", "acces_materiel"]
    assert result["ouvert_maintenant"] is True
    assert result["distance_m"] == 0
    assert result["position_approximative"] is False
    assert result["code_insee"] == "53130"


@pytest.mark.django_db
def test_responses_match_the_openapi_schemas(client: Client, laval: None) -> None:
    create_place(nom="Précis", code_insee="53130", courriels=("epn@laval.fr",))
    create_place(nom="Sans position", latitude=None, longitude=None, location_precision="none")
    approximate = create_place(nom="Approximatif", code_insee="53130", location_precision="commune")
    document = json.loads(client.get("/api/v1/openapi.json").content)

    _, near = _get(client, f"/api/v1/lieux?lat={LAVAL[0]}&lon={LAVAL[1]}")
    _, everything = _get(client, "/api/v1/lieux?par_page=1&page=2")
    _, one = _get(client, f"/api/v1/lieux/{approximate.public_id}")
    _, error = _get(client, "/api/v1/lieux?rayon=-1")

    _validate(document, "PageDeLieux", near)
    _validate(document, "PageDeLieux", everything)
    _validate(document, "Lieu", one)
    _validate(document, "Erreurs", error)
    assert one["position_approximative"] is True
    assert [result["nom"] for result in near["results"]] == ["Précis", "Approximatif"]
    assert near["results"][1]["distance_m"] is None
    # Without a centre every place is listed by name, even without a position.
    assert everything["count"] == 3
    assert [result["nom"] for result in everything["results"]] == ["Précis"]


def test_every_parameter_the_parser_reads_is_documented_and_vice_versa(client: Client) -> None:
    document = json.loads(client.get("/api/v1/openapi.json").content)
    [list_path] = [path for path in document["paths"] if "{id}" not in path]
    documented = {p["name"] for p in document["paths"][list_path]["get"]["parameters"]}
    filter_fields = {field.name for field in dataclasses.fields(PlaceFilters)}

    assert documented == filter_fields == {parameter.name for parameter in PARAMETERS}
    for parameter in PARAMETERS:
        if parameter.name in {"territoire", "commune"}:
            continue  # their examples need territory rows; covered by test_search
        example = {parameter.name: parameter.example, "lat": "48", "lon": "-0.7"}
        parsed, errors = PlaceFilters.from_query(example)
        assert errors == [], parameter.name
        assert getattr(parsed, parameter.name) != getattr(PlaceFilters(), parameter.name), (
            f"{parameter.name} is documented but the parser ignores it"
        )


def test_the_openapi_document_is_openapi_3_1_with_enums_and_labels(client: Client) -> None:
    response, document = _get(client, "/api/v1/openapi.json")

    assert response.status_code == 200
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/v1/lieux", "/api/v1/lieux/{id}"}
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/lieux"]["get"]["parameters"]}
    services = parameters["services"]
    assert "aide_demarches" in services["schema"]["items"]["enum"]
    assert "`aide_demarches` (Aide aux démarches administratives)" in services["description"]
    assert "langues_etrangeres" in parameters["prises_en_charge"]["schema"]["items"]["enum"]
    assert parameters["par_page"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 50,
    }
    jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"]["Lieu"])


@pytest.mark.django_db
def test_it_paginates_with_absolute_links(client: Client) -> None:
    for letter in "ABCDE":
        create_place(nom=letter)

    _, first = _get(client, "/api/v1/lieux?par_page=2&services=aide_demarches")
    _, last = _get(client, "/api/v1/lieux?par_page=2&services=aide_demarches&page=3")

    assert (first["count"], first["pages"], first["previous"]) == (5, 3, None)
    assert first["next"] == (
        "http://testserver/api/v1/lieux?services=aide_demarches&page=2&par_page=2"
    )
    assert [r["nom"] for r in last["results"]] == ["E"]
    assert last["next"] is None
    assert last["previous"].endswith("page=2&par_page=2")


@pytest.mark.django_db
def test_it_refuses_bad_and_unknown_parameters_in_french(client: Client) -> None:
    response, body = _get(client, "/api/v1/lieux?services=teleportation&ville=Laval&par_page=0")

    assert response.status_code == 400
    assert body["erreurs"][0].startswith("services : « teleportation » n'est pas une valeur")
    assert body["erreurs"][1] == "par_page : « 0 » est inférieur au minimum (1)."
    assert body["erreurs"][2].startswith("ville : paramètre inconnu")


@pytest.mark.django_db
def test_an_unknown_commune_is_a_bad_request(client: Client) -> None:
    response, body = _get(client, "/api/v1/lieux?q=Atlantide")

    assert response.status_code == 400
    assert body == {"erreurs": ["q : aucune commune ne correspond à « Atlantide »."]}


@pytest.mark.django_db
def test_it_returns_one_published_place(client: Client) -> None:
    place = create_place(nom="EPN")

    response, body = _get(client, f"/api/v1/lieux/{place.public_id}")

    assert response.status_code == 200
    assert body["nom"] == "EPN"
    assert body["distance_m"] is None


@pytest.mark.django_db
def test_unknown_retired_merged_and_private_places_are_404(client: Client) -> None:
    retired = create_place(nom="Retiré")
    Place.objects.filter(pk=retired.pk).update(retired_at=MONDAY_10AM)
    private = create_place(nom="Privé", modalites_acces=("pas_de_public",))
    kept = create_place(nom="Gardé")
    merged = create_place(nom="Absorbé")
    Place.objects.filter(pk=merged.pk).update(merged_into=kept)

    for public_id in (uuid.uuid4(), retired.public_id, private.public_id, merged.public_id, "xyz"):
        response, body = _get(client, f"/api/v1/lieux/{public_id}")
        assert response.status_code == 404
        assert body == {"erreurs": [f"Aucun lieu publié ne porte l'identifiant « {public_id} »."]}


@pytest.mark.django_db
def test_responses_are_cacheable_open_to_other_origins_and_set_no_cookie(client: Client) -> None:
    place = create_place(nom="EPN")

    for url in (
        "/api/v1/lieux",
        "/api/v1/lieux?page=x",
        f"/api/v1/lieux/{place.public_id}",
        f"/api/v1/lieux/{uuid.uuid4()}",
        "/api/v1/openapi.json",
    ):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=60", url
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert response["Content-Type"] == "application/json", url
        assert not response.cookies, url


@pytest.mark.django_db
def test_signed_in_users_get_the_same_public_answer(client: Client) -> None:
    create_place(nom="EPN")
    client.force_login(UserFactory.create())

    response, body = _get(client, "/api/v1/lieux")

    assert response.status_code == 200
    assert body["count"] == 1


@pytest.mark.django_db
def test_it_refuses_writes(client: Client) -> None:
    assert client.post("/api/v1/lieux").status_code == 405


@pytest.mark.django_db
def test_a_page_costs_a_bounded_number_of_queries(
    client: Client, laval: None, django_assert_max_num_queries: Any
) -> None:
    for index in range(60):
        create_place(
            nom=f"Lieu {index}",
            code_insee="53130",
            latitude=LAVAL[0] + index / 1000,
            services=("aide_demarches",),
            horaires="Mo-Fr 09:00-12:00" if index % 2 else "Sa 10:00-12:00",
        )

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/lieux?q=53000&services=aide_demarches&ouvert_week_end=1")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/lieux?services=aide_demarches&page=2")

    assert json.loads(response.content)["count"] == 30
