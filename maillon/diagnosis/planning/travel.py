"""The diagnosis's travel-time model (maillon.diagnosis.access, ADR 0012) as the planning uses it.

People of a commune travel at the speed of their commune's density class; between two stops of
a tour, the vehicle drives at the « peu dense » speed (departmental roads).
"""

from maillon.diagnosis import access
from maillon.diagnosis.arrays import FloatArray

# Index of « peu dense » in access.DENSITY_CLASSES: the roads between two villages.
TOUR_DENSITY_CLASS = 1


def minutes(km: FloatArray, origin_density: FloatArray) -> FloatArray:
    """Travel minutes for straight-line distances from origins of the given densities."""
    return access.minutes_for_km(km, access.density_class(origin_density))


def max_radius_km(threshold_minutes: float) -> float:
    """The longest straight line that the fastest density class travels within the threshold."""
    return float(threshold_minutes / 60.0 * access.SPEED_KMH.max() / access.DETOUR_FACTOR)


def driving_minutes(km: FloatArray) -> FloatArray:
    return access.minutes_for_km(km, TOUR_DENSITY_CLASS)


def describe() -> str:
    return access.TRAVEL_MODEL_LABEL
