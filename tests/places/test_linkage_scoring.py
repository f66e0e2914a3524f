"""Scoring and clustering on hand-built records (doublons.md §7 hard cases), no database."""

from typing import Any

from maillon.places.linkage.clustering import DOUBLON, NON_DOUBLON, build_clusters
from maillon.places.linkage.normalise import (
    Entry,
    address_key,
    entry_of,
    name_key,
    phone_key,
    siret_key,
)
from maillon.places.linkage.pipeline import link
from maillon.places.linkage.scoring import AUTO_MERGE, DISTINCT, REVIEW, score_pair
from maillon.places.record import LocationPrecision
from tests.factories.places import place_data

SIRET = "21530130000017"


def entry(pk: int, source: str = "a", **fields: Any) -> Entry:
    values: dict[str, Any] = {"code_insee": "53130", "telephone": "", "pivot": ""}
    values.update(fields)
    return entry_of(pk, source, f"id-{pk}", place_data(**values))


def test_it_canonicalises_administrative_prefixes_and_abbreviations() -> None:
    assert name_key("Mairie de Laval") == name_key("Commune de Laval") == "ville laval"
    assert name_key("Ville de St-Berthevin") == name_key("Mairie de Saint Berthevin")
    assert name_key("ASSOC. Les Amis") == "association amis"
    assert name_key("MÉDIATHÈQUE  Jean-Macé") == name_key("mediatheque jean mace")


def test_it_normalises_addresses_phones_and_pivots() -> None:
    assert address_key("12bis av. de la République") == address_key("12 Avenue République")
    assert phone_key("05 57 65 75 39") == phone_key("0033 5.57.65.75.39") == "+33557657539"
    assert phone_key("") == ""
    assert siret_key("00000000000000") == ""
    assert siret_key("W123456789") == ""
    assert siret_key(SIRET) == SIRET


def test_it_merges_prefix_variants_with_a_strong_identifier() -> None:
    a = entry(1, nom="Mairie de Laval", pivot=SIRET, telephone="02 43 49 43 00")
    b = entry(2, "b", nom="Commune de Laval", pivot=SIRET, telephone="+33243494300")
    assert score_pair(a, b).outcome == AUTO_MERGE


def test_it_ignores_case_and_accents() -> None:
    a = entry(1, nom="ESPACE PUBLIC NUMÉRIQUE DE LAVAL", telephone="0243494300")
    b = entry(2, "b", nom="Espace public numerique de Laval", telephone="02 43 49 43 00")
    result = score_pair(a, b)
    assert result.signals["scores"]["nom"] == 1.0
    assert result.outcome == AUTO_MERGE


def test_it_treats_missing_coordinates_as_no_evidence() -> None:
    nowhere: dict[str, Any] = {"latitude": None, "longitude": None}
    a = entry(1, nom="Cyber Espace", adresse="", **nowhere)
    b = entry(2, "b", nom="Maison France Services", adresse="", **nowhere)
    result = score_pair(a, b)
    assert "distance" not in result.signals["scores"]
    assert result.outcome == DISTINCT
    centroid: dict[str, Any] = {"location_precision": LocationPrecision.COMMUNE.value}
    c = entry(3, nom="Cyber Espace", adresse="", **centroid)
    d = entry(4, "b", nom="Maison France Services", adresse="", **centroid)
    assert "distance" not in score_pair(c, d).signals["scores"]
    assert score_pair(c, d).outcome == DISTINCT


def test_it_never_auto_merges_an_epn_with_its_town_hall() -> None:
    mairie = entry(1, nom="Mairie de Laval", pivot=SIRET, telephone="0243494300")
    epn = entry(2, "b", nom="EPN de Laval", pivot=SIRET, telephone="0243494300")
    result = score_pair(mairie, epn)
    assert "services_incompatibles" in result.signals["garde_fous"]
    assert result.outcome == DISTINCT


def test_it_keeps_same_siret_different_services_apart() -> None:
    media = entry(1, nom="Médiathèque municipale", pivot=SIRET, adresse="3 place Hardy de Lévaré")
    ccas = entry(2, "b", nom="CCAS", pivot=SIRET, adresse="3 place Hardy de Lévaré")
    result = score_pair(media, ccas)
    assert "meme_siret_noms_differents" in result.signals["garde_fous"]
    assert result.outcome != AUTO_MERGE


def test_it_sends_head_office_and_antenna_in_different_communes_to_review_at_most() -> None:
    head = entry(1, nom="France Services Pays de Craon", code_insee="53084", pivot=SIRET)
    antenna = entry(
        2,
        "b",
        nom="France Services Pays de Craon",
        code_insee="53062",
        pivot=SIRET,
        latitude=47.85,
        longitude=-0.95,
    )
    result = score_pair(head, antenna)
    assert "communes_differentes" in result.signals["garde_fous"]
    assert result.outcome in {REVIEW, DISTINCT}


def test_it_measures_distance_in_metres() -> None:
    a = entry(1, nom="Fablab", adresse="1 rue A")
    b = entry(2, "b", nom="Fablab", adresse="99 boulevard B", latitude=48.0706 + 0.003)
    result = score_pair(a, b)
    assert 300 < result.signals["distance_m"] < 360


def test_it_refuses_to_chain_clusters_without_a_majority() -> None:
    outcomes = {(0, 1): (0.9, AUTO_MERGE), (1, 2): (0.9, AUTO_MERGE), (2, 3): (0.9, AUTO_MERGE)}
    clusters = build_clusters(4, outcomes, {})
    assert [0, 1, 2, 3] not in clusters


def test_it_lets_human_decisions_override_outcomes() -> None:
    outcomes = {(0, 1): (0.95, AUTO_MERGE), (1, 2): (0.5, DISTINCT)}
    clusters = build_clusters(3, outcomes, {(0, 1): NON_DOUBLON, (1, 2): DOUBLON})
    assert clusters == [[0], [1, 2]]


def test_it_links_a_realistic_set_through_blocking() -> None:
    entries = [
        entry(1, nom="Mairie de Laval", pivot=SIRET, telephone="0243494300"),
        entry(2, "b", nom="Ville de Laval", pivot=SIRET, telephone="02 43 49 43 00"),
        entry(3, "b", nom="Médiathèque Jacques Demy", pivot=SIRET, adresse="2 rue Jean Macé"),
    ]
    linkage = link(entries, {})
    assert linkage.clusters == [[0, 1], [2]]
