import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.http import QueryDict

from maillon.places.models import Place
from maillon.places.opening_hours import is_open_at, timezone_for
from maillon.places.record import LocationPrecision
from maillon.places.search import (
    PlaceFilters,
    SearchResult,
    bounding_box,
    haversine_m,
    published,
    search,
)
from maillon.territory.models import Commune
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, DepartementFactory, PostalCodeFactory

PARIS = ZoneInfo("Europe/Paris")
MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
LAVAL = (48.0706, -0.7734)
CHANGE = (48.0990, -0.7903)  # about 3.4 km north of Laval
MAYENNE = (48.3033, -0.6136)  # about 28 km north-east


def _filters(**params: str) -> PlaceFilters:
    filters, errors = PlaceFilters.from_query(params)
    assert errors == []
    return filters


def _names(result: SearchResult) -> list[str]:
    return [place.nom for place in result.places]


def _commune(code: str, name: str, point: tuple[float, float], postal: str = "") -> Commune:
    commune = CommuneFactory.create(
        code_insee=code,
        name=name,
        latitude=point[0],
        longitude=point[1],
        town_hall_latitude=point[0],
        town_hall_longitude=point[1],
    )
    if postal:
        PostalCodeFactory.create(code=postal, commune=commune)
    return commune


@pytest.fixture
def communes() -> dict[str, Commune]:
    return {
        "laval": _commune("53130", "Laval", LAVAL, "53000"),
        "change": _commune("53054", "Changé", CHANGE, "53810"),
        "mayenne": _commune("53147", "Mayenne", MAYENNE, "53100"),
    }


def _at(point: tuple[float, float], code: str, nom: str, **fields: Any) -> Place:
    return create_place(nom=nom, latitude=point[0], longitude=point[1], code_insee=code, **fields)


def _north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    return (point[0] + km / 111.195, point[1])


@pytest.mark.django_db
def test_it_ors_values_within_a_filter_and_ands_filters() -> None:
    create_place(nom="Démarches gratuit", services=("aide_demarches",), frais_a_charge=("gratuit",))
    create_place(nom="Matériel payant", services=("acces_materiel",), frais_a_charge=("payant",))
    create_place(
        nom="Loisirs gratuit", services=("loisirs_creations",), frais_a_charge=("gratuit",)
    )

    either = search(_filters(services="aide_demarches,acces_materiel"))
    both = search(_filters(services="aide_demarches,acces_materiel", frais="gratuit"))

    assert _names(either) == ["Démarches gratuit", "Matériel payant"]
    assert _names(both) == ["Démarches gratuit"]


@pytest.mark.django_db
def test_it_accepts_repeated_parameters_as_well_as_commas() -> None:
    create_place(nom="A", services=("aide_demarches",))
    create_place(nom="B", services=("acces_materiel",))
    create_place(nom="C", services=("loisirs_creations",))

    filters, errors = PlaceFilters.from_query(
        QueryDict("services=aide_demarches&services=acces_materiel")
    )

    assert errors == []
    assert _names(search(filters)) == ["A", "B"]


@pytest.mark.django_db
def test_langues_etrangeres_finds_english_and_other_languages() -> None:
    create_place(nom="Anglais", prise_en_charge_specifique=("langues_anglais",))
    create_place(nom="Autres", prise_en_charge_specifique=("langues_autres",))
    create_place(nom="Surdité", prise_en_charge_specifique=("surdite",))

    result = search(_filters(prises_en_charge="langues_etrangeres"))

    assert _names(result) == ["Anglais", "Autres"]
    assert [active.text for active in result.active] == [
        "Prise en charge spécifique : Langues étrangères (anglais ou autres)"
    ]


@pytest.mark.django_db
def test_frr_finds_places_labelled_frr_or_legacy_zrr_and_qpv_its_own() -> None:
    create_place(nom="FRR", autres_formations_labels=("FRR",))
    create_place(nom="ZRR", autres_formations_labels=("ZRR",))
    create_place(nom="QPV", autres_formations_labels=("QPV",))
    create_place(nom="Aucun")

    assert _names(search(_filters(frr="1"))) == ["FRR", "ZRR"]
    assert _names(search(_filters(qpv="oui"))) == ["QPV"]


@pytest.mark.django_db
def test_it_keeps_places_with_a_booking_link_and_of_a_source() -> None:
    create_place(nom="RDV", prise_rdv="https://rdv.example.fr", source="Hubik")
    create_place(nom="Sans RDV", source="Hubik")
    create_place(nom="Autre source", prise_rdv="https://rdv.example.fr", source="Coop")

    assert _names(search(_filters(prise_rdv="1"))) == ["Autre source", "RDV"]
    assert _names(search(_filters(source="Hubik"))) == ["RDV", "Sans RDV"]


@pytest.mark.django_db
def test_it_never_lists_private_merged_or_retired_places() -> None:
    create_place(nom="Public")
    create_place(nom="Privé", modalites_acces=("pas_de_public",))
    retired = create_place(nom="Retiré")
    Place.objects.filter(pk=retired.pk).update(retired_at=MONDAY_10AM)

    assert _names(search(PlaceFilters())) == ["Public"]


@pytest.mark.django_db
def test_a_commune_search_lists_the_commune_and_its_neighbours_by_distance(
    communes: dict[str, Commune],
) -> None:
    _at(_north_of(LAVAL, 1), "53130", "Laval à 1 km")
    _at(LAVAL, "53130", "Laval centre")
    _at(CHANGE, "53054", "Changé")
    _at(MAYENNE, "53147", "Mayenne")

    result = search(_filters(q="laval"))

    assert _names(result) == ["Laval centre", "Laval à 1 km", "Changé"]
    assert result.center == LAVAL
    assert result.center_label == "Laval (53130)"
    distances = [result.distances[place.pk] for place in result.places]
    assert distances[0] == pytest.approx(0, abs=1)
    assert distances[1] == pytest.approx(1000, rel=0.01)
    assert 3000 < distances[2] < 4000


@pytest.mark.django_db
def test_a_postal_code_search_centres_on_its_commune(communes: dict[str, Commune]) -> None:
    _at(CHANGE, "53054", "Changé")
    _at(MAYENNE, "53147", "Mayenne")

    assert _names(search(_filters(q="53100"))) == ["Mayenne"]
    assert _names(search(_filters(q="53100", rayon="40"))) == ["Mayenne", "Changé"]


@pytest.mark.django_db
def test_approximate_positions_have_no_distance_and_come_after_precise_ones(
    communes: dict[str, Commune],
) -> None:
    approximate = _at(
        LAVAL, "53130", "Approximatif", location_precision=LocationPrecision.COMMUNE.value
    )
    _at(CHANGE, "53054", "Changé précis")

    result = search(_filters(lat=str(LAVAL[0]), lon=str(LAVAL[1])))

    assert _names(result) == ["Changé précis", "Approximatif"]
    assert approximate.pk not in result.distances


@pytest.mark.django_db
def test_an_approximate_place_outside_the_radius_is_left_out(communes: dict[str, Commune]) -> None:
    _at(MAYENNE, "53147", "Mayenne approximatif", location_precision="commune")

    assert _names(search(_filters(lat=str(LAVAL[0]), lon=str(LAVAL[1])))) == []


@pytest.mark.django_db
def test_the_radius_edge_is_exact() -> None:
    inside = _north_of(LAVAL, 4.98)
    outside = _north_of(LAVAL, 5.02)
    create_place(nom="Dedans", latitude=inside[0], longitude=inside[1])
    create_place(nom="Dehors", latitude=outside[0], longitude=outside[1])

    result = search(_filters(lat=str(LAVAL[0]), lon=str(LAVAL[1]), rayon="5"))

    assert _names(result) == ["Dedans"]


def test_the_bounding_box_contains_the_circle() -> None:
    south, north, west, east = bounding_box(LAVAL, 10_000)

    edges = haversine_m(
        np.array([south, north, LAVAL[0], LAVAL[0]]),
        np.array([LAVAL[1], LAVAL[1], west, east]),
        LAVAL,
    )

    assert all(edges >= 10_000)


@pytest.mark.django_db
def test_open_now_and_weekend_use_the_hours_and_exclude_places_without_them() -> None:
    create_place(nom="Semaine", horaires="Mo-Fr 09:00-12:00")
    create_place(nom="Après-midi", horaires="Mo-Fr 14:00-17:00")
    create_place(nom="Samedi", horaires="Sa 09:00-12:00")
    create_place(nom="Sans horaires", horaires="")

    open_now = search(_filters(ouvert_maintenant="1"), now=MONDAY_10AM)
    weekend = search(_filters(ouvert_week_end="1"), now=MONDAY_10AM)

    assert _names(open_now) == ["Semaine"]
    assert _names(weekend) == ["Samedi"]
    everything = search(PlaceFilters(), now=MONDAY_10AM)
    assert {place.nom: everything.open_now.get(place.pk) for place in everything.places} == {
        "Après-midi": False,
        "Samedi": False,
        "Sans horaires": None,
        "Semaine": True,
    }


SAINT_DENIS_REUNION = (-20.8821, 55.4507)
# 09:00 UTC: 10:00 in Paris, 13:00 in La Réunion (UTC+4, no summer time).
MORNING = "Mo-Fr 09:00-11:00"
LUNCHTIME = "Mo-Fr 12:00-14:00"


@pytest.fixture
def reunion() -> Commune:
    departement = DepartementFactory.create(code="974", name="La Réunion")
    return CommuneFactory.create(
        code_insee="97411",
        name="Saint-Denis",
        departement=departement,
        latitude=SAINT_DENIS_REUNION[0],
        longitude=SAINT_DENIS_REUNION[1],
    )


@pytest.mark.django_db
def test_open_now_evaluates_each_place_in_its_own_time_zone(
    communes: dict[str, Commune], reunion: Commune
) -> None:
    _at(LAVAL, "53130", "Laval matin", horaires=MORNING)
    _at(LAVAL, "53130", "Laval midi", horaires=LUNCHTIME)
    _at(SAINT_DENIS_REUNION, "97411", "Réunion matin", horaires=MORNING)
    _at(SAINT_DENIS_REUNION, "97411", "Réunion midi", horaires=LUNCHTIME)
    create_place(nom="Sans commune matin", horaires=MORNING)

    everywhere = search(_filters(ouvert_maintenant="1"), now=MONDAY_10AM)
    near_reunion = search(
        _filters(lat=str(reunion.latitude), lon=str(reunion.longitude), ouvert_maintenant="1"),
        now=MONDAY_10AM,
    )
    in_reunion = search(_filters(territoire="dep:974", ouvert_maintenant="1"), now=MONDAY_10AM)
    listed = search(PlaceFilters(), now=MONDAY_10AM)

    assert _names(everywhere) == ["Laval matin", "Réunion midi", "Sans commune matin"]
    assert _names(near_reunion) == ["Réunion midi"]
    assert _names(in_reunion) == ["Réunion midi"]
    # The badge of every listed place says what its detail page says.
    assert {place.nom: listed.open_now[place.pk] for place in listed.places} == {
        place.nom: is_open_at(
            place.horaires, MONDAY_10AM, tz=timezone_for(place.commune_ref_id or "")
        )
        for place in listed.places
    }
    assert [name for name, is_open in _badges(listed).items() if is_open] == [
        "Laval matin",
        "Réunion midi",
        "Sans commune matin",
    ]


@pytest.mark.django_db
def test_the_weekend_filter_starts_from_the_places_own_date(reunion: Commune) -> None:
    # Friday 21:30 in Paris is already Saturday 00:30 in La Réunion, whose « next weekend »
    # is then the following one (the national map's rule on a Saturday).
    friday_night = dt.datetime(2026, 11, 27, 21, 30, tzinfo=PARIS)
    create_place(nom="Paris samedi 28", horaires="Nov 28 09:00-12:00")
    create_place(nom="Réunion samedi 28", horaires="Nov 28 09:00-12:00", code_insee="97411")
    create_place(nom="Réunion samedi 5", horaires="Dec 05 09:00-12:00", code_insee="97411")
    create_place(nom="Paris samedi 5", horaires="Dec 05 09:00-12:00")

    weekend = search(_filters(ouvert_week_end="1"), now=friday_night)
    in_reunion = search(_filters(q="Saint-Denis", rayon="5", ouvert_week_end="1"), now=friday_night)

    assert _names(weekend) == ["Paris samedi 28", "Réunion samedi 5"]
    assert _names(in_reunion) == ["Réunion samedi 5"]


def _badges(result: SearchResult) -> dict[str, bool]:
    return {place.nom: result.open_now[place.pk] for place in result.places}


@pytest.mark.django_db
def test_it_filters_by_territory_and_commune(communes: dict[str, Commune]) -> None:
    other = DepartementFactory.create(code="49", name="Maine-et-Loire")
    CommuneFactory.create(code_insee="49007", name="Angers", departement=other)
    _at(LAVAL, "53130", "Laval")
    _at(CHANGE, "53054", "Changé")
    create_place(nom="Angers", code_insee="49007")

    assert _names(search(_filters(territoire="dep:53"))) == ["Changé", "Laval"]
    assert _names(search(_filters(territoire="dep:49,com:53054"))) == ["Angers", "Changé"]
    assert _names(search(_filters(commune="53130"))) == ["Laval"]


@pytest.mark.django_db
def test_it_paginates() -> None:
    for letter in "ABCDE":
        create_place(nom=letter)

    result = search(_filters(page="2", par_page="2"))

    assert _names(result) == ["C", "D"]
    assert (result.total, result.pages, result.has_previous, result.has_next) == (5, 3, True, True)
    assert _names(search(_filters(page="9", par_page="2"))) == []


@pytest.mark.django_db
def test_it_explains_bad_values_in_french_and_ignores_them() -> None:
    filters, errors = PlaceFilters.from_query(
        {
            "services": "aide_demarches,teleportation",
            "rayon": "500",
            "lat": "48.07",
            "ouvert_maintenant": "peut-être",
            "page": "deux",
            "par_page": "1000",
            "commune": "ABCDE",
            "territoire": "pays:fr",
        }
    )

    assert filters.services == ("aide_demarches",)
    assert (filters.rayon, filters.lat, filters.page, filters.par_page) == (10.0, None, 1, 50)
    assert errors[0].startswith("commune : « ABCDE » n'est pas un code INSEE valide")
    joined = "\n".join(errors)
    for fragment in (
        "rayon : « 500 » dépasse le maximum (100)",
        "services : « teleportation » n'est pas une valeur connue",
        "ouvert_maintenant : « peut-être » n'est pas reconnu",
        "page : « deux » n'est pas un nombre entier",
        "par_page : « 1000 » dépasse le maximum (200)",
        "territoire : Territoire « pays:fr » non reconnu",
        "lat et lon : indiquez les deux coordonnées ensemble",
    ):
        assert fragment in joined
    assert len(errors) == 8


@pytest.mark.django_db
def test_an_unknown_commune_gives_no_result_and_says_why() -> None:
    create_place(nom="A")

    result = search(_filters(q="Atlantide"))

    assert result.places == []
    assert result.errors == ["q : aucune commune ne correspond à « Atlantide »."]


@pytest.mark.django_db
def test_the_query_string_gives_the_same_filters_back(communes: dict[str, Commune]) -> None:
    filters = _filters(
        q="Laval",
        rayon="5",
        services="aide_demarches,acces_materiel",
        prises_en_charge="langues_etrangeres",
        ouvert_week_end="1",
        territoire="dep:53",
        commune="53130",
        page="3",
    )

    again, errors = PlaceFilters.from_query(QueryDict(filters.query_string(with_page=True)))

    assert errors == []
    assert again == filters
    assert filters.query_string(page=2).endswith("&page=2")


@pytest.mark.django_db
def test_active_filters_remove_one_value_each(communes: dict[str, Commune]) -> None:
    filters = _filters(services="aide_demarches,acces_materiel", qpv="1")

    active = filters.active()

    assert [(item.text, item.remove_query) for item in active] == [
        ("Services : Aide aux démarches administratives", "services=acces_materiel&qpv=1"),
        ("Services : Accès internet et matériel informatique", "services=aide_demarches&qpv=1"),
        ("Quartier prioritaire de la ville (QPV)", "services=aide_demarches,acces_materiel"),
    ]


@pytest.mark.django_db
def test_a_search_costs_a_bounded_number_of_queries(
    communes: dict[str, Commune], django_assert_max_num_queries: Any
) -> None:
    for index in range(30):
        _at(_north_of(LAVAL, index / 10), "53130", f"Lieu {index}", services=("aide_demarches",))

    with django_assert_max_num_queries(4):
        result = search(
            _filters(q="Laval", services="aide_demarches", ouvert_maintenant="1"),
            now=MONDAY_10AM,
        )

    assert result.total == 30


@pytest.mark.django_db
def test_its_published_rows_are_the_models_published_rows() -> None:
    create_place(nom="Public")
    create_place(nom="Privé", modalites_acces=("pas_de_public",))
    kept = create_place(nom="Gardé")
    merged = create_place(nom="Absorbé")
    Place.objects.filter(pk=merged.pk).update(merged_into=kept)
    retired = create_place(nom="Retiré")
    Place.objects.filter(pk=retired.pk).update(retired_at=MONDAY_10AM)

    assert set(published()) == set(Place.objects.published())
    assert {place.nom for place in published()} == {"Public", "Gardé"}


@pytest.mark.django_db
def test_a_commune_name_is_found_without_accents_or_hyphens() -> None:
    _commune("42218", "Saint-Étienne", (45.4347, 4.3903))
    _commune("42999", "Saint-Étienne-le-Molard", (45.7333, 4.0833))
    create_place(nom="Médiathèque", code_insee="42218", latitude=45.4347, longitude=4.3903)

    result = search(_filters(q="saint etienne"))

    assert result.center_label == "Saint-Étienne (42218)"
    assert _names(result) == ["Médiathèque"]


@pytest.mark.django_db
def test_a_position_wins_over_a_commune_name(communes: dict[str, Commune]) -> None:
    _at(LAVAL, "53130", "Laval")
    _at(MAYENNE, "53147", "Mayenne")

    result = search(_filters(q="Laval", lat=str(MAYENNE[0]), lon=str(MAYENNE[1])))

    assert _names(result) == ["Mayenne"]
    assert result.center_label == "Autour de votre position"


@pytest.mark.django_db
def test_a_place_without_position_is_found_through_its_commune_only(
    communes: dict[str, Commune],
) -> None:
    create_place(
        nom="Sans position",
        code_insee="53054",
        latitude=None,
        longitude=None,
        location_precision="none",
    )
    _at(CHANGE, "53054", "Changé précis")

    assert _names(search(_filters(q="Changé"))) == ["Changé précis", "Sans position"]
    assert _names(search(_filters(q="Laval"))) == ["Changé précis"]


@pytest.mark.django_db
def test_a_large_territory_gives_the_same_places(
    communes: dict[str, Commune], monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(LAVAL, "53130", "Laval")
    _at(CHANGE, "53054", "Changé")
    monkeypatch.setattr("maillon.places.search.engine.MAX_LISTED_COMMUNES", 1)

    assert _names(search(_filters(territoire="dep:53"))) == ["Changé", "Laval"]


@pytest.mark.django_db
def test_q_also_takes_a_code_insee(communes: dict[str, Commune]) -> None:
    _at(LAVAL, "53130", "Laval")

    result = search(_filters(q="53130"))

    assert result.center_label == "Laval (53130)"
    assert _names(result) == ["Laval"]
