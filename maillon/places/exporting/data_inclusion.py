"""Export to data·inclusion v1: one structure and one service per published place.

Crosswalk of lieux-standard.md §8.3 (the data·inclusion pipeline's own mapping of the national
standard), with two deliberate differences:
- `publics` follows the *intended* table: the pipeline's join compares « Jeunes » with the target
  value « jeunes », so the five standard publics never match there and become `tous-publics`;
- `fiche_acces_libre` fills the structure's `accessibilite_lieu` (the pipeline sets it to null,
  yet it is the very acceslibre URL the field asks for).

Every object is validated with the `data-inclusion-schema` pydantic models before being written;
a place whose objects do not validate is left out and reported.
"""

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import pydantic
from data_inclusion.schema.v1 import (  # type: ignore[import-untyped]  # no py.typed marker
    Service,
    Structure,
)
from django.utils import timezone

from maillon.places.models import Place
from maillon.places.record import PlaceData
from maillon.places.vocabulary import (
    Dispositif,
    Frais,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    labels_of,
)
from maillon.places.vocabulary import Service as StandardService

SOURCE = "maillon"
SERVICE_NAME = "Service d'accompagnement au numérique"
MOBILISABLE_PAR = ["professionnels", "usagers"]

THEMATIQUES: dict[str, tuple[str, ...]] = {
    StandardService.ACCES_MATERIEL: (
        "numerique--acceder-a-une-connexion-internet",
        "numerique--acquerir-un-equipement",
    ),
    StandardService.MATERIEL_SOLIDAIRE: ("numerique--acquerir-un-equipement",),
    StandardService.AIDE_DEMARCHES: (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "numerique--acceder-a-des-services-en-ligne",
    ),
    StandardService.COMPREHENSION: ("numerique--maitriser-les-fondamentaux-du-numerique",),
    StandardService.INSERTION_PRO: (
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    StandardService.LOISIRS_CREATIONS: (
        "remobilisation--activites-sportives-et-culturelles",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    StandardService.OUTILS_QUOTIDIEN: (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "numerique--acceder-a-des-services-en-ligne",
    ),
    StandardService.PARENTALITE: (
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    StandardService.UTILISATION_SECURISEE: ("numerique--maitriser-les-fondamentaux-du-numerique",),
}

# Highest priority first: a service has a single type.
TYPE_PRIORITY: tuple[tuple[str, str], ...] = (
    (ModaliteAccompagnement.EN_AUTONOMIE, "aide-materielle"),
    (ModaliteAccompagnement.ATELIER_COLLECTIF, "atelier"),
    (ModaliteAccompagnement.INDIVIDUEL, "accompagnement"),
)

PUBLICS: dict[str, str] = {
    Public.ETUDIANTS: "etudiants",
    Public.FAMILLES: "familles",
    Public.FEMMES: "femmes",
    Public.JEUNES: "jeunes",
    Public.SENIORS: "seniors",
    PriseEnCharge.DEFICIENCE_VISUELLE: "personnes-en-situation-de-handicap",
    PriseEnCharge.HANDICAPS_MENTAUX: "personnes-en-situation-de-handicap",
    PriseEnCharge.HANDICAPS_MOTEURS: "personnes-en-situation-de-handicap",
    PriseEnCharge.SURDITE: "personnes-en-situation-de-handicap",
    PriseEnCharge.LANGUES_ANGLAIS: "personnes-exilees",
    PriseEnCharge.LANGUES_AUTRES: "personnes-exilees",
}
ALL_PUBLICS = "tous-publics"

MODES_MOBILISATION: dict[str, str] = {
    ModaliteAcces.CONTACTER_PAR_MAIL: "envoyer-un-courriel",
    ModaliteAcces.FICHE_PRESCRIPTION: "envoyer-un-courriel",
    ModaliteAcces.RDV_EN_LIGNE: "utiliser-lien-mobilisation",
    ModaliteAcces.SE_PRESENTER: "se-presenter",
    ModaliteAcces.TELEPHONER: "telephoner",
}

RESEAUX_PORTEURS: dict[str, str] = {
    Dispositif.AIDANTS_CONNECT: "aidants-connect",
    Dispositif.CONSEILLERS_NUMERIQUES: "conseillers-numeriques",
    Dispositif.FRANCE_SERVICES: "france-service",
    Dispositif.GRANDE_ECOLE_NUMERIQUE: "grandes-ecoles-du-numerique",
    Dispositif.CROIX_ROUGE: "croix-rouge",
}

_SIRET = re.compile(r"^\d{14}$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_URL = pydantic.TypeAdapter(pydantic.HttpUrl)
_EMAIL = pydantic.TypeAdapter(pydantic.EmailStr)
# Set-valued fields are written sorted so that two exports of the same data are identical.
_SET_FIELDS = (
    "reseaux_porteurs",
    "thematiques",
    "publics",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
)


@dataclasses.dataclass
class Rejected:
    place_id: str
    nom: str
    errors: list[str]


@dataclasses.dataclass
class Export:
    structures: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    services: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rejected: list[Rejected] = dataclasses.field(default_factory=list)


def _url(value: str) -> str | None:
    try:
        _URL.validate_python(value)
    except pydantic.ValidationError:
        return None
    return value


def _email(values: tuple[str, ...]) -> str | None:
    for value in values:
        try:
            _EMAIL.validate_python(value)
        except pydantic.ValidationError:
            continue
        return value
    return None


def _first_url(values: tuple[str, ...]) -> str | None:
    for value in values:
        if _url(value):
            return value
    return None


def _name(data: PlaceData) -> str:
    """3 to 150 characters, not ending with a full stop (data·inclusion warns about it)."""
    name = " ".join(data.nom.split())
    if name.endswith(".") and not name.endswith("etc."):
        name = name.rstrip(". ")
    if len(name) < 3:
        name = f"Lieu {name}".strip()
    if len(name) > 150:
        name = name[:149].rstrip() + "…"
    return name


def _text(value: str) -> str | None:
    value = value.strip()
    return value[:10_000] if len(value) >= 5 else None


def departement_of(code_insee: str) -> str | None:
    if not code_insee:
        return None
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]


def _address(data: PlaceData) -> dict[str, Any]:
    precise = data.has_precise_location()
    return {
        "commune": data.commune or None,
        "code_postal": data.code_postal if _POSTAL_CODE.match(data.code_postal) else None,
        "code_insee": data.code_insee or None,
        "adresse": data.adresse or None,
        "complement_adresse": data.complement_adresse or None,
        "longitude": data.longitude if precise else None,
        "latitude": data.latitude if precise else None,
    }


def structure_of(identifier: str, data: PlaceData, *, today: dt.date) -> dict[str, Any]:
    return {
        "source": SOURCE,
        "id": identifier,
        "nom": _name(data),
        "date_maj": min(data.date_maj, today),
        "description": _text(data.presentation_detail) or _text(data.presentation_resume),
        "siret": data.pivot if _SIRET.match(data.pivot) else None,
        **_address(data),
        "telephone": data.telephone or None,
        "courriel": _email(data.courriels),
        "site_web": _first_url(data.site_web),
        "horaires_accueil": data.horaires or None,
        "accessibilite_lieu": _url(data.fiche_acces_libre) if data.fiche_acces_libre else None,
        "reseaux_porteurs": sorted(
            {
                RESEAUX_PORTEURS[code]
                for code in data.dispositif_programmes_nationaux
                if code in RESEAUX_PORTEURS
            }
        )
        or None,
    }


def service_type(modalites: Iterable[str]) -> str | None:
    present = set(modalites)
    for modalite, kind in TYPE_PRIORITY:
        if modalite in present:
            return kind
    return None


def thematiques_of(services: Iterable[str]) -> list[str]:
    return sorted({theme for service in services for theme in THEMATIQUES[service]})


def publics_of(data: PlaceData) -> list[str]:
    publics = {
        PUBLICS[code]
        for code in (*data.publics_specifiquement_adresses, *data.prise_en_charge_specifique)
        if code in PUBLICS
    }
    return sorted(publics) or [ALL_PUBLICS]


def frais_of(codes: Iterable[str]) -> str | None:
    present = set(codes)
    if present & {Frais.GRATUIT, Frais.GRATUIT_SOUS_CONDITION}:
        return "gratuit"
    if Frais.PAYANT in present:
        return "payant"
    return None


def modes_accueil_of(modalites: Iterable[str]) -> list[str] | None:
    present = set(modalites)
    if not present:
        return None
    if ModaliteAccompagnement.A_DISTANCE in present:
        return ["a-distance", "en-presentiel"]
    return ["en-presentiel"]


def modes_mobilisation_of(data: PlaceData) -> list[str] | None:
    modes = {
        MODES_MOBILISATION[code] for code in data.modalites_acces if code in MODES_MOBILISATION
    }
    if not data.modalites_acces:
        if data.telephone:
            modes.add("telephoner")
        if data.courriels:
            modes.add("envoyer-un-courriel")
        if data.prise_rdv:
            modes.add("utiliser-lien-mobilisation")
    return sorted(modes) or None


def _description(data: PlaceData) -> str:
    described = _text(data.presentation_detail) or _text(data.presentation_resume)
    if described:
        return described
    if data.services:
        return ", ".join(labels_of(StandardService, data.services))
    return f"Accompagnement au numérique proposé par {_name(data)}."


def _precisions(*parts: str) -> str | None:
    text = ", ".join(part for part in parts if part)
    return text or None


def service_of(identifier: str, data: PlaceData, *, today: dt.date) -> dict[str, Any]:
    departement = departement_of(data.code_insee)
    frais_precisions = (
        "Gratuit sous condition" if Frais.GRATUIT_SOUS_CONDITION in data.frais_a_charge else None
    )
    return {
        "source": SOURCE,
        "structure_id": identifier,
        "id": identifier,
        "nom": SERVICE_NAME,
        "description": _description(data),
        "date_maj": min(data.date_maj, today),
        "type": service_type(data.modalites_accompagnement),
        "thematiques": thematiques_of(data.services) or None,
        "frais": frais_of(data.frais_a_charge),
        "frais_precisions": frais_precisions,
        "publics": publics_of(data),
        "publics_precisions": _precisions(
            ", ".join(labels_of(Public, data.publics_specifiquement_adresses)),
            ", ".join(labels_of(PriseEnCharge, data.prise_en_charge_specifique)),
        ),
        **_address(data),
        "telephone": data.telephone or None,
        "courriel": _email(data.courriels),
        "modes_accueil": modes_accueil_of(data.modalites_accompagnement),
        "zone_eligibilite": [departement] if departement else None,
        "lien_mobilisation": _url(data.prise_rdv) if data.prise_rdv else None,
        "modes_mobilisation": modes_mobilisation_of(data),
        "mobilisable_par": MOBILISABLE_PAR,
        "horaires_accueil": data.horaires or None,
    }


def _dump(model: pydantic.BaseModel) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(mode="json")
    for name in _SET_FIELDS:
        if isinstance(dumped.get(name), list):
            dumped[name] = sorted(dumped[name])
    return dumped


def _errors(error: pydantic.ValidationError, kind: str) -> list[str]:
    return [
        f"{kind} · {'.'.join(str(part) for part in detail['loc'])} : {detail['msg']}"
        for detail in error.errors()
    ]


def export_place(
    place: Place, *, today: dt.date
) -> tuple[dict[str, Any], dict[str, Any]] | Rejected:
    """The validated structure and service of one place, or why they are invalid."""
    data = place.to_data()
    identifier = f"{SOURCE}--{place.public_id}"
    errors: list[str] = []
    try:
        structure = _dump(Structure.model_validate(structure_of(identifier, data, today=today)))
    except pydantic.ValidationError as error:
        errors += _errors(error, "structure")
    try:
        service = _dump(Service.model_validate(service_of(identifier, data, today=today)))
    except pydantic.ValidationError as error:
        errors += _errors(error, "service")
    if errors:
        return Rejected(place_id=str(place.public_id), nom=place.nom, errors=errors)
    return structure, service


def export_data_inclusion(places: Iterable[Place], *, today: dt.date | None = None) -> Export:
    today = today or timezone.localdate()
    result = Export()
    for place in places:
        exported = export_place(place, today=today)
        if isinstance(exported, Rejected):
            result.rejected.append(exported)
        else:
            result.structures.append(exported[0])
            result.services.append(exported[1])
    return result


def iter_data_inclusion_json(
    places: Iterable[Place],
    *,
    today: dt.date | None = None,
    rejected: list[Rejected] | None = None,
) -> Iterator[str]:
    """`{"structures": [...], "services": [...]}` as successive pieces of text, for streaming.

    Services are held back until every structure is written (about 1 kB each). Places whose
    objects do not validate are appended to `rejected` when given.
    """
    today = today or timezone.localdate()
    services: list[str] = []
    yield '{"structures": ['
    for place in places:
        exported = export_place(place, today=today)
        if isinstance(exported, Rejected):
            if rejected is not None:
                rejected.append(exported)
            continue
        structure, service = exported
        yield ("\n" if not services else ",\n") + json.dumps(structure, ensure_ascii=False)
        services.append(json.dumps(service, ensure_ascii=False))
    yield '\n], "services": [\n'
    yield ",\n".join(services)
    yield "\n]}\n"


def write_data_inclusion_json(
    places: Iterable[Place], out: TextIO, *, today: dt.date | None = None
) -> tuple[int, list[Rejected]]:
    """Write one JSON file `{"structures": [...], "services": [...]}` (one service per structure).

    Returns the number of places written and those left out.
    """
    rejected: list[Rejected] = []
    places = list(places)
    for piece in iter_data_inclusion_json(places, today=today, rejected=rejected):
        out.write(piece)
    return len(places) - len(rejected), rejected
