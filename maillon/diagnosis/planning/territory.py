"""Build a covering instance for a territory from the database.

Demand points: the territory's communes (at their town hall, else their centroid), weighted by
their estimated people at risk (maillon.diagnosis.need), rounded to whole people, and set to 0
when a fixed place open to the public (optionally offering a service) is within the threshold;
communes of zero weight are left out of the instance. Candidate sites: the town halls of the
territory's communes, or the sites of an uploaded CSV. Fixed places outside the territory
count too: people cross borders.
"""

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from maillon.diagnosis import cache
from maillon.diagnosis.access import nearest
from maillon.diagnosis.planning import travel
from maillon.diagnosis.planning.coverage import coverage_pairs
from maillon.diagnosis.planning.instance import (
    FloatArray,
    Instance,
    InstanceError,
    IntArray,
    make_instance,
)
from maillon.diagnosis.planning.itinerary import Site
from maillon.diagnosis.tables import CommuneTable, PlaceTable
from maillon.places.exporting.territories import parse_territories
from maillon.places.vocabulary import Service

SITE_COLUMNS = ("id", "nom", "latitude", "longitude")


@dataclass(frozen=True)
class TerritoryInstance:
    instance: Instance
    territory: str  # names of the parts, « Mayenne »
    candidates: tuple[Site, ...]  # aligned on instance.candidate_ids
    demand_names: tuple[str, ...]  # commune names, aligned on instance.demand_ids
    communes: int  # communes of the territory with a position
    people_at_risk: float  # in those communes (estimate, before rounding)
    already_covered: float  # of which within the threshold of a fixed place
    fixed_places: int  # places counted as fixed offer (anywhere)
    threshold_minutes: float
    service: str | None
    travel_model: str


def select_communes(communes: CommuneTable, spec: str) -> tuple[IntArray, str]:
    """Indices of the communes of a `dep:53`-style spec (union of comma-separated parts)."""
    try:
        parts = parse_territories(spec)
    except ValueError as error:
        raise InstanceError(str(error)) from None
    columns = {
        "dep": np.asarray(communes.departements),
        "reg": np.asarray(communes.regions),
        "epci": np.asarray(communes.epcis),
        "com": np.asarray(communes.codes),
    }
    selected = np.zeros(len(communes), dtype=bool)
    for part in parts:
        selected |= columns[part.kind] == part.code
    indices: IntArray = np.flatnonzero(selected).astype(np.int64)
    return indices, ", ".join(part.name for part in parts)


def parse_sites(text: str) -> list[Site]:
    """Sites of an uploaded CSV (`id,nom,latitude,longitude`, comma or semicolon separated).

    All or nothing: raises InstanceError naming the line and the column of the first faults.
    """
    sample = text.lstrip("\ufeff")
    delimiter = (
        ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(sample), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in SITE_COLUMNS if column not in header]
    if missing:
        raise InstanceError(
            "Fichier de sites : colonne(s) manquante(s) "
            + ", ".join(f"« {column} »" for column in missing)
            + " (attendu : id, nom, latitude, longitude)."
        )
    reader.fieldnames = header
    sites: list[Site] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        identifier = (row.get("id") or "").strip()
        name = (row.get("nom") or "").strip()
        if not identifier:
            errors.append(f"ligne {line}, colonne « id » : identifiant vide")
        elif identifier in seen:
            errors.append(f"ligne {line}, colonne « id » : « {identifier} » déjà utilisé")
        seen.add(identifier)
        values: dict[str, float] = {}
        for column, low, high in (("latitude", -90.0, 90.0), ("longitude", -180.0, 180.0)):
            raw = (row.get(column) or "").strip().replace(",", ".")
            try:
                value = float(raw)
            except ValueError:
                errors.append(f"ligne {line}, colonne « {column} » : « {raw} » n'est pas un nombre")
                continue
            if not (low <= value <= high) or math.isnan(value):
                errors.append(
                    f"ligne {line}, colonne « {column} » : {raw} hors de l'intervalle "
                    f"[{low:g} ; {high:g}]"
                )
                continue
            values[column] = value
        if len(values) == 2 and identifier:
            sites.append(
                Site(identifier, name or identifier, values["latitude"], values["longitude"])
            )
    if errors:
        shown = "; ".join(errors[:10])
        more = f" (et {len(errors) - 10} autres)" if len(errors) > 10 else ""
        raise InstanceError(f"Fichier de sites refusé, rien n'est importé : {shown}{more}.")
    if not sites:
        raise InstanceError("Fichier de sites vide : aucune ligne après l'en-tête.")
    return sites


def fixed_minutes(
    communes: CommuneTable, indices: IntArray, places: PlaceTable, offering: np.ndarray
) -> FloatArray:
    """Travel minutes from each selected commune to its nearest fixed place (inf if none).

    With a speed that depends only on the origin, the nearest place in distance is the nearest
    in time, so one nearest-neighbour query suffices.
    """
    fixed = np.flatnonzero(offering & ~places.is_itinerant)
    found = nearest(
        communes.lat[indices], communes.lon[indices], places.lat[fixed], places.lon[fixed]
    )
    km = np.where(found.index >= 0, found.distance_km, np.inf)
    minutes: FloatArray = travel.minutes(km, communes.density[indices])
    return minutes


VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒaeiouyàâäéèêëîïôöùûüœ"


def town_hall_name(commune: str) -> str:
    """« Mairie de Laval », « Mairie d'Astillé », « Mairie du Ham », « Mairie des Touches »,
    « Mairie de La Roë » (French elision and contraction; a leading h is left as written)."""
    if commune.startswith("Le "):
        return f"Mairie du {commune[3:]}"
    if commune.startswith("Les "):
        return f"Mairie des {commune[4:]}"
    if commune[:1] in VOWELS:
        return f"Mairie d'{commune}"
    return f"Mairie de {commune}"


def build_instance(
    *,
    territory: str,
    k: int,
    threshold_minutes: float,
    service: str | None = None,
    sites: list[Site] | None = None,
) -> TerritoryInstance:
    """The covering instance of a territory; raises InstanceError with a French message."""
    if threshold_minutes <= 0:
        raise InstanceError("Le seuil doit être un nombre de minutes strictement positif.")
    if service and service not in Service.values:
        raise InstanceError(
            f"Service « {service} » inconnu ; codes possibles : {', '.join(Service.values)}."
        )
    # The commune and place tables of the diagnosis' in-process cache (read again only when
    # the database changed): a plan page and each download rebuild the instance.
    tables = cache.tables()
    communes = tables.communes
    indices, name = select_communes(communes, territory)
    located = ~(np.isnan(communes.lat[indices]) | np.isnan(communes.lon[indices]))
    indices = indices[located]
    if not len(indices):
        raise InstanceError(f"Territoire « {territory} » : aucune commune n'a de position connue.")
    at_risk = tables.need.central[indices]
    at_risk = np.nan_to_num(at_risk, nan=0.0)
    places = tables.places
    offering = places.offering(service)
    near_fixed = fixed_minutes(communes, indices, places, offering) <= threshold_minutes
    weights = np.where(near_fixed, 0.0, np.rint(at_risk))
    kept = np.flatnonzero(weights > 0)
    demand = indices[kept]

    if sites is None:
        candidates = tuple(
            Site(
                communes.codes[i],
                town_hall_name(communes.names[i]),
                communes.lat[i],
                communes.lon[i],
            )
            for i in indices
        )
    else:
        candidates = tuple(sites)
    candidate_lat = np.array([site.latitude for site in candidates])
    candidate_lon = np.array([site.longitude for site in candidates])
    density = communes.density[demand]

    def pair_minutes(rows: IntArray, _columns: IntArray, km: FloatArray) -> FloatArray:
        return travel.minutes(km, density[rows])

    pairs = coverage_pairs(
        communes.lat[demand],
        communes.lon[demand],
        candidate_lat,
        candidate_lon,
        threshold_minutes=threshold_minutes,
        max_radius_km=travel.max_radius_km(threshold_minutes),
        minutes=pair_minutes,
    )
    instance = make_instance(
        k=k,
        demand_ids=[communes.codes[i] for i in demand],
        weights=weights[kept],
        candidate_ids=[site.id for site in candidates],
        pairs=pairs,
    )
    return TerritoryInstance(
        instance=instance,
        territory=name,
        candidates=candidates,
        demand_names=tuple(communes.names[i] for i in demand),
        communes=len(indices),
        people_at_risk=float(at_risk.sum()),
        already_covered=float(at_risk[near_fixed].sum()),
        fixed_places=int((offering & ~places.is_itinerant).sum()),
        threshold_minutes=threshold_minutes,
        service=service or None,
        travel_model=travel.describe(),
    )
