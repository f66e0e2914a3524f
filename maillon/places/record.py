"""One place as the national standard describes it: the contract between import, linkage and export.

Every importer (standard CSV, v0.1, data·inclusion, mapped producer files, the editing form)
produces `PlaceData`; record linkage merges several `PlaceData` into one golden record; exporters
read it back. Field names are the standard's own (they are official identifiers); enumerated
fields hold the stable codes of `vocabulary`, never labels.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models

# Multi-valued fields, stored as tuples (enumerated codes or free strings).
LIST_FIELDS = (
    "typologie",
    "courriels",
    "site_web",
    "itinerance",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
)


class LocationPrecision(models.TextChoices):
    PRECISE = "precise", "Position précise"
    COMMUNE = "commune", "Centre de la commune (position approximative)"
    NONE = "none", "Position inconnue"


@dataclasses.dataclass(frozen=True)
class PlaceData:
    nom: str
    date_maj: dt.date
    pivot: str = ""  # "" when unknown: the placeholder 00000000000000 is never stored
    commune: str = ""
    code_postal: str = ""
    code_insee: str = ""
    adresse: str = ""
    complement_adresse: str = ""
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = LocationPrecision.NONE.value
    typologie: tuple[str, ...] = ()
    telephone: str = ""
    courriels: tuple[str, ...] = ()
    site_web: tuple[str, ...] = ()
    horaires: str = ""  # valid OSM opening_hours, or ""
    horaires_texte: str = ""  # producer's text that could not be converted, kept verbatim
    presentation_resume: str = ""
    presentation_detail: str = ""
    source: str = ""  # the standard's « structure collectant la donnée »
    itinerance: tuple[str, ...] = ()
    structure_parente: str = ""
    services: tuple[str, ...] = ()
    publics_specifiquement_adresses: tuple[str, ...] = ()
    prise_en_charge_specifique: tuple[str, ...] = ()
    frais_a_charge: tuple[str, ...] = ()
    dispositif_programmes_nationaux: tuple[str, ...] = ()
    formations_labels: tuple[str, ...] = ()
    autres_formations_labels: tuple[str, ...] = ()
    modalites_acces: tuple[str, ...] = ()
    modalites_accompagnement: tuple[str, ...] = ()
    fiche_acces_libre: str = ""
    prise_rdv: str = ""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in dataclasses.fields(cls))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, tuples as lists)."""
        data: dict[str, Any] = {}
        for name in self.field_names():
            value = getattr(self, name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PlaceData":
        known = set(cls.field_names())
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known:
                continue
            if name == "date_maj":
                value = dt.date.fromisoformat(value)
            elif name in LIST_FIELDS:
                value = tuple(value)
            values[name] = value
        return cls(**values)

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON: equal fingerprints mean equal content."""
        canonical = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def is_public(self) -> bool:
        """Places that declare they welcome no public are never published (lieux-standard §5)."""
        return "pas_de_public" not in self.modalites_acces

    def has_precise_location(self) -> bool:
        return (
            self.location_precision == LocationPrecision.PRECISE
            and self.latitude is not None
            and self.longitude is not None
        )


# Completion score of the legacy public map (lieux-standard.md §9.1): weighted presence of 24
# fields out of 43 points. Unlike the original, `nom` is tested on the name itself.
COMPLETENESS_WEIGHTS: dict[str, int] = {
    "nom": 2,
    "adresse": 2,
    "commune": 2,
    "code_postal": 2,
    "services": 2,
    "horaires": 2,
    "typologie": 2,
    "telephone": 2,
    "courriels": 2,
    "site_web": 2,
    "presentation_detail": 2,
    "presentation_resume": 2,
    "date_maj": 2,
    "publics_specifiquement_adresses": 2,
    "prise_en_charge_specifique": 2,
    "frais_a_charge": 2,
    "dispositif_programmes_nationaux": 2,
    "autres_formations_labels": 2,
    "modalites_accompagnement": 2,
    "fiche_acces_libre": 1,
    "latitude": 1,
    "longitude": 1,
    "prise_rdv": 1,
    "source": 1,
}
COMPLETENESS_TOTAL = sum(COMPLETENESS_WEIGHTS.values())  # 43


def completeness(data: PlaceData) -> int:
    """Score de complétion, de 0 à 100."""
    points = 0
    for name, weight in COMPLETENESS_WEIGHTS.items():
        value = getattr(data, name)
        if name in {"latitude", "longitude"} and not data.has_precise_location():
            continue
        if value not in (None, "", ()):
            points += weight
    return round(100 * points / COMPLETENESS_TOTAL)


class Freshness(models.TextChoices):
    """Freshness classes of Mon inclusion numérique (lieux-standard.md §9.2)."""

    A_JOUR = "a_jour", "À jour"
    A_SURVEILLER = "a_surveiller", "À surveiller"
    A_VERIFIER = "a_verifier", "À vérifier"
    A_ACTUALISER = "a_actualiser", "À actualiser"


DAYS_PER_MONTH = 30.44
FRESHNESS_HINTS = {
    Freshness.A_JOUR: "moins de 6 mois",
    Freshness.A_SURVEILLER: "6 à 12 mois",
    Freshness.A_VERIFIER: "12 à 18 mois",
    Freshness.A_ACTUALISER: "plus de 18 mois",
}


def freshness(date_maj: dt.date | None, today: dt.date) -> Freshness:
    if date_maj is None:
        return Freshness.A_ACTUALISER
    months = (today - date_maj).days / DAYS_PER_MONTH
    if months < 6:
        return Freshness.A_JOUR
    if months < 12:
        return Freshness.A_SURVEILLER
    if months < 18:
        return Freshness.A_VERIFIER
    return Freshness.A_ACTUALISER


def freshness_cutoffs(today: dt.date) -> dict[Freshness, dt.date]:
    """Oldest `date_maj` still in each class (for filtering in SQL)."""
    return {
        Freshness.A_JOUR: today - dt.timedelta(days=6 * DAYS_PER_MONTH),
        Freshness.A_SURVEILLER: today - dt.timedelta(days=12 * DAYS_PER_MONTH),
        Freshness.A_VERIFIER: today - dt.timedelta(days=18 * DAYS_PER_MONTH),
    }
