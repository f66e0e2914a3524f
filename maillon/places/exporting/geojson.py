"""GeoJSON export: one Point feature per place that has a position.

Properties are the standard's fields with its labels (lists as JSON arrays). A position taken
from the commune centre is exported too, because a map needs it, but is flagged
`"position_approximative": true` so that nobody mistakes it for the place's address.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from maillon.places.exporting.standard import UNKNOWN_PIVOT
from maillon.places.models import Place
from maillon.places.record import LocationPrecision, PlaceData
from maillon.places.vocabulary import ENUM_FIELDS, labels_of

_NOT_PROPERTIES = {"latitude", "longitude", "location_precision", "horaires_texte"}


def feature_of(public_id: str, data: PlaceData) -> dict[str, Any] | None:
    """The place's feature, or None when its position is unknown."""
    if data.latitude is None or data.longitude is None:
        return None
    if data.location_precision == LocationPrecision.NONE:
        return None
    properties: dict[str, Any] = {"id": public_id}
    for name in PlaceData.field_names():
        if name in _NOT_PROPERTIES:
            continue
        value = getattr(data, name)
        if name in ENUM_FIELDS:
            value = labels_of(ENUM_FIELDS[name], value)
        elif name == "pivot":
            value = value or UNKNOWN_PIVOT
        elif name == "date_maj":
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        properties[name] = value
    properties["position_approximative"] = not data.has_precise_location()
    return {
        "type": "Feature",
        "id": public_id,
        "geometry": {"type": "Point", "coordinates": [data.longitude, data.latitude]},
        "properties": properties,
    }


def iter_geojson(places: Iterable[Place], *, counter: list[int] | None = None) -> Iterator[str]:
    """A FeatureCollection as successive pieces of text; `counter[0]` counts the features."""
    count = 0
    yield '{"type": "FeatureCollection", "features": ['
    for place in places:
        feature = feature_of(str(place.public_id), place.to_data())
        if feature is None:
            continue
        yield ("\n" if not count else ",\n") + json.dumps(feature, ensure_ascii=False)
        count += 1
    yield "\n]}\n"
    if counter is not None:
        counter.append(count)


def write_geojson(places: Iterable[Place], out: TextIO) -> int:
    """Write the FeatureCollection of the places that have a position; return its size."""
    counter: list[int] = []
    for piece in iter_geojson(places, counter=counter):
        out.write(piece)
    return counter[0]
