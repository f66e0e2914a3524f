import pytest

from maillon.places.exporting.territories import file_label, parse_territories, parse_territory
from maillon.places.models import Place
from tests.factories.places import create_place
from tests.factories.territory import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def _places() -> dict[str, Place]:
    laval = CommuneFactory.create(code_insee="53130", name="Laval")
    bretagne = RegionFactory.create(code="53", name="Bretagne")
    finistere = DepartementFactory.create(code="29", name="Finistère", region=bretagne)
    brest_epci = EpciFactory.create(siren="242900314", name="Brest Métropole")
    brest = CommuneFactory.create(
        code_insee="29019", name="Brest", departement=finistere, epci=brest_epci
    )
    return {
        "laval": create_place(nom="EPN Laval", code_insee=laval.code_insee),
        "brest": create_place(nom="EPN Brest", code_insee=brest.code_insee, commune="Brest"),
        "nowhere": create_place(nom="Sans commune"),
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("dep:53", {"laval"}),
        ("reg:52", {"laval"}),
        ("reg:53", {"brest"}),
        ("epci:242900314", {"brest"}),
        ("com:29019", {"brest"}),
        ("dep:53, com:29019", {"laval", "brest"}),
        ("DEP:29", {"brest"}),
    ],
)
def test_it_filters_places_through_their_commune(spec: str, expected: set[str]) -> None:
    places = _places()

    found = set(Place.objects.filter(parse_territory(spec)).values_list("nom", flat=True))

    assert found == {places[key].nom for key in expected}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "Territoire vide"),
        ("53", "non reconnu"),
        ("pays:fr", "non reconnu"),
        ("dep:5", "n'est pas un code de département valide"),
        ("epci:123", "SIREN d'EPCI"),
        ("dep:99", "aucun département ne porte le code « 99 »"),
        ("com:53999", "aucune commune"),
        ("dep:53,", "une valeur est vide"),
    ],
)
def test_it_refuses_a_bad_spec_in_french(spec: str, message: str) -> None:
    _places()

    with pytest.raises(ValueError, match=message):
        parse_territory(spec)


def test_the_file_label_is_unaccented_camel_case() -> None:
    _places()

    assert file_label(parse_territories("epci:242900314")) == "BrestMetropole"
    assert file_label(parse_territories("dep:29,dep:53")) == "Finistere-Mayenne"
    assert file_label([]) == "France"
