import datetime as dt
import io
import json

import pytest
from data_inclusion.schema.v1 import (  # type: ignore[import-untyped]  # no py.typed marker
    Service,
    Structure,
)

from maillon.places.exporting.data_inclusion import (
    export_data_inclusion,
    export_place,
    modes_mobilisation_of,
    publics_of,
    service_of,
    service_type,
    structure_of,
    thematiques_of,
    write_data_inclusion_json,
)
from maillon.places.models import Place
from tests.factories.places import place_data
from tests.places.export_support import generated_places

TODAY = dt.date(2026, 11, 1)


def test_every_generated_place_gives_a_valid_structure_and_service() -> None:
    places = generated_places(400, seed=7)

    result = export_data_inclusion(places, today=TODAY)

    assert result.rejected == []
    assert len(result.structures) == len(result.services) == 400
    for structure, service in zip(result.structures, result.services, strict=True):
        Structure.model_validate(structure)
        Service.model_validate(service)
        assert structure["id"] == service["id"] == service["structure_id"]
        assert structure["id"].startswith("maillon--")
        assert structure["source"] == service["source"] == "maillon"


def test_the_json_file_holds_structures_and_services() -> None:
    out = io.StringIO()

    written, rejected = write_data_inclusion_json(generated_places(30), out, today=TODAY)

    payload = json.loads(out.getvalue())
    assert (written, rejected) == (30, [])
    assert len(payload["structures"]) == len(payload["services"]) == 30


@pytest.mark.parametrize(
    ("publics", "prises", "expected"),
    [
        ((), (), ["tous-publics"]),
        (("jeunes", "femmes"), (), ["femmes", "jeunes"]),
        (("familles", "etudiants", "seniors"), (), ["etudiants", "familles", "seniors"]),
        ((), ("surdite", "handicaps_moteurs"), ["personnes-en-situation-de-handicap"]),
        ((), ("langues_anglais",), ["personnes-exilees"]),
        ((), ("illettrisme",), ["tous-publics"]),
        (("jeunes",), ("deficience_visuelle",), ["jeunes", "personnes-en-situation-de-handicap"]),
    ],
)
def test_it_applies_the_intended_publics_table(
    publics: tuple[str, ...], prises: tuple[str, ...], expected: list[str]
) -> None:
    data = place_data(publics_specifiquement_adresses=publics, prise_en_charge_specifique=prises)

    assert publics_of(data) == expected


def test_it_keeps_publics_and_prises_en_charge_as_text() -> None:
    data = place_data(
        publics_specifiquement_adresses=("jeunes",), prise_en_charge_specifique=("illettrisme",)
    )

    assert service_of("maillon--x", data, today=TODAY)["publics_precisions"] == (
        "Jeunes, Illettrisme"
    )


def test_it_maps_services_to_thematiques() -> None:
    assert thematiques_of(["aide_demarches", "acces_materiel"]) == [
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "numerique--acceder-a-des-services-en-ligne",
        "numerique--acceder-a-une-connexion-internet",
        "numerique--acquerir-un-equipement",
    ]
    assert thematiques_of(["parentalite"]) == [
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ]


@pytest.mark.parametrize(
    ("modalites", "expected"),
    [
        (("individuel", "atelier_collectif", "en_autonomie"), "aide-materielle"),
        (("individuel", "atelier_collectif"), "atelier"),
        (("individuel", "a_distance"), "accompagnement"),
        (("a_distance",), None),
        ((), None),
    ],
)
def test_the_service_type_follows_the_priority(
    modalites: tuple[str, ...], expected: str | None
) -> None:
    assert service_type(modalites) == expected


def test_remote_support_adds_a_distance_beside_en_presentiel() -> None:
    remote = service_of("i", place_data(modalites_accompagnement=("a_distance",)), today=TODAY)
    on_site = service_of("i", place_data(modalites_accompagnement=("individuel",)), today=TODAY)
    unknown = service_of("i", place_data(modalites_accompagnement=()), today=TODAY)

    assert remote["modes_accueil"] == ["a-distance", "en-presentiel"]
    assert on_site["modes_accueil"] == ["en-presentiel"]
    assert unknown["modes_accueil"] is None


def test_modes_mobilisation_come_from_modalites_acces_or_from_the_contacts() -> None:
    given = place_data(modalites_acces=("fiche_prescription", "se_presenter", "rdv_en_ligne"))
    derived = place_data(
        telephone="+33243000000", courriels=("a@b.fr",), prise_rdv="https://rdv.fr/"
    )

    assert modes_mobilisation_of(given) == [
        "envoyer-un-courriel",
        "se-presenter",
        "utiliser-lien-mobilisation",
    ]
    assert modes_mobilisation_of(derived) == [
        "envoyer-un-courriel",
        "telephoner",
        "utiliser-lien-mobilisation",
    ]
    assert modes_mobilisation_of(place_data()) is None


def test_frais_reseaux_zone_and_fallbacks() -> None:
    data = place_data(
        frais_a_charge=("payant", "gratuit_sous_condition"),
        dispositif_programmes_nationaux=("france_services", "certification_pix", "aidants_connect"),
        code_insee="97411",
        presentation_detail="",
        presentation_resume="",
        services=("comprehension", "aide_demarches"),
        nom="Médiathèque.",
        pivot="W123456789",
    )
    structure = structure_of("maillon--x", data, today=TODAY)
    service = service_of("maillon--x", data, today=TODAY)

    assert service["frais"] == "gratuit"
    assert service["frais_precisions"] == "Gratuit sous condition"
    assert structure["reseaux_porteurs"] == ["aidants-connect", "france-service"]
    assert service["zone_eligibilite"] == ["974"]
    assert service["nom"] == "Service d'accompagnement au numérique"
    assert service["description"] == (
        "Compréhension du monde numérique, Aide aux démarches administratives"
    )
    assert service["mobilisable_par"] == ["professionnels", "usagers"]
    assert structure["nom"] == "Médiathèque"
    assert structure["siret"] is None
    assert structure["description"] is None


def test_an_approximate_position_is_not_exported() -> None:
    data = place_data(location_precision="commune")

    assert structure_of("i", data, today=TODAY)["latitude"] is None
    assert service_of("i", data, today=TODAY)["longitude"] is None


def test_a_place_that_cannot_validate_is_reported_not_written() -> None:
    data = place_data(date_maj=dt.date(1999, 1, 1))
    place = Place(nom=data.nom, date_maj=data.date_maj)
    place.apply(data)

    result = export_place(place, today=TODAY)

    assert not isinstance(result, tuple)
    assert any("date_maj" in error for error in result.errors)
