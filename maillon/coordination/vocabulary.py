# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Enumerations of coordination activities, values and labels verbatim from La Coop.

Source: shared/domain/activites-et-beneficiaires.md §2 and La Coop's `cra/coordination`,
`cra/animation`, `cra/evenement` and `cra/partenariat` labels. Codes are the reference's
values in lowercase snake case (`GroupeDeTravail` → `groupe_de_travail`).
"""

from django.db import models


class TypeActiviteCoordination(models.TextChoices):
    ANIMATION = "animation", "Animation"
    EVENEMENT = "evenement", "Évènement"
    PARTENARIAT = "partenariat", "Partenariat"


class EchelonTerritorial(models.TextChoices):
    COMMUNAL = "communal", "Communal"
    INTERCOMMUNAL = "intercommunal", "Intercommunal"
    DEPARTEMENTAL = "departemental", "Départemental"
    REGIONAL = "regional", "Régional"
    NATIONAL = "national", "National"


class TypeAnimation(models.TextChoices):
    ASSEMBLEE = (
        "assemblee",
        "Assemblée / présentation officielle (Ex : conseil municipal, conseil communautaire, "
        "conseil départemental, CA d’association)",
    )
    COMITE = "comite", "Comité technique / de pilotage"
    GROUPE_DE_TRAVAIL = "groupe_de_travail", "Groupe de travail"
    ECHANGE = "echange", "Moment d’échange / aide / soutien"
    REUNION_COORDINATION = (
        "reunion_coordination",
        "Réunion de coordination (coordinateurs, médiateurs et conseillers numériques, "
        "préfectures, Hubs...)",
    )
    WEBINAIRE = "webinaire", "Webinaire"
    AUTRE = "autre", "Autre"


class Initiative(models.TextChoices):
    INITIATIVE = "initiative", "Intervention à mon initiative"
    DEMANDE = "demande", "Réponse à un besoin/une problématique"


class ThematiqueAnimation(models.TextChoices):
    PARTAGE = "partage", "Échanges de bonnes pratiques / partage d’informations"
    RESEAU = "reseau", "Maillage territorial - faire réseau / créer du lien"
    SOUTIEN = "soutien", "Soutien technique et/ou organisationnel"
    PROFESSIONNEL = "professionnel", "Projet / Parcours professionnel"
    RH = "rh", "Soutien RH auprès des structures"
    AUTRE = "autre", "Autre thématique"


# The reference's hint under each animation thématique (shown as text, never on hover only).
THEMATIQUE_ANIMATION_HINTS: dict[str, str] = {
    ThematiqueAnimation.PARTAGE: (
        "Accompagner les médiateurs dans leur pratique quotidienne de la médiation numérique "
        "(Bonnes pratiques, comment améliorer/faire évoluer ses accompagnements...)"
    ),
    ThematiqueAnimation.RESEAU: (
        "Accompagnement à la mise en place de partenariats, mise en relation intra services, "
        "positionnement territorial..."
    ),
    ThematiqueAnimation.SOUTIEN: (
        "Accompagner un médiateur et/ou une structure sur des besoins logistiques, financiers, "
        "d’organisation du temps du travail..."
    ),
    ThematiqueAnimation.PROFESSIONNEL: (
        "Proposition de formation, posture professionnelle, embarquement d'un nouveau médiateur "
        "numérique, bilan d'activité..."
    ),
    ThematiqueAnimation.RH: "Aide au recrutement, convention, fin de contrat...",
    ThematiqueAnimation.AUTRE: (
        "Sélectionnez “autre thématique” si votre intervention ne correspond pas aux thématiques "
        "proposées."
    ),
}


class TypeEvenement(models.TextChoices):
    GRAND_PUBLIC = (
        "grand_public",
        "Évènement grand public (Ex : Forums, salons, journées départementales, ateliers "
        "collectifs...)",
    )
    NATIONAL = "national", "Évènement national (Ex : NEC, ANCTour, etc...)"
    INCLUSION_NUMERIQUE = (
        "inclusion_numerique",
        "Journée d’inclusion numérique (Ex : Séminaire, rencontre, intervention...)",
    )
    NEC_LOCAL = "nec_local", "NEC local"
    AUTRE = "autre", "Autre"


class Organisateur(models.TextChoices):
    MA_STRUCTURE = "ma_structure", "Ma structure (moi - même)"
    COMMUNE = "commune", "Une commune"
    EPCI = "epci", "Un EPCI"
    DEPARTEMENT = "departement", "Le département"
    REGION = "region", "La région"
    ASSOCIATION = "association", "Une association"
    ENTREPRISE = "entreprise", "Une entreprise"
    HUB = "hub", "Un Hub"
    ETAT = "etat", "État (Préfecture, ANCT, Opérateur...)"
    GROUPEMENT = "groupement", "Un groupement (Syndicat mixte, consortium...)"
    AUTRE = "autre", "Autre"


class NaturePartenariat(models.TextChoices):
    PARCOURS_USAGER = "parcours_usager", "Conception de parcours usager"
    SUBVENTION = "subvention", "Recherche de subvention"
    COORDINATION_DEPARTEMENTALE = (
        "coordination_departementale",
        "Journée de coordination départementale",
    )
    RDV_ELU = "rdv_elu", "Rendez-vous avec un·e élu·e"
    AUTRE = "autre", "Autre"


class TypeStructurePartenaire(models.TextChoices):
    COMMUNE = "commune", "Une commune"
    EPCI = "epci", "Un EPCI"
    DEPARTEMENT = "departement", "Le département"
    REGION = "region", "La région"
    ASSOCIATION = "association", "Une association"
    ENTREPRISE = "entreprise", "Une entreprise"
    HUB = "hub", "Un Hub"
    ETAT = "etat", "État (Préfecture, ANCT, Opérateur...)"
    GROUPEMENT = "groupement", "Un groupement (Syndicat mixte, consortium...)"
    AUTRE = "autre", "Autre"
