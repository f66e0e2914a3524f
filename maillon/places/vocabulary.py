"""Enumerations of the national standard « Lieux de médiation numérique » v1.0.2.

Values are stable lowercase codes stored in the database; labels are the standard's exact
strings (what files exchange). The order of the members is part of the storage format: search
masks use a member's position as its bit, so **new members are only ever appended**.

Source: LaMednum/standard-mediation-num schema.json v1.0.2 (shared/domain/lieux-standard.md §3.1).
"""

from collections.abc import Iterable

from django.db import models


class Service(models.TextChoices):
    AIDE_DEMARCHES = "aide_demarches", "Aide aux démarches administratives"
    OUTILS_QUOTIDIEN = "outils_quotidien", "Maîtrise des outils numériques du quotidien"
    INSERTION_PRO = "insertion_pro", "Insertion professionnelle via le numérique"
    UTILISATION_SECURISEE = "utilisation_securisee", "Utilisation sécurisée du numérique"
    PARENTALITE = "parentalite", "Parentalité et éducation avec le numérique"
    LOISIRS_CREATIONS = "loisirs_creations", "Loisirs et créations numériques"
    COMPREHENSION = "comprehension", "Compréhension du monde numérique"
    ACCES_MATERIEL = "acces_materiel", "Accès internet et matériel informatique"
    MATERIEL_SOLIDAIRE = (
        "materiel_solidaire",
        "Acquisition de matériel informatique à prix solidaire",
    )


class Public(models.TextChoices):
    JEUNES = "jeunes", "Jeunes"
    ETUDIANTS = "etudiants", "Étudiants"
    FAMILLES = "familles", "Familles et/ou enfants"
    SENIORS = "seniors", "Seniors"
    FEMMES = "femmes", "Femmes"


class PriseEnCharge(models.TextChoices):
    SURDITE = "surdite", "Surdité"
    HANDICAPS_MOTEURS = "handicaps_moteurs", "Handicaps moteurs"
    HANDICAPS_MENTAUX = "handicaps_mentaux", "Handicaps mentaux"
    ILLETTRISME = "illettrisme", "Illettrisme"
    LANGUES_ANGLAIS = "langues_anglais", "Langues étrangères (anglais)"
    LANGUES_AUTRES = "langues_autres", "Langues étrangères (autres)"
    DEFICIENCE_VISUELLE = "deficience_visuelle", "Déficience visuelle"


class Frais(models.TextChoices):
    GRATUIT = "gratuit", "Gratuit"
    GRATUIT_SOUS_CONDITION = "gratuit_sous_condition", "Gratuit sous condition"
    PAYANT = "payant", "Payant"


class Itinerance(models.TextChoices):
    ITINERANT = "itinerant", "Itinérant"
    FIXE = "fixe", "Fixe"


class Dispositif(models.TextChoices):
    AIDANTS_CONNECT = "aidants_connect", "Aidants Connect"
    BIBLIOTHEQUES_NUMERIQUE_REFERENCE = (
        "bibliotheques_numerique_reference",
        "Bibliothèques numérique de référence",
    )
    CERTIFICATION_PIX = "certification_pix", "Certification PIX"
    CONSEILLERS_NUMERIQUES = "conseillers_numeriques", "Conseillers numériques"
    EMMAUS_CONNECT = "emmaus_connect", "Emmaüs Connect"
    FRANCE_SERVICES = "france_services", "France Services"
    GRANDE_ECOLE_NUMERIQUE = "grande_ecole_numerique", "Grande école du numérique"
    CROIX_ROUGE = "croix_rouge", "La Croix Rouge"
    POINT_NUMERIQUE_CAF = "point_numerique_caf", "Point d'accès numérique CAF"
    PROMENEURS_DU_NET = "promeneurs_du_net", "Promeneurs du net"
    RELAIS_NUMERIQUE_EMMAUS = "relais_numerique_emmaus", "Relais numérique (Emmaüs Connect)"


class FormationLabel(models.TextChoices):
    MON_ESPACE_SANTE = "mon_espace_sante", "Formé à « Mon Espace Santé »"
    DUPLEX = "duplex", "Formé à « DUPLEX » (illettrisme)"
    ARNIA_MEDNUM_BFC = "arnia_mednum_bfc", "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
    REEMPLOI_NORMANDIE = (
        "reemploi_normandie",
        "Collectif ressources et acteurs réemploi (Normandie)",
    )
    ETAPES_NUMERIQUES = "etapes_numeriques", "Étapes numériques (La Poste)"
    FABRIQUES_DE_TERRITOIRE = "fabriques_de_territoire", "Fabriques de Territoire"
    ECLAIREURS_DROME = "eclaireurs_drome", "Les Éclaireurs du numérique (Drôme)"
    MES_PAPIERS_LYON = "mes_papiers_lyon", "Mes Papiers (Métropole de Lyon)"
    ORDI_3_0 = "ordi_3_0", "ORDI 3.0"
    SUD_LABS = "sud_labs", "SUD LABS (PACA)"


class ModaliteAcces(models.TextChoices):
    SE_PRESENTER = "se_presenter", "Se présenter"
    TELEPHONER = "telephoner", "Téléphoner"
    CONTACTER_PAR_MAIL = "contacter_par_mail", "Contacter par mail"
    RDV_EN_LIGNE = "rdv_en_ligne", "Prendre un RDV en ligne"
    PAS_DE_PUBLIC = "pas_de_public", "Ce lieu n'accueille pas de public"
    FICHE_PRESCRIPTION = (
        "fiche_prescription",
        "Envoyer un mail avec une fiche de prescription",
    )


class ModaliteAccompagnement(models.TextChoices):
    EN_AUTONOMIE = "en_autonomie", "En autonomie"
    INDIVIDUEL = "individuel", "Accompagnement individuel"
    ATELIER_COLLECTIF = "atelier_collectif", "Dans un atelier collectif"
    A_DISTANCE = "a_distance", "À distance"


# The v1.0.2 regex spells this label without the space before the parenthesis; a file written
# with the space fails strict validation against the schema (lieux-standard.md §7).
STRICT_V102_LABELS: dict[str, str] = {
    FormationLabel.ETAPES_NUMERIQUES.value: "Étapes numériques(La Poste)",
}

# Standard field name → enumeration, for every enumerated multi-valued field of v1.0.2.
ENUM_FIELDS: dict[str, type[models.TextChoices]] = {
    "services": Service,
    "publics_specifiquement_adresses": Public,
    "prise_en_charge_specifique": PriseEnCharge,
    "frais_a_charge": Frais,
    "itinerance": Itinerance,
    "dispositif_programmes_nationaux": Dispositif,
    "formations_labels": FormationLabel,
    "modalites_acces": ModaliteAcces,
    "modalites_accompagnement": ModaliteAccompagnement,
}


def mask_of(enum: type[models.TextChoices], codes: Iterable[str]) -> int:
    """Bit mask of a set of codes: bit i is set when the enum's i-th member is present."""
    positions = {value: index for index, value in enumerate(enum.values)}
    mask = 0
    for code in codes:
        mask |= 1 << positions[code]
    return mask


def codes_of(enum: type[models.TextChoices], mask: int) -> list[str]:
    """Inverse of `mask_of`, in the enum's order."""
    return [value for index, value in enumerate(enum.values) if mask & (1 << index)]


def labels_of(enum: type[models.TextChoices], codes: Iterable[str]) -> list[str]:
    labels = dict(enum.choices)
    return [str(labels[code]) for code in codes]
