"""Which candidate sites are within the travel-time threshold of which demand points.

Vectorised in two steps, never a loop over all pairs: a k-d tree over points on the unit
sphere returns the pairs closer than the longest straight-line distance the threshold allows
(threshold x fastest speed ÷ smallest detour), then the travel-time model keeps the pairs
actually within the threshold.
"""

from collections.abc import Callable

import numpy as np
from scipy.spatial import cKDTree

from maillon.diagnosis.access import EARTH_RADIUS_KM, chord_to_km, unit_vectors
from maillon.diagnosis.planning.instance import FloatArray, IntArray

# minutes(demand_indices, candidate_indices, straight_line_km) → travel minutes per pair.
PairMinutes = Callable[[IntArray, IntArray, FloatArray], FloatArray]


def pairs_within(
    demand_latitudes: FloatArray,
    demand_longitudes: FloatArray,
    candidate_latitudes: FloatArray,
    candidate_longitudes: FloatArray,
    *,
    radius_km: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    """(demand index, candidate index, great-circle km) of every pair within `radius_km`."""
    if not len(demand_latitudes) or not len(candidate_latitudes):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0)
    chord = 2 * np.sin(min(radius_km / EARTH_RADIUS_KM, np.pi) / 2)
    demand_tree = cKDTree(unit_vectors(demand_latitudes, demand_longitudes))
    candidate_tree = cKDTree(unit_vectors(candidate_latitudes, candidate_longitudes))
    found = demand_tree.sparse_distance_matrix(candidate_tree, chord, output_type="ndarray")
    demand = found["i"].astype(np.int64)
    candidate = found["j"].astype(np.int64)
    km = chord_to_km(np.asarray(found["v"], dtype=np.float64))
    return demand, candidate, km


def coverage_pairs(
    demand_latitudes: FloatArray,
    demand_longitudes: FloatArray,
    candidate_latitudes: FloatArray,
    candidate_longitudes: FloatArray,
    *,
    threshold_minutes: float,
    max_radius_km: float,
    minutes: PairMinutes,
) -> IntArray:
    """Sorted (demand index, candidate index) rows whose travel time is ≤ the threshold.

    `max_radius_km` must be at least the straight-line distance that the fastest case of the
    travel-time model covers in `threshold_minutes`, or pairs would be missed.
    """
    demand, candidate, km = pairs_within(
        demand_latitudes,
        demand_longitudes,
        candidate_latitudes,
        candidate_longitudes,
        radius_km=max_radius_km,
    )
    keep = minutes(demand, candidate, km) <= threshold_minutes + 1e-9
    rows = np.column_stack([demand[keep], candidate[keep]]).astype(np.int64)
    order = np.lexsort((rows[:, 1], rows[:, 0]))
    result: IntArray = rows[order]
    return result
