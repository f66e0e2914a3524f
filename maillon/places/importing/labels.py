"""From the labels found in files (v1.0.x, v0.1 and their known variants) to the stable codes.

Labels are compared on a loose key (case, accents, punctuation and spacing ignored) so that the
variants of lieux-standard.md §7 (the typographic apostrophe, « » with non-breaking spaces,
spaces around `|`, `Étapes numériques(La Poste)`, `Comprehension` without accent) need no
special case.
"""

import dataclasses
import functools

from maillon.places.vocabulary import (
    ENUM_FIELDS,
    Dispositif,
    FormationLabel,
    Frais,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
)
from maillon.territory.names import normalize_name


@functools.lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    return normalize_name(text)


Target = tuple[str, str]  # (standard field, code)

# v1 labels, plus the long wordings the v1 descriptions still show (lieux-standard.md §3.1).
V1_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    field: {label_key(str(label)): (str(code),) for code, label in enum.choices}
    for field, enum in ENUM_FIELDS.items()
}
V1_LABELS["modalites_accompagnement"].update(
    {
        label_key(
            "Dans un atelier collectif : j'apprends collectivement à utiliser le numérique"
        ): (ModaliteAccompagnement.ATELIER_COLLECTIF.value,),
        label_key("À distance (par téléphone ou en visioconférence)"): (
            ModaliteAccompagnement.A_DISTANCE.value,
        ),
    }
)
# The public map's filter value, without qualifier, means both (lieux-standard.md §7, §11).
V1_LABELS["prise_en_charge_specifique"][label_key("Langues étrangères")] = (
    PriseEnCharge.LANGUES_ANGLAIS.value,
    PriseEnCharge.LANGUES_AUTRES.value,
)


def _v0(*pairs: tuple[str, list[Target]]) -> dict[str, list[Target]]:
    return {label_key(label): targets for label, targets in pairs}


S, P, PEC, F, D, FL, MA = (
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "modalites_accompagnement",
)

# v0.1 values → v1 codes, as the national pipeline maps them (lieux-standard.md §4.4).
V0_VALUES: dict[str, list[Target]] = _v0(
    ("Devenir autonome dans les démarches administratives", [(S, Service.AIDE_DEMARCHES)]),
    (
        "Réaliser des démarches administratives avec un accompagnement",
        [(S, Service.AIDE_DEMARCHES)],
    ),
    ("Accompagner les démarches de santé", [(S, Service.AIDE_DEMARCHES)]),
    ("Prendre en main un smartphone ou une tablette", [(S, Service.OUTILS_QUOTIDIEN)]),
    ("Prendre en main un ordinateur", [(S, Service.OUTILS_QUOTIDIEN)]),
    ("Utiliser le numérique au quotidien", [(S, Service.OUTILS_QUOTIDIEN)]),
    ("Approfondir ma culture numérique", [(S, Service.COMPREHENSION)]),
    ("Promouvoir la citoyenneté numérique", [(S, Service.COMPREHENSION)]),
    ("Favoriser mon insertion professionnelle", [(S, Service.INSERTION_PRO)]),
    ("Créer et développer mon entreprise", [(S, Service.INSERTION_PRO)]),
    ("Accéder à une connexion internet", [(S, Service.ACCES_MATERIEL)]),
    ("Accéder à du matériel", [(S, Service.ACCES_MATERIEL)]),
    ("S'équiper en matériel informatique", [(S, Service.MATERIEL_SOLIDAIRE)]),
    ("Créer avec le numérique", [(S, Service.LOISIRS_CREATIONS)]),
    ("Soutenir la parentalité et l'éducation avec le numérique", [(S, Service.PARENTALITE)]),
    ("Gratuit : Je peux accéder gratuitement au lieu et à ses services", [(F, Frais.GRATUIT)]),
    (
        "Gratuit sous condition : La gratuité est conditionnée à des critères (situation "
        "familiale, convention avec un organisme social...)",
        [(F, Frais.GRATUIT_SOUS_CONDITION)],
    ),
    ("Payant : L'accès au lieu et/ou à ses services est payant", [(F, Frais.PAYANT)]),
    ("Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer", [(F, Frais.PAYANT)]),
    (
        "Dans un atelier : j'apprends collectivement à utiliser le numérique",
        [(MA, ModaliteAccompagnement.ATELIER_COLLECTIF)],
    ),
    (
        "Avec de l'aide : je suis accompagné seul dans l'usage du numérique",
        [(MA, ModaliteAccompagnement.INDIVIDUEL)],
    ),
    (
        "A ma place : une personne habilitée fait les démarches à ma place",
        [(MA, ModaliteAccompagnement.INDIVIDUEL)],
    ),
    (
        "Seul : j'ai accès à du matériel et une connexion",
        [(MA, ModaliteAccompagnement.EN_AUTONOMIE)],
    ),
    ("Familles/enfants", [(P, Public.FAMILLES)]),
    ("Jeunes (16-26 ans)", [(P, Public.JEUNES)]),
    ("Seniors (+ 65 ans)", [(P, Public.SENIORS)]),
    ("Uniquement femmes", [(P, Public.FEMMES)]),
    ("Adultes", []),
    ("Surdité", [(PEC, PriseEnCharge.SURDITE)]),
    (
        "Handicaps mentaux : déficiences limitant les activités d'une personne",
        [(PEC, PriseEnCharge.HANDICAPS_MENTAUX)],
    ),
    (
        "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes "
        "comportementales",
        [(PEC, PriseEnCharge.HANDICAPS_MENTAUX)],
    ),
    ("Personnes en situation d'illettrisme", [(PEC, PriseEnCharge.ILLETTRISME)]),
    (
        "Public langues étrangères",
        [(PEC, PriseEnCharge.LANGUES_ANGLAIS), (PEC, PriseEnCharge.LANGUES_AUTRES)],
    ),
    ("Déficience visuelle", [(PEC, PriseEnCharge.DEFICIENCE_VISUELLE)]),
    ("CNFS", [(D, Dispositif.CONSEILLERS_NUMERIQUES)]),
    ("France Services", [(D, Dispositif.FRANCE_SERVICES)]),
    ("Aidants Connect", [(D, Dispositif.AIDANTS_CONNECT)]),
    ("Grandes écoles du numérique", [(D, Dispositif.GRANDE_ECOLE_NUMERIQUE)]),
    ("Point relais CAF", [(D, Dispositif.POINT_NUMERIQUE_CAF)]),
    ("Point numérique CAF", [(D, Dispositif.POINT_NUMERIQUE_CAF)]),
    ("Fabriques de Territoire", [(FL, FormationLabel.FABRIQUES_DE_TERRITOIRE)]),
)
# v0.1 labels with no v1 value, kept as free « autres formations et labels » (§4.4).
V0_OTHER_LABELS = {
    label_key(label): label
    for label in ("APTIC", "Relais pôle emploi", "French Tech", "Campus connecté")
}
# v0.1 values the national pipeline drops: reported, since the information is lost.
V0_DROPPED = {
    label_key(
        "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour "
        "accéder au lieu"
    ),
    label_key("Accepte le Pass numérique"),
}


@dataclasses.dataclass(frozen=True)
class ColumnVocabulary:
    """Which v1 vocabularies a column's values may come from."""

    fields: tuple[str, ...]
    is_v0: bool = False


# Column found in a file → where its values may go. v0.1 columns (§4.3) are kept apart because an
# unknown value in them is only a warning.
ENUM_COLUMNS: dict[str, ColumnVocabulary] = {
    **{field: ColumnVocabulary((field,)) for field in ENUM_FIELDS},
    "publics_accueillis": ColumnVocabulary((P, PEC), is_v0=True),
    "conditions_acces": ColumnVocabulary((F,), is_v0=True),
    "labels_nationaux": ColumnVocabulary((D, FL), is_v0=True),
}


@dataclasses.dataclass
class Resolved:
    codes: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    other_labels: list[str] = dataclasses.field(default_factory=list)
    unknown: list[str] = dataclasses.field(default_factory=list)
    dropped: list[str] = dataclasses.field(default_factory=list)
    is_v0: bool = False

    def add(self, field: str, code: str) -> None:
        codes = self.codes.setdefault(field, [])
        if code not in codes:
            codes.append(code)


def split_list(raw: str) -> list[str]:
    """Values of a multi-valued cell: `|` (v1) or `;` (v0.1), spaces around them ignored."""
    values = raw.replace(";", "|").split("|")
    return [value.strip() for value in values if value.strip()]


def resolve(column: str, raw: str) -> Resolved:
    vocabulary = ENUM_COLUMNS[column]
    result = Resolved(is_v0=vocabulary.is_v0 or ";" in raw)
    for value in split_list(raw):
        key = label_key(value)
        found = False
        for field in vocabulary.fields:
            for code in V1_LABELS[field].get(key, ()):
                result.add(field, code)
                found = True
        if found:
            continue
        if key in V0_VALUES:
            result.is_v0 = True
            for field, code in V0_VALUES[key]:
                result.add(field, str(code))
        elif key in V0_OTHER_LABELS:
            result.is_v0 = True
            result.other_labels.append(V0_OTHER_LABELS[key])
        elif key in V0_DROPPED:
            result.is_v0 = True
            result.dropped.append(value)
        else:
            result.unknown.append(value)
    return result
