"""Distances on the sphere for « autour de moi »: a bounding box for SQL, haversine with numpy."""

import math
from typing import Any

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


def bounding_box(center: tuple[float, float], radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) in degrees enclosing the circle, slightly widened."""
    lat, lon = center
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 0.01)
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def haversine_m(
    lat: "np.ndarray[Any, np.dtype[np.float64]]",
    lon: "np.ndarray[Any, np.dtype[np.float64]]",
    center: tuple[float, float],
) -> "np.ndarray[Any, np.dtype[np.float64]]":
    lat1, lon1 = np.radians(center[0]), np.radians(center[1])
    lat2, lon2 = np.radians(lat), np.radians(lon)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    result: np.ndarray[Any, np.dtype[np.float64]] = (
        2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    )
    return result
