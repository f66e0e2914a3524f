# ruff: noqa: RUF001, RUF002 — typographic apostrophes are part of the reference labels.
"""Every enumeration against activites-et-beneficiaires.md §1.1–1.8: codes and exact labels."""

import pytest
from django.db import models

from maillon.activities.vocabulary import (
    AUTONOMIE_STARS,
    DURATION_PRESETS,
    THEMATIQUES_ADMINISTRATIVES,
    THEMATIQUES_MEDIATION,
    TYPE_ACTIVITE_PLURAL_LABELS,
    Autonomie,
    DurationBucket,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    Thematique,
    TypeActivite,
    TypeLieu,
    duration_bucket_of,
)

MEDIATION = [
    ("diagnostic_numerique", "Diagnostic numérique"),
    ("prendre_en_main_du_materiel", "Prendre en main du matériel"),
    ("maintenance_de_materiel", "Maintenance de matériel"),
    ("gere_ses_contenus_numeriques", "Gérer ses contenus numériques"),
    ("navigation_sur_internet", "Navigation sur internet"),
    ("email", "E-mail"),
    ("bureautique", "Bureautique"),
    ("reseaux_sociaux", "Réseaux sociaux communication"),
    ("sante", "Santé"),
    ("banque_et_achats_en_ligne", "Banque et achats en ligne"),
    ("entrepreneuriat", "Accompagner un professionnel"),
    ("insertion_professionnelle", "Insertion professionnelle"),
    ("securite_numerique", "Prévention en sécurité numérique"),
    ("parentalite", "Parentalité"),
    ("scolarite_et_numerique", "Scolarité et numérique"),
    ("creer_avec_le_numerique", "Créer avec le numérique"),
    ("culture_numerique", "Culture numérique"),
    ("intelligence_artificielle", "Intelligence artificielle (IA)"),
    ("aide_aux_demarches_administratives", "Aide aux démarches administratives"),
]
ADMINISTRATIVE = [
    ("papiers_elections_citoyennete", "Papiers - Élections - Citoyenneté"),
    ("famille_scolarite", "Famille - Scolarité"),
    ("social_sante", "Social - Santé"),
    ("travail_formation", "Travail - Formation - Entreprise"),
    ("logement", "Logement"),
    ("transports_mobilite", "Transports - Mobilité"),
    ("argent_impots", "Argent - Impôts"),
    ("justice", "Justice"),
    ("etrangers_europe", "Étrangers - Europe"),
    ("loisirs_sports_culture", "Loisirs - Sports - Culture"),
    ("associations", "Associations"),
]

REFERENCE: list[tuple[type[models.TextChoices], list[tuple[str, str]]]] = [
    (
        TypeActivite,
        [("individuel", "Accompagnement individuel"), ("collectif", "Atelier collectif")],
    ),
    (
        TypeLieu,
        [
            ("lieu_activite", "Lieu d’activité"),
            ("domicile", "À domicile"),
            ("a_distance", "À distance"),
            ("autre", "Autre lieu"),
        ],
    ),
    (
        Materiel,
        [
            ("ordinateur", "Ordinateur"),
            ("telephone", "Téléphone"),
            ("tablette", "Tablette"),
            ("autre", "Autre"),
            ("aucun", "Pas de matériel"),
        ],
    ),
    (Thematique, MEDIATION + ADMINISTRATIVE),
    (
        Autonomie,
        [
            ("entierement_accompagne", "Avec guidage"),
            ("partiellement_autonome", "Autonome avec guidage en cas de besoin"),
            ("autonome", "Autonome"),
        ],
    ),
    (
        StructureRedirection,
        [
            ("administration", "Administration (mairie, préfecture…)"),
            ("mediation_numerique", "Autre structure de médiation numérique"),
            (
                "operateur_ou_organisme_en_charge",
                "Opérateur ou organisme en charge de la démarche administrative",
            ),
            ("aide_sociale", "Structure d’aide sociale (maison des solidarités, centre social…)"),
            (
                "insertion_professionnelle",
                "Structure d’insertion professionnelle (France Travail, mission locale, "
                "chambre de commerce…)",
            ),
            (
                "aide_aux_demarches_administratives",
                "Structure d’aide aux démarches administratives (France Services…)",
            ),
            ("autre", "Autre"),
        ],
    ),
    (
        NiveauAtelier,
        [("debutant", "Débutant"), ("intermediaire", "Intermédiaire"), ("avance", "Avancé")],
    ),
    (
        DurationBucket,
        [
            ("moins_de_30_min", "Moins de 30 min"),
            ("de_30_min_a_1_h", "30min à 1 h"),
            ("de_1_h_a_2_h", "1 h à 2 h"),
            ("plus_de_2_h", "2 h et plus"),
        ],
    ),
]


@pytest.mark.parametrize(("enum", "expected"), REFERENCE, ids=lambda v: getattr(v, "__name__", ""))
def test_it_uses_the_reference_codes_and_labels_in_order(
    enum: type[models.TextChoices], expected: list[tuple[str, str]]
) -> None:
    assert [(value, str(label)) for value, label in enum.choices] == expected


def test_it_separates_19_mediation_and_11_administrative_thematiques() -> None:
    assert tuple(code for code, _label in MEDIATION) == THEMATIQUES_MEDIATION
    assert {code for code, _label in ADMINISTRATIVE} == THEMATIQUES_ADMINISTRATIVES
    assert len(THEMATIQUES_MEDIATION) == 19
    assert len(THEMATIQUES_ADMINISTRATIVES) == 11


def test_it_labels_types_in_the_plural_for_statistics() -> None:
    assert TYPE_ACTIVITE_PLURAL_LABELS == {
        "individuel": "Accompagnements individuels",
        "collectif": "Participants aux ateliers",
    }


def test_it_shows_autonomy_as_one_to_three_stars() -> None:
    assert AUTONOMIE_STARS == {
        "entierement_accompagne": 1,
        "partiellement_autonome": 2,
        "autonome": 3,
    }


def test_it_offers_the_reference_duration_presets() -> None:
    assert DURATION_PRESETS == (15, 30, 45, 60, 90, 120)


@pytest.mark.parametrize(
    ("minutes", "bucket"),
    [
        (0, "moins_de_30_min"),
        (30, "moins_de_30_min"),
        (31, "de_30_min_a_1_h"),
        (60, "de_30_min_a_1_h"),
        (61, "de_1_h_a_2_h"),
        (120, "de_1_h_a_2_h"),
        (121, "plus_de_2_h"),
    ],
)
def test_it_buckets_durations_with_closed_upper_bounds(minutes: int, bucket: str) -> None:
    assert duration_bucket_of(minutes) == bucket
