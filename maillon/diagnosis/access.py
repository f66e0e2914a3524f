# ruff: noqa: RUF001, RUF002, RUF003 — age ranges (0–14), × and typographic signs are meant.
"""Accessibility: nearest place and estimated travel time (docs/adr/0012-temps-de-trajet-estime.md).

Distances are great-circle distances, computed exactly from chords: points on the unit sphere
(3-D), a k-d tree (scipy cKDTree) for the nearest neighbour by chord length, and the chord
turned into an arc (`2 asin(c / 2)`), which is monotonic, so the nearest by chord is the nearest
on the sphere. Travel time is an estimate without a road network:

    minutes = distance × DETOUR_FACTOR / SPEED_KMH[density class of the origin commune] × 60

Usable by other modules (planning):
    `travel_minutes(from_lat, from_lon, to_lat, to_lon, density_class) -> np.ndarray`
    `density_class(density_hab_km2) -> np.ndarray` and `unit_vectors(lat, lon)`.
An optional road router (OSRM `table` service) can replace the estimate for the chosen pairs:
see `routing.py`, off unless MAILLON_ROUTING_URL is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from maillon.diagnosis.arrays import FloatArray, IntArray

EARTH_RADIUS_KM = 6371.0088
# Road distance ÷ straight-line distance (assumption, ADR 0012).
DETOUR_FACTOR = 1.3
# Density classes of the origin commune (inhabitants per km²), with their upper bounds.
DENSITY_CLASSES: tuple[tuple[str, float], ...] = (
    ("tres_peu_dense", 25.0),
    ("peu_dense", 300.0),
    ("intermediaire", 1500.0),
    ("dense", float("inf")),
)
# Average road speed, door to door, per density class (km/h; assumption, ADR 0012).
SPEED_KMH = np.array([60.0, 50.0, 35.0, 20.0])
THRESHOLDS_MINUTES = (15, 30)

TRAVEL_MODEL_LABEL = (
    "Estimation : distance à vol d'oiseau × 1,3 (détour routier) ÷ vitesse moyenne selon la "
    "densité de la commune de départ : 60 km/h très peu dense, 50 km/h peu dense, 35 km/h "
    "densité intermédiaire, 20 km/h dense."
)


def density_class(density: FloatArray) -> IntArray:
    """Index into DENSITY_CLASSES of each density; unknown densities count as « peu dense »."""
    bounds = np.array([bound for _, bound in DENSITY_CLASSES[:-1]])
    known = np.nan_to_num(np.asarray(density, dtype=np.float64), nan=100.0)
    result: IntArray = np.searchsorted(bounds, known, side="right").astype(np.int64)
    return result


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """(n, 3) points of the unit sphere for latitudes/longitudes in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def chord_to_km(chord: FloatArray) -> FloatArray:
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return result


def great_circle_km(
    from_lat: FloatArray, from_lon: FloatArray, to_lat: FloatArray, to_lon: FloatArray
) -> FloatArray:
    """Element-wise great-circle distance (km), exact through the chord."""
    chord = np.linalg.norm(unit_vectors(from_lat, from_lon) - unit_vectors(to_lat, to_lon), axis=1)
    return chord_to_km(chord)


def minutes_for_km(distance_km: FloatArray, density_class_index: IntArray | int) -> FloatArray:
    speed = SPEED_KMH[np.asarray(density_class_index, dtype=np.int64)]
    result: FloatArray = np.asarray(distance_km, dtype=np.float64) * DETOUR_FACTOR / speed * 60.0
    return result


def travel_minutes(
    from_lat: Any,
    from_lon: Any,
    to_lat: Any,
    to_lon: Any,
    density_class: Any,
) -> FloatArray:
    """Estimated travel time (minutes) between pairs of points, element-wise and vectorised.

    `density_class` is an index into DENSITY_CLASSES (see `density_class()`), of the origin;
    scalars and arrays broadcast together.
    """
    arrays = np.broadcast_arrays(
        np.atleast_1d(np.asarray(from_lat, dtype=np.float64)),
        np.atleast_1d(np.asarray(from_lon, dtype=np.float64)),
        np.atleast_1d(np.asarray(to_lat, dtype=np.float64)),
        np.atleast_1d(np.asarray(to_lon, dtype=np.float64)),
        np.atleast_1d(np.asarray(density_class, dtype=np.int64)),
    )
    distance = great_circle_km(arrays[0], arrays[1], arrays[2], arrays[3])
    return minutes_for_km(distance, arrays[4])


@dataclass(frozen=True)
class Nearest:
    """For each origin: index of the nearest target (-1 when none) and its distance (km, NaN)."""

    index: IntArray
    distance_km: FloatArray


def nearest(
    from_lat: FloatArray, from_lon: FloatArray, to_lat: FloatArray, to_lon: FloatArray
) -> Nearest:
    """Nearest target of every origin on the sphere (origins without a position get -1/NaN)."""
    count = len(from_lat)
    index = np.full(count, -1, dtype=np.int64)
    distance = np.full(count, np.nan)
    located = np.isfinite(from_lat) & np.isfinite(from_lon)
    if len(to_lat) == 0 or not located.any():
        return Nearest(index=index, distance_km=distance)
    tree = cKDTree(unit_vectors(to_lat, to_lon))
    chord, found = tree.query(unit_vectors(from_lat[located], from_lon[located]), k=1)
    index[located] = found
    distance[located] = chord_to_km(np.asarray(chord))
    return Nearest(index=index, distance_km=distance)


def within(
    from_lat: FloatArray,
    from_lon: FloatArray,
    to_lat: FloatArray,
    to_lon: FloatArray,
    radius_km: float,
) -> list[list[int]]:
    """For each origin, the indexes of the targets within `radius_km` (great-circle)."""
    if len(to_lat) == 0:
        return [[] for _ in range(len(from_lat))]
    chord = 2.0 * np.sin(min(radius_km / EARTH_RADIUS_KM, np.pi) / 2.0)
    tree = cKDTree(unit_vectors(to_lat, to_lon))
    result: list[list[int]] = tree.query_ball_point(unit_vectors(from_lat, from_lon), r=chord)
    return result
