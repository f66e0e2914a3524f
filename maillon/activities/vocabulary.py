# ruff: noqa: RUF001, RUF002, RUF003 — typographic apostrophes are part of the reference labels.
"""Enumerations of activity reports (CRA), values and labels verbatim from La Coop.

Source: shared/domain/activites-et-beneficiaires.md §1.1–1.8. Lists stored as codes also get a
bit mask (bit = position in the enum, as in maillon.places.vocabulary), so members are only
ever **appended**, never reordered or removed.
"""

from django.db import models


class TypeActivite(models.TextChoices):
    INDIVIDUEL = "individuel", "Accompagnement individuel"
    COLLECTIF = "collectif", "Atelier collectif"


# Labels of the statistics, where a collective session counts its participants.
TYPE_ACTIVITE_PLURAL_LABELS: dict[str, str] = {
    TypeActivite.INDIVIDUEL: "Accompagnements individuels",
    TypeActivite.COLLECTIF: "Participants aux ateliers",
}


class TypeLieu(models.TextChoices):
    """« Canaux d’accompagnement » in exports and statistics."""

    LIEU_ACTIVITE = "lieu_activite", "Lieu d’activité"
    DOMICILE = "domicile", "À domicile"
    A_DISTANCE = "a_distance", "À distance"
    AUTRE = "autre", "Autre lieu"


# Place kinds whose commune is typed by the mediator (BAN); à distance takes the employer's.
TYPES_LIEU_WITH_COMMUNE = frozenset({TypeLieu.DOMICILE.value, TypeLieu.AUTRE.value})


class Materiel(models.TextChoices):
    ORDINATEUR = "ordinateur", "Ordinateur"
    TELEPHONE = "telephone", "Téléphone"
    TABLETTE = "tablette", "Tablette"
    AUTRE = "autre", "Autre"
    AUCUN = "aucun", "Pas de matériel"


class Thematique(models.TextChoices):
    """The 19 médiation numérique thématiques, then the 11 démarches administratives."""

    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique", "Diagnostic numérique"
    PRENDRE_EN_MAIN_DU_MATERIEL = "prendre_en_main_du_materiel", "Prendre en main du matériel"
    MAINTENANCE_DE_MATERIEL = "maintenance_de_materiel", "Maintenance de matériel"
    GERE_SES_CONTENUS_NUMERIQUES = "gere_ses_contenus_numeriques", "Gérer ses contenus numériques"
    NAVIGATION_SUR_INTERNET = "navigation_sur_internet", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    BUREAUTIQUE = "bureautique", "Bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux", "Réseaux sociaux communication"
    SANTE = "sante", "Santé"
    BANQUE_ET_ACHATS_EN_LIGNE = "banque_et_achats_en_ligne", "Banque et achats en ligne"
    ENTREPRENEURIAT = "entrepreneuriat", "Accompagner un professionnel"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", "Insertion professionnelle"
    SECURITE_NUMERIQUE = "securite_numerique", "Prévention en sécurité numérique"
    PARENTALITE = "parentalite", "Parentalité"
    SCOLARITE_ET_NUMERIQUE = "scolarite_et_numerique", "Scolarité et numérique"
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique", "Créer avec le numérique"
    CULTURE_NUMERIQUE = "culture_numerique", "Culture numérique"
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle", "Intelligence artificielle (IA)"
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = (
        "aide_aux_demarches_administratives",
        "Aide aux démarches administratives",
    )
    PAPIERS_ELECTIONS_CITOYENNETE = (
        "papiers_elections_citoyennete",
        "Papiers - Élections - Citoyenneté",
    )
    FAMILLE_SCOLARITE = "famille_scolarite", "Famille - Scolarité"
    SOCIAL_SANTE = "social_sante", "Social - Santé"
    TRAVAIL_FORMATION = "travail_formation", "Travail - Formation - Entreprise"
    LOGEMENT = "logement", "Logement"
    TRANSPORTS_MOBILITE = "transports_mobilite", "Transports - Mobilité"
    ARGENT_IMPOTS = "argent_impots", "Argent - Impôts"
    JUSTICE = "justice", "Justice"
    ETRANGERS_EUROPE = "etrangers_europe", "Étrangers - Europe"
    LOISIRS_SPORTS_CULTURE = "loisirs_sports_culture", "Loisirs - Sports - Culture"
    ASSOCIATIONS = "associations", "Associations"


# Selectable only together with « Aide aux démarches administratives » (§1.5).
THEMATIQUES_ADMINISTRATIVES = frozenset(
    {
        Thematique.PAPIERS_ELECTIONS_CITOYENNETE.value,
        Thematique.FAMILLE_SCOLARITE.value,
        Thematique.SOCIAL_SANTE.value,
        Thematique.TRAVAIL_FORMATION.value,
        Thematique.LOGEMENT.value,
        Thematique.TRANSPORTS_MOBILITE.value,
        Thematique.ARGENT_IMPOTS.value,
        Thematique.JUSTICE.value,
        Thematique.ETRANGERS_EUROPE.value,
        Thematique.LOISIRS_SPORTS_CULTURE.value,
        Thematique.ASSOCIATIONS.value,
    }
)
THEMATIQUES_MEDIATION = tuple(
    code for code in Thematique.values if code not in THEMATIQUES_ADMINISTRATIVES
)


class Autonomie(models.TextChoices):
    """Individual sessions only, shown as 1 to 3 stars."""

    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne", "Avec guidage"
    PARTIELLEMENT_AUTONOME = (
        "partiellement_autonome",
        "Autonome avec guidage en cas de besoin",
    )
    AUTONOME = "autonome", "Autonome"


AUTONOMIE_STARS: dict[str, int] = {
    Autonomie.ENTIEREMENT_ACCOMPAGNE: 1,
    Autonomie.PARTIELLEMENT_AUTONOME: 2,
    Autonomie.AUTONOME: 3,
}


class StructureRedirection(models.TextChoices):
    ADMINISTRATION = "administration", "Administration (mairie, préfecture…)"
    MEDIATION_NUMERIQUE = "mediation_numerique", "Autre structure de médiation numérique"
    OPERATEUR_OU_ORGANISME_EN_CHARGE = (
        "operateur_ou_organisme_en_charge",
        "Opérateur ou organisme en charge de la démarche administrative",
    )
    AIDE_SOCIALE = (
        "aide_sociale",
        "Structure d’aide sociale (maison des solidarités, centre social…)",
    )
    INSERTION_PROFESSIONNELLE = (
        "insertion_professionnelle",
        "Structure d’insertion professionnelle (France Travail, mission locale, chambre de "
        "commerce…)",
    )
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = (
        "aide_aux_demarches_administratives",
        "Structure d’aide aux démarches administratives (France Services…)",
    )
    AUTRE = "autre", "Autre"


class NiveauAtelier(models.TextChoices):
    """Collective sessions only, shown as 1 to 3 stars."""

    DEBUTANT = "debutant", "Débutant"
    INTERMEDIAIRE = "intermediaire", "Intermédiaire"
    AVANCE = "avance", "Avancé"


# The form's preset buttons; anything else is « Personnaliser » (0–23 h and 0–59 min).
DURATION_PRESETS: tuple[int, ...] = (15, 30, 45, 60, 90, 120)
MAX_DURATION_MINUTES = 23 * 60 + 59


class DurationBucket(models.TextChoices):
    MOINS_DE_30_MIN = "moins_de_30_min", "Moins de 30 min"
    DE_30_MIN_A_1_H = "de_30_min_a_1_h", "30min à 1 h"
    DE_1_H_A_2_H = "de_1_h_a_2_h", "1 h à 2 h"
    PLUS_DE_2_H = "plus_de_2_h", "2 h et plus"


def duration_bucket_of(minutes: int) -> DurationBucket:
    """[0, 30], ]30, 60], ]60, 120], > 120 (§1.3)."""
    if minutes <= 30:
        return DurationBucket.MOINS_DE_30_MIN
    if minutes <= 60:
        return DurationBucket.DE_30_MIN_A_1_H
    if minutes <= 120:
        return DurationBucket.DE_1_H_A_2_H
    return DurationBucket.PLUS_DE_2_H


class TagScope(models.TextChoices):
    PERSONAL = "personal", "Personnel"
    STRUCTURE = "structure", "Structure"
    TERRITORY = "territory", "Territoire"
