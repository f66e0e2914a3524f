"""Build places the way production does: a source record, then the merge rules."""

import datetime as dt
import itertools
from typing import Any

from maillon.places import merge
from maillon.places.models import Place, Source, SourceKind, SourceRecord
from maillon.places.record import LocationPrecision, PlaceData
from tests.factories.territory import CommuneFactory

_ids = itertools.count(1)


def source(slug: str = "test", kind: str = SourceKind.STANDARD, priority: int = 0) -> Source:
    found, _ = Source.objects.get_or_create(
        slug=slug, defaults={"name": f"Source {slug}", "kind": kind, "priority": priority}
    )
    return found


def place_data(**fields: Any) -> PlaceData:
    """A complete, valid place near Laval; any field can be overridden."""
    values: dict[str, Any] = {
        "nom": "Espace public numérique",
        "date_maj": dt.date(2026, 9, 1),
        "pivot": "",
        "commune": "Laval",
        "code_postal": "53000",
        "code_insee": "",
        "adresse": "1 rue de la Paix",
        "latitude": 48.0706,
        "longitude": -0.7734,
        "location_precision": LocationPrecision.PRECISE.value,
        "services": ("aide_demarches",),
        "horaires": "Mo-Fr 09:00-12:00,14:00-17:00",
        "modalites_accompagnement": ("individuel",),
        "frais_a_charge": ("gratuit",),
    }
    values.update(fields)
    return PlaceData(**values)


def create_place(
    *,
    source_slug: str = "test",
    external_id: str | None = None,
    with_commune: bool = False,
    **fields: Any,
) -> Place:
    """One place fed by one source record. `with_commune` creates its territory commune."""
    if with_commune and "code_insee" not in fields:
        fields["code_insee"] = CommuneFactory.create(name=fields.get("commune", "Laval")).code_insee
    data = place_data(**fields)
    place = Place(nom=data.nom, date_maj=data.date_maj)
    place.apply(data)
    place.save()
    SourceRecord.objects.create(
        source=source(source_slug),
        external_id=external_id or f"lieu-{next(_ids)}",
        place=place,
        data=data.to_json(),
        fingerprint=data.fingerprint(),
        date_maj=data.date_maj,
    )
    merge.rebuild(place)
    return place
