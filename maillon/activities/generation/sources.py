"""Real V1 distributions per département, and how they map to Maillon's enumerations.

Source file: `maillon/activities/data/conum_cras_par_departement.csv` (see the PROVENANCE.md
beside it). Every assumption that the source cannot support is a named constant here, so the
generator's realism can be reviewed in one place (docs/activites.md, « Générateur »).
"""

import csv
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from maillon.activities.vocabulary import Autonomie, Materiel, StructureRedirection, Thematique
from maillon.beneficiaries.models import Genre, StatutSocial, TrancheAge

Array = npt.NDArray[Any]

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "conum_cras_par_departement.csv"

# V1 theme (CSV column suffix) → V2 thématiques. Two V1 themes may share a V2 one (smartphone
# and équipement informatique; sécurité and fraude); « autre » has no counterpart and is spread
# over the V2 thématiques that did not exist in V1.
V1_THEMES: dict[str, tuple[str, ...]] = {
    "equipementInformatique": (Thematique.PRENDRE_EN_MAIN_DU_MATERIEL,),
    "smartphone": (Thematique.PRENDRE_EN_MAIN_DU_MATERIEL,),
    "demarcheEnLigne": (Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES,),
    "courriel": (Thematique.EMAIL,),
    "internet": (Thematique.NAVIGATION_SUR_INTERNET,),
    "vocabulaire": (Thematique.CULTURE_NUMERIQUE,),
    "traitementTexte": (Thematique.BUREAUTIQUE,),
    "contenusNumeriques": (Thematique.GERE_SES_CONTENUS_NUMERIQUES,),
    "trouverEmploi": (Thematique.INSERTION_PROFESSIONNELLE,),
    "echanger": (Thematique.RESEAUX_SOCIAUX,),
    "tpePme": (Thematique.ENTREPRENEURIAT,),
    "accompagnerEnfant": (Thematique.PARENTALITE,),
    "securite": (Thematique.SECURITE_NUMERIQUE,),
    "fraudeEtHarcelement": (Thematique.SECURITE_NUMERIQUE,),
    "sante": (Thematique.SANTE,),
    "diagnostic": (Thematique.DIAGNOSTIC_NUMERIQUE,),
    "budget": (Thematique.BANQUE_ET_ACHATS_EN_LIGNE,),
    "scolaire": (Thematique.SCOLARITE_ET_NUMERIQUE,),
    "autre": (
        Thematique.CREER_AVEC_LE_NUMERIQUE,
        Thematique.MAINTENANCE_DE_MATERIEL,
        Thematique.INTELLIGENCE_ARTIFICIELLE,
    ),
}

# Administrative sub-thématique of an « aide aux démarches » activity: démarches counted by
# Aidants Connect per domain (shared/data/activite-mediation/aidants_connect_structures.csv,
# sums of the « Nombre Demarche … » columns); associations, absent there, gets a small share.
ADMINISTRATIVE_WEIGHTS: dict[str, int] = {
    Thematique.TRAVAIL_FORMATION: 59237,
    Thematique.SOCIAL_SANTE: 30824,
    Thematique.ARGENT_IMPOTS: 30051,
    Thematique.FAMILLE_SCOLARITE: 16039,
    Thematique.TRANSPORTS_MOBILITE: 11703,
    Thematique.LOGEMENT: 9320,
    Thematique.PAPIERS_ELECTIONS_CITOYENNETE: 6897,
    Thematique.ETRANGERS_EUROPE: 1799,
    Thematique.JUSTICE: 573,
    Thematique.LOISIRS_SPORTS_CULTURE: 231,
    Thematique.ASSOCIATIONS: 500,
}
ADMINISTRATIVE_DETAIL_SHARE = 0.7  # « aide aux démarches » activities naming the démarche's domain

# V1 statut → V2 statut social (« hétérogène » is V2's « non communiqué ou hétérogène »).
V1_STATUTS: dict[str, str] = {
    "etudiant": StatutSocial.SCOLARISE,
    "sansEmploi": StatutSocial.SANS_EMPLOI,
    "enEmploi": StatutSocial.EN_EMPLOI,
    "retraite": StatutSocial.RETRAITE,
    "heterogene": StatutSocial.NON_COMMUNIQUE,
}

# V1 age bucket → V2 brackets with the share of the bucket each gets (§7.1: only the first two
# map one-to-one; the splits follow the width of the overlapping years).
V1_AGES: dict[str, tuple[tuple[str, float], ...]] = {
    "moins12ans": ((TrancheAge.MOINS_DE_DOUZE, 1.0),),
    "de12a18ans": ((TrancheAge.DOUZE_DIX_HUIT, 1.0),),
    "de18a35ans": (
        (TrancheAge.DIX_HUIT_VINGT_QUATRE, 7 / 17),
        (TrancheAge.VINGT_CINQ_TRENTE_NEUF, 10 / 17),
    ),
    "de35a60ans": (
        (TrancheAge.VINGT_CINQ_TRENTE_NEUF, 5 / 25),
        (TrancheAge.QUARANTE_CINQUANTE_NEUF, 20 / 25),
    ),
    "plus60ans": (
        (TrancheAge.SOIXANTE_SOIXANTE_NEUF, 0.45),
        (TrancheAge.SOIXANTE_DIX_PLUS, 0.55),
    ),
}
# Age range (inclusive) drawn for an identified person's birth year, per bracket.
AGE_RANGES: dict[str, tuple[int, int]] = {
    TrancheAge.MOINS_DE_DOUZE: (6, 11),
    TrancheAge.DOUZE_DIX_HUIT: (12, 17),
    TrancheAge.DIX_HUIT_VINGT_QUATRE: (18, 24),
    TrancheAge.VINGT_CINQ_TRENTE_NEUF: (25, 39),
    TrancheAge.QUARANTE_CINQUANTE_NEUF: (40, 59),
    TrancheAge.SOIXANTE_SOIXANTE_NEUF: (60, 69),
    TrancheAge.SOIXANTE_DIX_PLUS: (70, 94),
}
AGE_BRACKETS: tuple[str, ...] = tuple(AGE_RANGES)

# Assumptions (no V1 aggregate exists for them).
GENRE_SHARES: dict[str, float] = {
    Genre.FEMININ: 0.56,
    Genre.MASCULIN: 0.39,
    Genre.NON_COMMUNIQUE: 0.05,
}
ANONYMOUS_SHARE = 0.45  # of beneficiaries: anonymous individual persons and workshop counters
IDENTIFIED_ALREADY_ACCOMPANIED = 0.10  # followed people first seen before the generated period
BENEFICIARIES_PER_ACTIVITY = 1 / 3
ACTIVITIES_PER_MEDIATOR = 1000
MEDIATORS_PER_STRUCTURE = 2
DAYS = 730  # the last 24 months, today included
PLACE_KIND_SHARES: dict[str, float] = {
    "lieu_activite": 0.80,
    "autre": 0.08,
    "a_distance": 0.07,
    "domicile": 0.05,
}
INDIVIDUAL_DURATIONS: dict[int, float] = {15: 0.1, 30: 0.27, 45: 0.2, 60: 0.3, 90: 0.08, 120: 0.05}
COLLECTIVE_DURATIONS: dict[int, float] = {60: 0.25, 90: 0.3, 120: 0.35, 180: 0.1}
CUSTOM_DURATION_SHARE = 0.03  # « Personnaliser »: 5 to 180 minutes
INDIVIDUAL_EQUIPMENT: dict[str, float] = {
    Materiel.ORDINATEUR: 0.42,
    Materiel.TELEPHONE: 0.36,
    Materiel.TABLETTE: 0.07,
    Materiel.AUTRE: 0.03,
    Materiel.AUCUN: 0.12,
}
COLLECTIVE_EQUIPMENT: dict[str, float] = {
    Materiel.ORDINATEUR: 0.55,
    Materiel.TABLETTE: 0.15,
    Materiel.TELEPHONE: 0.1,
    Materiel.AUCUN: 0.2,
}
# First autonomy level of a person (blank = not rated); later sessions tend to rise.
AUTONOMY_SHARES: dict[str, float] = {
    "": 0.15,
    Autonomie.ENTIEREMENT_ACCOMPAGNE: 0.4,
    Autonomie.PARTIELLEMENT_AUTONOME: 0.33,
    Autonomie.AUTONOME: 0.12,
}
AUTONOMY_RISE_PER_SESSION = 0.12  # chance, per earlier session of the person, of one more star
REDIRECT_WEIGHTS: dict[str, float] = {
    StructureRedirection.ADMINISTRATION: 0.25,
    StructureRedirection.OPERATEUR_OU_ORGANISME_EN_CHARGE: 0.2,
    StructureRedirection.AIDE_AUX_DEMARCHES_ADMINISTRATIVES: 0.18,
    StructureRedirection.AIDE_SOCIALE: 0.15,
    StructureRedirection.INSERTION_PROFESSIONNELLE: 0.1,
    StructureRedirection.MEDIATION_NUMERIQUE: 0.07,
    StructureRedirection.AUTRE: 0.05,
}
WORKSHOP_LEVELS: dict[str, float] = {"debutant": 0.5, "intermediaire": 0.35, "avance": 0.15}
MIN_COLLECTIVE_SIZE, MAX_COLLECTIVE_SIZE = 2, 30
STRUCTURE_TYPOLOGIES: dict[str, float] = {
    "ASSO": 0.30,
    "MUNI": 0.18,
    "CCAS": 0.12,
    "RFS": 0.12,
    "BIB": 0.1,
    "CS": 0.08,
    "CC": 0.05,
    "CD": 0.05,
}


@dataclasses.dataclass(frozen=True)
class DepartementFigures:
    """The V1 figures of the source file, one array entry per département (same order)."""

    codes: tuple[str, ...]
    cras: Array  # CRAs (individuel + ponctuel + collectif)
    collective_share: Array
    collective_size: Array  # mean participants of a collective CRA
    recurrent_share: Array  # participants already accompanied
    redirect_share: Array  # of individual CRAs
    theme_rates: Array  # (départements, V1 themes): share of CRAs mentioning the theme
    statut_shares: Array  # (départements, V1 statuts)
    age_shares: Array  # (départements, V2 age brackets)


def _ratio(top: Array, bottom: Array) -> Array:
    result: Array = np.divide(top, bottom, out=np.zeros_like(top, dtype=float), where=bottom > 0)
    return result


def _normalised(matrix: Array) -> Array:
    totals = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1 / matrix.shape[1], dtype=float)
    result: Array = np.divide(matrix, totals, out=uniform, where=totals > 0)
    return result


def load_figures(path: Path = DATA_FILE) -> DepartementFigures:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def column(name: str) -> Array:
        return np.array([float(row[name] or 0) for row in rows])

    individual = column("activite_individuel") + column("activite_ponctuel")
    collective = column("activite_collectif")
    cras = individual + collective
    accompaniments = column("accompagnements")
    size = np.clip(_ratio(accompaniments - individual, collective), 3.0, 12.0)
    ages = np.zeros((len(rows), len(AGE_BRACKETS)))
    for v1, splits in V1_AGES.items():
        values = column(f"age_{v1}")
        for bracket, share in splits:
            ages[:, AGE_BRACKETS.index(bracket)] += values * share
    return DepartementFigures(
        codes=tuple(row["code_departement"] for row in rows),
        cras=cras,
        collective_share=_ratio(collective, cras),
        collective_size=size,
        recurrent_share=np.clip(1 - _ratio(column("usagers"), accompaniments), 0.0, 0.9),
        redirect_share=np.clip(_ratio(column("accompagnement_redirection"), individual), 0, 0.5),
        theme_rates=np.clip(
            np.stack([_ratio(column(f"themes_{t}"), cras) for t in V1_THEMES], axis=1), 0, 1
        ),
        statut_shares=_normalised(np.stack([column(f"statut_{s}") for s in V1_STATUTS], axis=1)),
        age_shares=_normalised(ages),
    )
